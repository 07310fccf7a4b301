// Ground truth from the fake Huami server for the sync tests: what a correct sync must
// have written per user, computed from the fake's own records (not from our decoder).
import type { FakeServer } from '../../src/fake/index.js';

/** Minutes with a heart rate (no 0/254/255 sentinel) over the served days. */
export function expectedHeartRatePoints(fake: FakeServer, userId: string, from: string, to: string): number {
  let n = 0;
  for (const day of fake.data.days(userId, from, to)) for (const b of day.hr) if (b !== 0 && b !== 254 && b !== 255) n++;
  return n;
}

/** Daily step totals (`stp.ttl`) of the served days, in date order. */
export function expectedDailySteps(fake: FakeServer, userId: string, from: string, to: string): number[] {
  return fake.data.days(userId, from, to).map((d) => d.summary.stp.ttl);
}

/** Number of served days (days with a record) in [from, to]. */
export function servedDays(fake: FakeServer, userId: string, from: string, to: string): number {
  return fake.data.days(userId, from, to).length;
}
