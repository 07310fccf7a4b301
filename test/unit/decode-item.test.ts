// decodeItem / decodeResponse behaviour outside the golden cases: zones, tz, spans, shapes.
import { describe, expect, it } from 'vitest';
import { decodeItem, decodeResponse } from '../../src/decode/index.js';

const b64 = (v: unknown): string =>
  (v instanceof Uint8Array ? Buffer.from(v) : Buffer.from(typeof v === 'string' ? v : JSON.stringify(v))).toString('base64');
const opts = { timeZone: 'Europe/Berlin', user: 'alice' };
const summary = (extra: Record<string, unknown> = {}) => ({ v: 6, tz: '3600', goal: 8000, stp: { ttl: 0, dis: 0, cal: 0, stage: [] }, slp: { st: 5, ed: 5, stage: [] }, ...extra });
const item = (extra: Record<string, unknown> = {}) => ({ uid: '42', date_time: '2026-01-14', summary: b64(summary()), ...extra });
const codes = (ws: { code: string }[]) => ws.map((w) => w.code);

describe('decodeItem', () => {
  it('writes steps 0 as a real value and no sleep points for a no-sleep day (st == ed)', () => {
    const day = decodeItem(item(), opts);
    expect(day.points).toEqual([{ measurement: 'activity_daily', tags: { user: 'alice' }, fields: { steps: 0, distance_m: 0, calories_kcal: 0, goal_steps: 8000 }, time: Date.UTC(2026, 0, 13, 23) / 1000 }]);
    expect(day.warnings).toEqual([]);
  });
  it('places naps of a day without a night on the record date under both anchor conventions', () => {
    // 14:00–14:29 local on 2026-01-14 (CET): minutes 840..869 from its own midnight, or
    // 2280..2309 from the previous midnight (the wake-date convention's anchor).
    const nap = (start: number) => ({ slp: { st: 5, ed: 5, stage: [], odd_stage: [{ start, stop: start + 29, mode: 4 }] } });
    const napStarts = (start: number) => {
      const day = decodeItem(item({ summary: b64(summary(nap(start))) }), opts);
      return day.points.filter((p) => p.measurement === 'sleep_stage' && p.tags.phase !== 'end').map((p) => p.time);
    };
    const expected = Date.UTC(2026, 0, 14, 13) / 1000;
    expect(napStarts(840)).toEqual([expected]);
    expect(napStarts(2280)).toEqual([expected]);
  });
  it('tags points with the item uid when no user is configured', () => {
    expect(decodeItem(item(), { timeZone: 'UTC', user: '' }).points[0]?.tags.user).toBe('42');
  });
  it('falls back to the record tz, with a warning, when the zone is not an IANA zone', () => {
    const day = decodeItem(item(), { timeZone: 'Mars/Olympus', user: 'a' });
    expect(codes(day.warnings)).toEqual(['TZ_FALLBACK']);
    expect(day.points[0]?.time).toBe(Date.UTC(2026, 0, 13, 23) / 1000);
  });
  it('warns when tz is neither the offset in force nor the standard offset', () => {
    const day = decodeItem(item({ summary: b64(summary({ tz: '-18000' })) }), opts);
    expect(codes(day.warnings)).toEqual(['TZ_MISMATCH']);
    expect(day.warnings[0]?.day).toBe('2026-01-14');
  });
  it('owns a whole-day span only for the sources present in the item', () => {
    const summaryOnly = decodeItem(item(), opts);
    expect(summaryOnly.spans.map((s) => s.measurement).sort()).toEqual(['activity_daily', 'activity_stage']);
    const detail = decodeItem(item({ data_hr: b64(new Uint8Array(1440).fill(255)), data: b64(new Uint8Array(4320)) }), opts);
    expect(detail.spans.map((s) => s.measurement).sort()).toEqual(['activity_daily', 'activity_hourly', 'activity_minute', 'activity_stage', 'heart_rate']);
    for (const s of detail.spans) expect([s.start, s.end]).toEqual([Date.UTC(2026, 0, 13, 23) / 1000, Date.UTC(2026, 0, 14, 23) / 1000]);
  });
  it('a broken summary owns no spans, so the sync keeps what it wrote before', () => {
    const day = decodeItem(item({ summary: 'not base64 !' }), opts);
    expect(day.spans).toEqual([]);
    expect(codes(day.warnings)).toEqual(['BAD_BASE64']);
  });
  it.each([null, 42, 'x', [1, 2]])('never throws on a non-object item (%j)', (bad) => {
    const day = decodeItem(bad, opts);
    expect(day.points).toEqual([]);
    expect(codes(day.warnings)).toEqual(['ITEM_INVALID']);
  });
  it('reads the tolerated `date` and `sum` keys', () => {
    const day = decodeItem({ date: '2026-01-14', sum: b64(summary()) }, opts);
    expect(day.date).toBe('2026-01-14');
    expect(day.points).toHaveLength(1);
  });
  it('draws an end point at a gap between sleep stages and the last stage end', () => {
    const anchor = Date.UTC(2026, 0, 12, 23) / 1000;
    const slp = { st: anchor + 1380 * 60, ed: anchor + 1500 * 60, stage: [{ start: 1380, stop: 1409, mode: 4 }, { start: 1420, stop: 1499, mode: 5 }] };
    const day = decodeItem(item({ summary: b64(summary({ slp })) }), opts);
    const phases = day.points.filter((p) => p.measurement === 'sleep_stage').map((p) => [p.tags.phase, (p.time - anchor) / 60]);
    expect(phases).toEqual([['light', 1380], ['end', 1410], ['deep', 1420], ['end', 1500]]);
  });
  it('warns when the last sleep stage does not end at slp.ed', () => {
    const anchor = Date.UTC(2026, 0, 12, 23) / 1000;
    const slp = { st: anchor + 1380 * 60, ed: anchor + 1600 * 60, stage: [{ start: 1380, stop: 1499, mode: 4 }] };
    expect(codes(decodeItem(item({ summary: b64(summary({ slp })) }), opts).warnings)).toContain('SLEEP_END_MISMATCH');
  });
});

describe('decodeResponse', () => {
  it('reports a response that is not an object with a data array', () => {
    expect(codes(decodeResponse('nope', opts).warnings)).toEqual(['RESPONSE_SHAPE']);
    expect(codes(decodeResponse({ code: 1 }, opts).warnings)).toEqual(['RESPONSE_SHAPE']);
  });
  it('warns on a non-success code but still decodes the data', () => {
    const r = decodeResponse({ code: 0, message: 'x', data: [item()] }, opts);
    expect(codes(r.warnings)).toEqual(['RESPONSE_CODE']);
    expect(r.days).toHaveLength(1);
  });
  it('tolerates data keyed by date and sorts days by date', () => {
    const r = decodeResponse({ code: 1, data: { '2026-01-15': { summary: b64(summary()) }, '2026-01-14': { summary: b64(summary()) } } }, opts);
    expect(r.days.map((d) => d.date)).toEqual(['2026-01-14', '2026-01-15']);
  });
});
