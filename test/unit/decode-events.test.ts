// decodeEvents (docs/metrics.md "Health events"): expected values by hand arithmetic from the
// item shapes of docs/huami-api.md "Health events", never from the decoder.
import { describe, expect, it } from 'vitest';
import { decodeEvents } from '../../src/decode/events/index.js';
import { checkPoint } from '../../src/schema/check.js';

const opts = { timeZone: 'Europe/Berlin', user: 'alice' };
const s = (iso: string) => Date.parse(iso) / 1000;
const ms = (iso: string) => Date.parse(iso);

function stressItem(day0: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    userId: '1', eventType: 'all_day_stress', subType: 'all_day_stress', timestamp: ms(day0) + 1,
    avgStress: '43', minStress: '5', maxStress: '67', relaxProportion: '30', normalProportion: '58', mediumProportion: '12', highProportion: '0',
    data: JSON.stringify([{ time: ms(day0) + 300_000, value: 47 }, { time: ms(day0) + 600_000, value: 39 }]),
    ...over,
  };
}

describe('decodeEvents: all_day_stress', () => {
  it('a plain day: the summary at local midnight, the samples at their instants, spans = the local day', () => {
    const { days, warnings } = decodeEvents('all_day_stress', { items: [stressItem('2026-01-14T23:00:00Z')] }, opts);
    expect(warnings).toEqual([]);
    expect(days.map((d) => d.date)).toEqual(['2026-01-15']);
    const [day] = days;
    expect(day?.points).toEqual([
      { measurement: 'stress_daily', tags: { user: 'alice' }, time: s('2026-01-14T23:00:00Z'), fields: { stress_avg: 43, stress_min: 5, stress_max: 67, relaxed_pct: 30, normal_pct: 58, medium_pct: 12, high_pct: 0, samples: 2 } },
      { measurement: 'stress_sample', tags: { user: 'alice' }, time: s('2026-01-14T23:05:00Z'), fields: { stress: 47 } },
      { measurement: 'stress_sample', tags: { user: 'alice' }, time: s('2026-01-14T23:10:00Z'), fields: { stress: 39 } },
    ]);
    expect(day?.spans).toEqual([
      { measurement: 'stress_daily', start: s('2026-01-14T23:00:00Z'), end: s('2026-01-15T23:00:00Z') },
      { measurement: 'stress_sample', start: s('2026-01-14T23:00:00Z'), end: s('2026-01-15T23:00:00Z') },
    ]);
  });

  it('spring forward in Berlin: a 23-hour day, samples either side of the gap at their true instants', () => {
    const item = stressItem('2026-03-28T23:00:00Z', { data: JSON.stringify([{ time: ms('2026-03-29T00:55:00Z'), value: 20 }, { time: ms('2026-03-29T01:05:00Z'), value: 22 }, { time: ms('2026-03-29T21:59:00Z'), value: 30 }]) });
    const [day] = decodeEvents('all_day_stress', [item], opts).days;
    expect(day?.date).toBe('2026-03-29');
    expect(day?.spans[0]).toEqual({ measurement: 'stress_daily', start: s('2026-03-28T23:00:00Z'), end: s('2026-03-29T22:00:00Z') });
    expect(day?.points.filter((p) => p.measurement === 'stress_sample').map((p) => p.time)).toEqual([s('2026-03-29T00:55:00Z'), s('2026-03-29T01:05:00Z'), s('2026-03-29T21:59:00Z')]);
  });

  it('fall back in Berlin: a 25-hour day, the first hour of the next day is not this day', () => {
    const item = stressItem('2026-10-24T22:00:00Z', { data: JSON.stringify([{ time: ms('2026-10-25T22:59:00Z'), value: 20 }, { time: ms('2026-10-25T23:00:00Z'), value: 22 }]) });
    const { days, warnings } = decodeEvents('all_day_stress', [item], opts);
    expect(days[0]?.spans[0]).toEqual({ measurement: 'stress_daily', start: s('2026-10-24T22:00:00Z'), end: s('2026-10-25T23:00:00Z') });
    expect(days[0]?.points.filter((p) => p.measurement === 'stress_sample').map((p) => p.time)).toEqual([s('2026-10-25T22:59:00Z')]);
    expect(warnings.map((w) => w.code)).toEqual(['POINT_OUTSIDE_WINDOW']);
  });

  it('numbers as strings with spaces are read; empty strings are no value, silently', () => {
    const item = stressItem('2026-01-14T23:00:00Z', { avgStress: ' 43 ', minStress: '', maxStress: '  ', highProportion: '\t7' });
    const { days, warnings } = decodeEvents('all_day_stress', [item], opts);
    expect(warnings).toEqual([]);
    expect(days[0]?.points[0]?.fields).toEqual({ stress_avg: 43, relaxed_pct: 30, normal_pct: 58, medium_pct: 12, high_pct: 7, samples: 2 });
  });

  it('impossible values are left out with a warning naming the field; `data` that is not JSON owns no samples', () => {
    const item = stressItem('2026-01-14T23:00:00Z', { avgStress: '143', minStress: '4.5', maxStress: 'x', data: '[{"time":' });
    const { days, warnings } = decodeEvents('all_day_stress', [item], opts);
    expect(warnings.map((w) => [w.code, w.message.split(' ')[0]])).toEqual([['VALUE_OUT_OF_RANGE', 'avgStress'], ['FIELD_INVALID', 'minStress'], ['FIELD_INVALID', 'maxStress'], ['BAD_JSON', 'data']]);
    expect(days[0]?.points.map((p) => p.measurement)).toEqual(['stress_daily']);
    expect(days[0]?.spans.map((x) => x.measurement)).toEqual(['stress_daily']);
  });
});

describe('decodeEvents: readiness', () => {
  const v2 = (update: string, value: Record<string, unknown>) => ({ userId: '1', eventType: 'readiness', subType: 'watch_score', timestamp: ms(update), value: { timestamp: ms('2026-01-14T23:00:00Z'), timestampUpdate: ms(update), ...value } });

  it('two items for one night: the later timestampUpdate wins, whatever the order; no warning', () => {
    const early = v2('2026-01-15T06:10:00Z', { sleepHRV: 40, rdnsScore: 50 });
    const late = v2('2026-01-15T07:00:00Z', { sleepHRV: 52, rdnsScore: 71 });
    for (const items of [[early, late], [late, early]]) {
      const { days, warnings } = decodeEvents('readiness', { items }, opts);
      expect(warnings).toEqual([]);
      expect(days.map((d) => d.points)).toEqual([[{ measurement: 'readiness', tags: { user: 'alice' }, time: s('2026-01-14T23:00:00Z'), fields: { sleep_hrv_ms: 52, readiness_score: 71, computed_s: s('2026-01-15T07:00:00Z') } }]]);
    }
  });

  it('255 and 32767 are "no value": left out with a warning SENTINEL; skin temperature in hundredths of °C', () => {
    const { days, warnings } = decodeEvents('readiness', [v2('2026-01-15T07:00:00Z', { sleepRHR: 57, hrvScore: 255, ahiScore: 255, skinTempCalibrated: -56, hrvBaseline: 255 })], opts);
    expect(warnings.map((w) => w.code)).toEqual(['SENTINEL', 'SENTINEL', 'SENTINEL']);
    expect(days[0]?.points[0]?.fields).toEqual({ sleep_rhr_bpm: 57, skin_temp_delta_c: -0.56, computed_s: s('2026-01-15T07:00:00Z') });
    const [flat] = decodeEvents('readiness', [{ eventType: 'readiness', subType: 'watch_score', timestamp: String(ms('2026-01-14T23:00:00Z')), timestampUpdate: String(ms('2026-01-15T07:00:00Z')), sleepRHR: '57', skinTempCalibrated: '32767' }], opts).days;
    expect(flat?.points[0]?.fields).toEqual({ sleep_rhr_bpm: 57, computed_s: s('2026-01-15T07:00:00Z') });
  });
});

describe('decodeEvents: blood_oxygen', () => {
  it('a spot check: trailing zeros of spo2History are padding, the last sample at the reading, one second apart', () => {
    const t = ms('2026-01-15T10:00:00Z');
    const extra = JSON.stringify({ spo2: 97, spo2History: [96, 97, 98, 0, 0, 0], isAuto: false });
    const { days, warnings } = decodeEvents('blood_oxygen', [{ eventType: 'blood_oxygen', subType: 'click', timestamp: t, timezone: 'Europe/Berlin', extra }], opts);
    expect(warnings).toEqual([]);
    expect(days[0]?.points.map((p) => [p.measurement, p.time - t / 1000, p.fields])).toEqual([
      ['blood_oxygen_spot', 0, { saturation_pct: 97, auto: 0, history_samples: 3 }],
      ['blood_oxygen_sample', -2, { saturation_pct: 96 }],
      ['blood_oxygen_sample', -1, { saturation_pct: 97 }],
      ['blood_oxygen_sample', 0, { saturation_pct: 98 }],
    ]);
  });

  it('ODI printed as a binary double is the truncated value; the night belongs to its wake date', () => {
    // 2 desaturations in 7 h 41 min 30 s (27 690 s): 2 / 7.6917 h = 0.26002 → truncated 0.26.
    const item = { eventType: 'blood_oxygen', subType: 'odi', timestamp: ms('2026-01-14T23:00:00Z'), odi: '0.26000000000000001', odiNum: '2', valid: '1', score: '88', cost: '27690' };
    const { days } = decodeEvents('blood_oxygen', [item], opts);
    expect(days[0]?.date).toBe('2026-01-15');
    expect(days[0]?.points[0]).toEqual({ measurement: 'blood_oxygen_odi', tags: { user: 'alice' }, time: s('2026-01-14T23:00:00Z'), fields: { odi_per_h: 0.26, desaturations: 2, sleep_s: 27690, score: 88, valid: 1 } });
  });

  it('an item zone that disagrees with the configured one gives TZ_MISMATCH; the legacy alias Asia/Calcutta matches Asia/Kolkata', () => {
    const item = (timezone: string) => ({ eventType: 'blood_oxygen', subType: 'osa_event', timestamp: ms('2026-01-15T01:00:00Z'), timezone, extra: '{"spo2_decrease":5}' });
    const ist = { timeZone: 'Asia/Kolkata', user: 'a' };
    expect(decodeEvents('blood_oxygen', [item('Asia/Calcutta')], ist).warnings).toEqual([]);
    // PaiHealthInfo counts quarter-hours: "22" = +05:30.
    expect(decodeEvents('PaiHealthInfo', [{ eventType: 'PaiHealthInfo', timestamp: ms('2026-01-14T18:30:00Z'), dailyPai: '3', timeZone: '22' }], ist).warnings).toEqual([]);
    expect(decodeEvents('PaiHealthInfo', [{ eventType: 'PaiHealthInfo', timestamp: ms('2026-01-14T18:30:00Z'), dailyPai: '3', timeZone: '4' }], ist).warnings.map((w) => w.code)).toEqual(['TZ_MISMATCH']);
  });
});

describe('decodeEvents: whatever comes', () => {
  it('never throws, warns for what it cannot place, and every point passes checkPoint', () => {
    const junk: unknown[] = [null, 1, 'x', [], { eventType: 'all_day_stress' }, { eventType: 'nope', timestamp: 1 }, { eventType: 'PaiHealthInfo', timestamp: 1768431600 }, stressItem('2026-01-14T23:00:00Z')];
    const { days, warnings } = decodeEvents('all_day_stress', junk, opts);
    expect(days.map((d) => d.date)).toEqual(['2026-01-15']);
    expect(warnings.map((w) => w.code)).toEqual(['ITEM_INVALID', 'ITEM_INVALID', 'ITEM_INVALID', 'ITEM_INVALID', 'MISSING_KEY', 'ITEM_INVALID', 'EVENT_UNKNOWN', 'INSTANT_SECONDS', 'ITEM_INVALID']);
    for (const p of days.flatMap((d) => d.points)) expect(checkPoint(p)).toEqual([]);
    expect(decodeEvents('readiness', { nothing: 1 }, opts).warnings.map((w) => w.code)).toEqual(['RESPONSE_SHAPE']);
    expect(decodeEvents('readiness', [], { timeZone: 'Mars/Base', user: 'a' }).warnings.map((w) => w.code)).toEqual(['TZ_FALLBACK']);
  });
});
