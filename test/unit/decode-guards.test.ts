// The inputs that used to throw, break the schema or land far from their day (a summary with
// `slp.st` in milliseconds or 2^53−1, `slp.lt` = 2^53−1, ...): each is now dropped or ignored with
// a warning naming the day and the field, and the rest of the day decodes. Expected instants are
// hand-computed: record 2026-01-15 in Europe/Berlin (CET, UTC+1), wake-date convention, so the
// anchor is 2026-01-14 00:00 CET = 2026-01-13T23:00Z = 1768345200.
import { describe, expect, it } from 'vitest';
import { decodeItem, decodeResponse, type DecodedDay } from '../../src/decode/index.js';
import { checkPoint } from '../../src/schema/check.js';

const ANCHOR = 1768345200;
const ST = ANCHOR + 1380 * 60; // 1768428000 = 2026-01-14T22:00Z, 23:00 CET
const ED = ANCHOR + 1800 * 60; // 1768453200 = 2026-01-15T05:00Z, 06:00 CET
const b64 = (v: unknown): string => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64');
const opts = { timeZone: 'Europe/Berlin', user: 'alice' };

function summary(slp: Record<string, unknown> = {}, top: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    v: 6, tz: '3600', goal: 8000, sync: 1768460000,
    stp: { ttl: 5000, dis: 3500, cal: 200, stage: [] },
    slp: { st: ST, ed: ED, dp: 360, lt: 60, dt: 0, wk: 0, rhr: 55, ss: 80, stage: [{ start: 1380, stop: 1439, mode: 4 }, { start: 1440, stop: 1799, mode: 5 }], ...slp },
    ...top,
  };
}
const decode = (s: Record<string, unknown>, extra: Record<string, unknown> = {}): DecodedDay => decodeItem({ date_time: '2026-01-15', summary: b64(s), ...extra }, opts);
const night = (d: DecodedDay) => d.points.find((p) => p.measurement === 'sleep_daily' && p.tags.sleep === 'main');
const codes = (d: DecodedDay) => d.warnings.map((w) => w.code);

describe('decoder guards', () => {
  it('decodes the baseline night: 23:00–06:00 CET, 60 light + 360 deep', () => {
    const d = decode(summary());
    expect(d.warnings).toEqual([]);
    expect(night(d)?.fields).toMatchObject({ start_s: ST, end_s: ED, light_min: 60, deep_min: 360, asleep_min: 420, in_bed_min: 420, bedtime_local_min: 1380, wake_local_min: 360 });
  });

  it('ignores slp.st in milliseconds (INSTANT_MS) and anchors the same night on slp.ed', () => {
    const d = decode(summary({ st: ST * 1000 }));
    expect(codes(d)).toEqual(['INSTANT_MS']);
    expect(d.warnings[0]).toMatchObject({ day: '2026-01-15', message: expect.stringMatching(/^slp\.st is 1768428000000, which reads as milliseconds \(2026-01-14T22:00:00\.000Z\)/) });
    expect(night(d)?.fields).toMatchObject({ start_s: ST, end_s: ED });
    expect(night(d)?.time).toBe(ED);
  });

  it('ignores slp.st = 2^53−1 and slp.ed = 2^53−1 without a throw; the stages fall back to the record midnight', () => {
    const d = decode(summary({ st: 2 ** 53 - 1, ed: 2 ** 53 - 1 - 60 }));
    expect(codes(d)).toEqual(['VALUE_OUT_OF_RANGE', 'VALUE_OUT_OF_RANGE', 'SLEEP_ANCHOR_FALLBACK']);
    expect(d.warnings.map((w) => w.message.split(' ')[0])).toEqual(['slp.st', 'slp.ed', 'slp.st']);
    // anchored at 2026-01-15 00:00 CET = 1768431600: the night moves a day later, as the fallback warns
    expect(night(d)?.fields).toMatchObject({ start_s: 1768431600 + 1380 * 60, end_s: 1768431600 + 1800 * 60 });
  });

  it('leaves out slp.lt = 2^53−1 and takes light_min from the stages', () => {
    const d = decode(summary({ lt: 2 ** 53 - 1 }));
    expect(codes(d)).toEqual(['VALUE_OUT_OF_RANGE']);
    expect(d.warnings[0]?.message).toMatch(/^slp\.lt is 9007199254740991, outside the possible 0–1440 min/);
    expect(night(d)?.fields).toMatchObject({ light_min: 60, asleep_min: 420 });
  });

  it('ignores a slp.ed three days after the night (outside the sleep window) and ends the night at its stages', () => {
    const d = decode(summary({ ed: ED + 3 * 86400 }));
    expect(codes(d)).toEqual(['SLEEP_OUTSIDE_WINDOW']);
    expect(d.warnings[0]?.message).toMatch(/^slp\.ed is 1768712400 .* outside the record's sleep window 2026-01-14T11:00:00\.000Z – 2026-01-16T23:00:00\.000Z; ignored$/);
    expect(night(d)?.fields).toMatchObject({ start_s: ST, end_s: ED });
  });

  it('drops a night whose stages lie outside the window (stage minutes counted from a week-old anchor)', () => {
    const d = decode(summary({ st: ST - 4 * 86400, ed: undefined }));
    expect(codes(d)).toEqual(['MISSING_KEY', 'SLEEP_OUTSIDE_WINDOW', 'SLEEP_ANCHOR_FALLBACK']);
    const dropped = decode(summary({ stage: [{ start: 1380 + 5 * 1440, stop: 1400 + 5 * 1440, mode: 4 }], st: undefined, ed: undefined }));
    expect(codes(dropped)).toEqual(['MISSING_KEY', 'MISSING_KEY', 'SLEEP_ANCHOR_FALLBACK', 'SLEEP_OUTSIDE_WINDOW']);
    expect(dropped.warnings[3]?.message).toMatch(/^slp\.stage: the sleep .* sleep dropped$/);
    expect(dropped.points.filter((p) => p.measurement.startsWith('sleep'))).toEqual([]);
    expect(dropped.spans.filter((s) => s.measurement.startsWith('sleep'))).toEqual([]);
  });

  it('ignores sync in milliseconds, rhr 300 and score 101, keeping the rest of the day', () => {
    const d = decode(summary({ rhr: 300, ss: 101 }, { sync: 1768460000000 }));
    expect(codes(d)).toEqual(['INSTANT_MS', 'VALUE_OUT_OF_RANGE', 'VALUE_OUT_OF_RANGE']);
    expect(d.warnings.map((w) => w.message.split(' ')[0])).toEqual(['sync', 'slp.rhr', 'slp.ss']);
    const daily = d.points.find((p) => p.measurement === 'activity_daily');
    expect(daily?.fields).toEqual({ steps: 5000, distance_m: 3500, calories_kcal: 200, goal_steps: 8000 });
    expect(night(d)?.fields.resting_hr_bpm).toBeUndefined();
    expect(night(d)?.fields.score).toBeUndefined();
  });

  it('reads a tz in milliseconds as seconds, with TZ_MS', () => {
    const d = decode(summary({}, { tz: '3600000' }));
    expect(codes(d)).toEqual(['TZ_MS']);
  });

  it('rejects NaN and Infinity from a summary sent as an object', () => {
    const s = summary();
    (s.stp as Record<string, unknown>).ttl = Number.NaN;
    (s.slp as Record<string, unknown>).dp = Number.POSITIVE_INFINITY;
    const d = decodeItem({ date_time: '2026-01-15', summary: s }, opts);
    expect(codes(d)).toEqual(['FIELD_INVALID', 'FIELD_INVALID']);
    expect(d.points.find((p) => p.measurement === 'activity_daily')?.fields.steps).toBeUndefined();
    expect(night(d)?.fields.deep_min).toBe(360); // from the stages
  });

  it('skips a date outside 2000–2099 and a day the zone skipped entirely (Pacific/Apia 2011-12-30)', () => {
    expect(codes(decodeItem({ date_time: '1999-12-31', summary: b64(summary()) }, opts))).toEqual(['DATE_INVALID']);
    const hr = Buffer.alloc(1440, 70).toString('base64');
    const apia = decodeItem({ date_time: '2011-12-30', data_hr: hr }, { timeZone: 'Pacific/Apia', user: 'u' });
    expect(apia.points).toEqual([]); // no minute of that date exists there
  });

  it('a sparse response array gives ITEM_INVALID, not a throw', () => {
    // eslint-disable-next-line no-sparse-arrays
    const r = decodeResponse([, { date_time: '2026-01-15', summary: b64(summary()) }], opts);
    expect(r.warnings.map((w) => w.code)).toEqual(['ITEM_INVALID']);
    expect(r.days.map((d) => d.date)).toEqual(['', '2026-01-15']);
  });

  it('every point of every case above passes checkPoint', () => {
    for (const s of [summary(), summary({ st: ST * 1000 }), summary({ lt: 2 ** 53 - 1 })]) for (const p of decode(s).points) expect(checkPoint(p)).toEqual([]);
  });
});
