// Random but valid band_data items (docs/huami-api.md "band_data.json") for the decoder property test, and
// random corruptions of them. Deterministic from a seed. Ground truth is computed with
// luxon here, independently of src/decode/time.ts.
import { DateTime } from 'luxon';

/** mulberry32: a small seeded PRNG. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'UTC', 'Australia/Sydney', 'America/Santiago'];
// DST change dates are over-sampled: they are where decoders break.
const DATES = ['2026-03-29', '2026-10-25', '2026-03-08', '2026-11-01', '2026-04-05', '2026-09-06', '2025-12-31', '2024-02-29', '2027-07-15'];

export interface GeneratedDay {
  zone: string;
  date: string;
  convention: 'evening-date' | 'wake-date';
  item: Record<string, unknown>;
  summary: Record<string, unknown>;
  hasNight: boolean;
}

const b64 = (b: Uint8Array | string): string => Buffer.from(b).toString('base64');

/** One consistent day: stage sums = counters, ed = anchor + (last.stop+1)·60, blobs 1440 minutes. */
export function generateDay(r: () => number): GeneratedDay {
  const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const zone = pick(ZONES);
  const base = DateTime.fromISO(r() < 0.6 ? pick(DATES) : `2026-01-01`, { zone }).plus({ days: r() < 0.6 ? 0 : int(0, 364) });
  const date = base.toISODate() as string;
  const convention = r() < 0.5 ? 'evening-date' : 'wake-date';
  const evening = convention === 'evening-date' ? base : base.minus({ days: 1 });
  const anchor = evening.startOf('day').toSeconds();

  const stpStages: Record<string, number>[] = [];
  for (let m = int(0, 300); m < 1400 && stpStages.length < 8; m += int(20, 200)) {
    const len = int(1, 40);
    const step = int(0, 150) * len;
    stpStages.push({ start: m, stop: Math.min(m + len - 1, 1439), mode: pick([1, 3, 4, 7, 76]), step, dis: Math.round(step * 0.7), cal: int(0, 200) });
    m += len;
  }
  const totalSteps = stpStages.reduce((a, s) => a + (s.step as number), 0) + int(0, 5000);

  const hasNight = r() < 0.8;
  const stage: Record<string, number>[] = [];
  const sums: Record<number, number> = { 4: 0, 5: 0, 7: 0, 8: 0 };
  let m = int(1260, 1560);
  const first = m;
  if (hasNight) {
    for (let i = int(1, 14); i > 0; i--) {
      const mode = pick([4, 5, 7, 8]);
      const d = int(1, 90);
      stage.push({ start: m, stop: m + d - 1, mode });
      sums[mode] = (sums[mode] ?? 0) + d;
      m += d;
    }
  }
  const noSleepAt = base.startOf('day').toSeconds() + 20 * 3600;
  const st = hasNight ? anchor + first * 60 : noSleepAt;
  const ed = hasNight ? anchor + m * 60 : noSleepAt;
  // Naps in the afternoon of the record date, relative to the same anchor as the night.
  const napBase = (convention === 'evening-date' ? 0 : 1440) + int(780, 960);
  const oddStage = hasNight && r() < 0.4 ? [{ start: napBase, stop: napBase + 19, mode: 4 }, { start: napBase + 20, stop: napBase + 29, mode: 5 }] : [];

  const summary = {
    v: 6, goal: int(5000, 12000), tz: String(base.startOf('day').offset * 60), sn: 'FAKESN', sync: noSleepAt,
    stp: { ttl: totalSteps, dis: int(0, 9000), cal: int(0, 600), wk: int(0, 200), rn: int(0, 60), runDist: int(0, 5000), runCal: int(0, 300), stage: stpStages },
    slp: { st, ed, dp: sums[5], lt: sums[4], dt: sums[8], wk: sums[7], wc: int(0, 5), rhr: pick([0, int(45, 70)]), ss: int(40, 95), stage, odd_stage: oddStage },
  };
  const hr = new Uint8Array(1440).map(() => pick([255, 255, 255, 254, 0, int(40, 180)]));
  const width = r() < 0.85 ? 3 : 8;
  const data = new Uint8Array(1440 * width).map(() => int(0, 255));
  const item = { uid: '1000000001', data_type: 0, date_time: date, source: 1, summary: b64(JSON.stringify(summary)), device_id: 'D', uuid: 'U', data: b64(data), data_hr: b64(hr) };
  return { zone, date, convention, item, summary, hasNight };
}

/** A copy of `day.item` with one random corruption of the kinds the issue lists (and a few more). */
export function corrupt(day: GeneratedDay, r: () => number): Record<string, unknown> {
  const s = structuredClone(day.summary) as Record<string, any>;
  const item = { ...day.item };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const garbage = pick<unknown>(['abc', '', null, -1, 1.5, {}, [], true, '12', 1e300]);
  switch (Math.floor(r() * 10)) {
    case 0: item.summary = `${String(item.summary).slice(0, 10)}!*${String(item.summary).slice(12)}`; break; // bad base64
    case 1: item.summary = b64(JSON.stringify(s).slice(0, Math.floor(r() * 80))); break; // truncated JSON
    case 2: delete s[pick(['stp', 'slp', 'tz', 'goal'])]; break; // missing keys
    case 3: s.stp[pick(['ttl', 'dis', 'cal', 'stage'])] = garbage; s.slp[pick(['st', 'ed', 'dp', 'stage', 'rhr'])] = garbage; break;
    case 4: if (s.slp.stage[0]) s.slp.stage[0].start = -Math.floor(r() * 100) - 1; if (s.stp.stage[0]) s.stp.stage[0].stop = -5; break;
    case 5: if (s.slp.stage[1]) s.slp.stage[1].start -= 10; s.stp.stage.push(...s.stp.stage); break; // overlapping stages
    case 6: item.data_hr = String(item.data_hr).slice(0, Math.floor(r() * 400)); item.data = `${item.data}AAAA`; break;
    case 7: item.date_time = pick(['2026-13-01', '', 'yesterday', undefined]); break;
    case 8: if (s.slp.stage[0]) s.slp.stage[0] = pick<unknown>(['x', null, { start: 'a' }, { start: 1, stop: 0, mode: 4 }]); break;
    default: s.stp.stage = [{ start: 2000, stop: 2100, mode: 1, step: 5 }]; s.slp.odd_stage = garbage; break;
  }
  if (!('summary' in item) || item.summary === day.item.summary) item.summary = b64(JSON.stringify(s));
  return item;
}
