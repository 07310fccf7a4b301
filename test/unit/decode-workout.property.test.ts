// The workout and weigh-in decoders are total (docs/metrics.md "Workouts and weigh-ins"): for
// fake items mutated field by field, arbitrary stream strings and arbitrary values they return,
// every point passes checkPoint and every warning carries a day string.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeWeighIn } from '../../src/decode/weight.js';
import { decodeWorkout } from '../../src/decode/workouts/index.js';
import { FakeDataStore } from '../../src/fake/data/store.js';
import { detailData, historyItem } from '../../src/fake/data/workout-wire.js';
import { checkPoint } from '../../src/schema/check.js';

const SEED = Number(process.env.FC_SEED ?? 20260121);
const store = new FakeDataStore({
  seed: 4, from: '2025-12-01', now: () => new Date('2026-01-20T12:00:00Z'), zoneFor: () => 'America/New_York',
  nightConvention: 'wake-date', tzField: 'actual', recordWidth: 3, napAnchor: 'sleep-anchor',
});
const workouts = store.workouts('1000000001').slice(0, 12);
const weighIns = store.weighIns('1000000001', '-1').slice(0, 12);

const junk = fc.oneof(fc.anything(), fc.string(), fc.constantFrom('', '-1', '-2000000', '-20000', 'NaN', '1e400', '9999999999999', ';;,', ',5;,;0,-2000000;'));
const stream = fc.array(fc.tuple(fc.oneof(fc.constant(''), fc.integer({ min: -3, max: 4e9 }).map(String), fc.constant('-2000000')), fc.oneof(fc.integer().map(String), fc.constant(''))), { maxLength: 30 })
  .map((rs) => rs.map(([a, b]) => `${a},${b};`).join(''));

function valid(r: { points: unknown[]; warnings: { day: unknown }[] }): void {
  for (const p of r.points) expect(checkPoint(p as never)).toEqual([]);
  for (const w of r.warnings) expect(typeof w.day).toBe('string');
}

describe('workout and weigh-in decoders are total (fast-check)', () => {
  it('mutated fake workouts and arbitrary streams', () => {
    fc.assert(
      fc.property(fc.nat(workouts.length - 1), fc.string(), junk, fc.constantFrom('time', 'longitude_latitude', 'altitude', 'heart_rate', 'pause', 'trackid'), stream, (i, key, value, streamKey, s) => {
        const w = workouts[i]!;
        const h: Record<string, unknown> = { ...historyItem(w), [key === '' ? 'trackid' : key]: value };
        const d: Record<string, unknown> = { ...detailData(w), [streamKey]: s };
        valid(decodeWorkout(h, d, { timeZone: 'America/New_York', user: 'u' }));
        valid(decodeWorkout(historyItem(w), d, { timeZone: 'America/New_York', user: 'u' }));
      }),
      { numRuns: 300, seed: SEED },
    );
  });

  it('arbitrary values and mutated weigh-ins', () => {
    fc.assert(
      fc.property(junk, junk, fc.nat(weighIns.length - 1), fc.string(), junk, (a, b, i, key, value) => {
        valid(decodeWorkout(a, b, { timeZone: 'Europe/Berlin', user: 'u' }));
        valid(decodeWeighIn(a, { timeZone: 'Europe/Berlin', user: 'u', heightCm: 178 }));
        const r = weighIns[i]!;
        valid(decodeWeighIn({ ...r, summary: { ...r.summary, [key]: value } }, { timeZone: 'Europe/Berlin', user: 'u', heightCm: 178 }));
        valid(decodeWeighIn({ ...r, [key]: value }, { timeZone: 'Bad/Zone', user: 'u' }));
      }),
      { numRuns: 500, seed: SEED },
    );
  });
});
