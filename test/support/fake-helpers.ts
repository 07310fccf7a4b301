// Helpers for the fake-server tests: decode band_data items the way a client would, and
// compute expected instants independently of the generator (luxon, explicit IANA zones).
import { DateTime } from 'luxon';
import type { Summary } from '../../src/fake/index.js';

/** Epoch seconds of local midnight of `date` in `zone`. */
export function localMidnight(date: string, zone: string): number {
  return DateTime.fromISO(date, { zone }).startOf('day').toSeconds();
}

/** The previous calendar date. */
export function dayBefore(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/** Decode an item's base64 `summary`. */
export function decodeSummary(b64: string): Summary {
  return JSON.parse(Buffer.from(b64, 'base64').toString('utf8')) as Summary;
}

/** Decode a base64 blob strictly (throws on characters outside the alphabet). */
export function decodeBlob(b64: string): Buffer {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw new Error('not base64');
  return Buffer.from(b64, 'base64');
}

/** Minutes per sleep mode and the total of a stage list. */
export function sleepSums(stages: readonly { start: number; stop: number; mode: number }[]): Record<number, number> & { total: number } {
  const out: Record<number, number> & { total: number } = { 4: 0, 5: 0, 7: 0, 8: 0, total: 0 };
  for (const s of stages) {
    out[s.mode] = (out[s.mode] ?? 0) + s.stop - s.start + 1;
    out.total += s.stop - s.start + 1;
  }
  return out;
}

/** Mean of the valid HR bytes (not 0/254/255) at the given indices. */
export function meanHr(hr: Uint8Array, indices: Iterable<number>): number {
  let sum = 0, n = 0;
  for (const i of indices) {
    const b = hr[i] as number;
    if (b > 0 && b < 254) { sum += b; n++; }
  }
  return n ? sum / n : NaN;
}
