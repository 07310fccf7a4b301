// decodeEvents is total (docs/metrics.md "What the decoder guarantees", "Health events"): for
// valid event items mutated field by field and for arbitrary values it never throws, every
// point passes checkPoint and lies in its day's window — the local day computed here with luxon,
// independently of the decoder — and every span is that window.
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { decodeEvents } from '../../src/decode/events/index.js';
import { checkPoint } from '../../src/schema/check.js';

const RUNS = 1500;
const SEED = Number(process.env.FC_SEED ?? 20260401);
const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'UTC', 'America/Santiago'];
const T0 = Date.parse('2026-03-28T23:00:00Z');

const valid = (t: number): Record<string, unknown>[] => [
  { eventType: 'all_day_stress', timestamp: t + 1, avgStress: '43', minStress: '5', maxStress: '67', relaxProportion: '30', normalProportion: '58', mediumProportion: '12', highProportion: '0', data: JSON.stringify([{ time: t + 300_000, value: 47 }, { time: t + 3_600_000, value: 90 }]) },
  { eventType: 'PaiHealthInfo', timestamp: t, dailyPai: '12', totalPai: '70', lowZoneMinutes: '30', restHr: '58', timeZone: '4' },
  { eventType: 'blood_oxygen', subType: 'click', timestamp: t + 36_000_000, timezone: 'Europe/Berlin', extra: JSON.stringify({ spo2: 97, spo2History: [96, 97, 0, 0], isAuto: true }) },
  { eventType: 'blood_oxygen', subType: 'odi', timestamp: t, odi: '0.26000000000000001', odiNum: '2', cost: '27690', score: '88', valid: '1' },
  { eventType: 'blood_oxygen', subType: 'osa_event', timestamp: t + 7_200_000, extra: '{"spo2_decrease":5}' },
  { eventType: 'readiness', subType: 'watch_score', timestamp: t + 25_000_000, value: { timestamp: t, timestampUpdate: t + 25_000_000, sleepHRV: 52, hrvScore: 255, skinTempCalibrated: -56 } },
];

const weird = fc.oneof(
  fc.constantFrom<unknown>(null, undefined, '', ' ', '255', '32767', '-1', 'NaN', '1e3', '0x10', ' 42 ', '4.5', '[', '{}', '[]', [], {}, true, -1, 0, 255, 32767, 1e300, -1e300, Number.NaN, 2 ** 53, 1_774_738_800, 1_774_738_800_000, 9e15),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.anything(),
);

const mutated = fc.record({ which: fc.nat(), t: fc.integer({ min: 0, max: 400 }), edits: fc.array(fc.tuple(fc.nat(), weird), { maxLength: 4 }), nestedEdit: fc.option(fc.tuple(fc.nat(), weird)) }).map(({ which, t, edits, nestedEdit }) => {
  const items = valid(T0 + t * 3_600_000 * 5);
  const item = { ...(items[which % items.length] as Record<string, unknown>) };
  const keys = Object.keys(item);
  for (const [k, v] of edits) item[keys[k % keys.length] as string] = v;
  if (nestedEdit && typeof item.value === 'object' && item.value !== null) {
    const inner = { ...(item.value as Record<string, unknown>) };
    const ik = Object.keys(inner);
    inner[ik[nestedEdit[0] % ik.length] as string] = nestedEdit[1];
    item.value = inner;
  }
  return item;
});

const caseArb = fc.record({
  eventType: fc.constantFrom('all_day_stress', 'PaiHealthInfo', 'blood_oxygen', 'readiness', 'x'),
  zone: fc.constantFrom(...ZONES),
  items: fc.oneof(fc.array(fc.oneof(mutated, mutated, weird), { maxLength: 6 }), weird),
  wrap: fc.boolean(),
});

function localDay(date: string, zone: string): { start: number; end: number } {
  const start = DateTime.fromISO(date, { zone }).startOf('day');
  return { start: start.toSeconds(), end: start.plus({ days: 1 }).startOf('day').toSeconds() };
}

describe('decodeEvents totality (fast-check)', () => {
  it('the valid items decode without warnings other than the 255 sentinel', () => {
    const { days, warnings } = decodeEvents('any', valid(T0), { timeZone: 'Europe/Berlin', user: 'u' });
    expect(warnings.map((w) => w.code)).toEqual(['SENTINEL']);
    expect(days.flatMap((d) => d.points).length).toBe(10); // 1 + 2 stress, 1 PAI, 1 + 2 SpO₂, 1 ODI, 1 desaturation, 1 readiness
  });

  it(`${RUNS} mutated and arbitrary inputs: no throw, every point schema-valid, inside its local day, spans = that day`, () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const body = c.wrap ? { items: c.items, next: null } : c.items;
        const { days, warnings } = decodeEvents(c.eventType, body, { timeZone: c.zone, user: 'u' });
        const dates = new Set(days.map((d) => d.date));
        for (const day of days) {
          const w = localDay(day.date, c.zone);
          for (const p of day.points) {
            expect(checkPoint(p)).toEqual([]);
            expect(p.time >= w.start && p.time < w.end, `${p.measurement} ${p.time} in ${day.date}`).toBe(true);
          }
          for (const s of day.spans) expect([s.start, s.end]).toEqual([w.start, w.end]);
          for (const p of day.points) expect(day.spans.some((s) => s.measurement === p.measurement)).toBe(true);
        }
        for (const w of warnings) expect(w.day === '' || dates.has(w.day)).toBe(true);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
