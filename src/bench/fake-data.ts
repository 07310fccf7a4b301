// What a long backfill asks of the fake cloud: every day of [from, to] generated and its
// summary and blobs base64-encoded as band_data.json carries them. Shared by the bench
// (time per day) and the fake-data test (that it works at all for 10 years).
import type { FakeDataStore } from '../fake/data/store.js';

export function encodeDays(store: FakeDataStore, userId: string, from: string, to: string): { days: number; bytes: number } {
  let bytes = 0;
  let days = 0;
  for (let d = from; d <= to; d = new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)) {
    const e = store.entry(userId, d);
    if (!e) continue;
    days++;
    bytes += Buffer.from(JSON.stringify(e.day.summary)).toString('base64').length;
    bytes += Buffer.from(e.day.data).toString('base64').length + Buffer.from(e.day.hr).toString('base64').length;
  }
  return { days, bytes };
}
