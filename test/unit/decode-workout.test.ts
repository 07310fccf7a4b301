// Workout and weigh-in decoding against the fake's ground truth (src/fake/data/workouts.ts,
// weights.ts) rendered in the wire format: expected values come from the generator's own numbers
// or hand arithmetic, never from the decoder (docs/metrics.md `workout`, `workout_sample`, `weigh_in`).
import { describe, expect, it } from 'vitest';
import { decodeWeighIn } from '../../src/decode/weight.js';
import { decodeWorkout } from '../../src/decode/workouts/index.js';
import { localDate } from '../../src/fake/data/clock.js';
import { FakeDataStore } from '../../src/fake/data/store.js';
import { detailData, historyItem } from '../../src/fake/data/workout-wire.js';
import type { FakeWorkout } from '../../src/fake/data/workouts.js';
import { checkPoint } from '../../src/schema/check.js';
import type { Point } from '../../src/schema/point.js';

const UID = '1000000001';
const ZONE = 'Europe/Berlin';
const store = new FakeDataStore({
  seed: 3, from: '2025-08-01', now: () => new Date('2026-01-20T12:00:00Z'), zoneFor: () => ZONE,
  nightConvention: 'wake-date', tzField: 'actual', recordWidth: 3, napAnchor: 'sleep-anchor',
});
const truth = store.workouts(UID);
const decode = (w: FakeWorkout) => decodeWorkout(historyItem(w), { code: 1, message: 'success', data: detailData(w) }, { timeZone: ZONE, user: 'alice' });
const summaryOf = (points: Point[]) => points.find((p) => p.measurement === 'workout') as Point;
const samplesOf = (points: Point[]) => points.filter((p) => p.measurement === 'workout_sample');
const first = (type: number, pred: (w: FakeWorkout) => boolean = () => true) => truth.find((w) => w.type === type && pred(w)) as FakeWorkout;

describe('decodeWorkout on every fake workout', () => {
  it('decodes all without warnings; every point passes the schema; date = local date of the start', () => {
    expect(truth.length).toBeGreaterThan(50);
    for (const w of truth) {
      const d = decode(w);
      expect(d.warnings, String(w.trackid)).toEqual([]);
      for (const p of d.points) expect(checkPoint(p)).toEqual([]);
      expect(d.date).toBe(localDate(w.trackid * 1000, ZONE));
      expect(d.spans).toEqual([
        { measurement: 'workout', start: w.trackid, end: w.trackid + 1, tags: { track: String(w.trackid) } },
        { measurement: 'workout_sample', start: w.trackid, end: w.trackid + 7 * 86_400, tags: { track: String(w.trackid) } },
      ]);
    }
  });

  it('reports the service distance, not the track length, and the moving time', () => {
    const run = first(1);
    const s = summaryOf(decode(run).points);
    expect(s.fields.distance_m).toBe(run.distance);
    expect(Math.abs(run.distance - run.trackDistance)).toBeGreaterThan(10);
    expect(s.fields.moving_s).toBe(run.runTime);
    expect(s.fields.duration_s).toBe(run.end - run.trackid);
    expect(s.fields.avg_pace_s_per_km).toBeCloseTo((run.runTime / run.distance) * 1000, 2);
    expect(s.fields.steps).toBe(run.steps);
    expect(s.fields.training_effect).toBe(run.te / 10);
    expect(s.tags).toEqual({ user: 'alice', sport: 'outdoor_run', track: String(run.trackid) });
    expect(s.time).toBe(run.trackid);
  });

  it('has only the fields its sport has', () => {
    const bike = summaryOf(decode(first(9)).points).fields;
    expect(bike.avg_speed_kmh).toBeCloseTo((3.6 * first(9).distance) / first(9).runTime, 2);
    expect(bike.avg_pace_s_per_km).toBeUndefined();
    const strength = summaryOf(decode(first(52)).points).fields;
    expect(Object.keys(strength).sort()).toEqual(['anaerobic_te', 'avg_hr_bpm', 'calories_kcal', 'duration_s', 'max_hr_bpm', 'moving_s', 'training_effect', 'type_code'].sort());
    const swim = first(14);
    const sw = summaryOf(decode(swim).points).fields;
    expect([sw.laps, sw.pool_length_m, sw.distance_m]).toEqual([swim.swim?.laps, swim.swim?.poolLength, (swim.swim?.laps ?? 0) * (swim.swim?.poolLength ?? 0)]);
    expect(sw.ascent_m).toBeUndefined(); // -100: no value indoors
    const indoor = decode(first(10)).points;
    expect(samplesOf(indoor).every((p) => !('lat' in p.fields) && !('altitude_m' in p.fields))).toBe(true);
  });

  it('places heart rate at its true instants (last value wins on Δt 0) and positions with forward-filled dropouts', () => {
    const run = first(1, (w) => w.track.some((p) => p.lat === null));
    const samples = samplesOf(decode(run).points);
    const byTime = new Map(samples.map((p) => [p.time, p.fields]));
    const hr = new Map<number, number>();
    for (const s of run.hr) hr.set(s.t, s.bpm);
    expect(samples.filter((p) => 'bpm' in p.fields).map((p) => [p.time, p.fields.bpm])).toEqual([...hr].sort((a, b) => a[0] - b[0]));
    const p0 = run.track[0]!;
    expect(byTime.get(p0.t)?.lat).toBe((p0.lat as number) / 1e8);
    const k = run.track.findIndex((p) => p.lat === null);
    const before = run.track.slice(0, k).reverse().find((p) => p.lat !== null)!;
    const f = byTime.get(run.track[k]!.t)!;
    expect([f.lat, f.lon]).toEqual([(before.lat as number) / 1e8, (before.lon as number) / 1e8]);
    expect(f.speed_mps).toBeUndefined();
    for (const p of samples) if ('altitude_m' in p.fields) expect(p.fields.altitude_m).toBeGreaterThan(20); // never -20000 m
  });

  it('computes speed from the first two fixes by hand', () => {
    const run = first(1, (w) => w.track[0]!.alt !== null && w.track[1]!.lat !== null);
    const [a, b] = run.track as [FakeWorkout['track'][0], FakeWorkout['track'][0]];
    const r = Math.PI / 180, la1 = (a.lat as number) / 1e8, la2 = (b.lat as number) / 1e8;
    const dLat = (la2 - la1) * r, dLon = ((b.lon as number) - (a.lon as number)) / 1e8 * r;
    const h = Math.sin(dLat / 2) ** 2 + Math.cos(la1 * r) * Math.cos(la2 * r) * Math.sin(dLon / 2) ** 2;
    const metres = 2 * 6_371_008.8 * Math.asin(Math.sqrt(h));
    const p = samplesOf(decode(run).points).find((s) => s.time === b.t)!;
    expect(p.fields.speed_mps).toBeCloseTo(metres / (b.t - a.t), 2);
    expect(p.fields.altitude_m).toBe((b.alt as number) / 100);
  });

  it('writes no speed across a pause', () => {
    const w = truth.find((x) => x.pauses.length > 0 && x.track.length > 0) as FakeWorkout;
    const p = w.pauses[0]!;
    const after = w.track.find((x) => x.t >= p.start + p.duration && x.lat !== null)!;
    const s = samplesOf(decode(w).points).find((x) => x.time === after.t)!;
    expect(s.fields.speed_mps).toBeUndefined();
    expect(s.time - (w.track[w.track.indexOf(after) - 1]!.t)).toBeGreaterThanOrEqual(p.duration - 3);
  });

  it('summary only without a detail; a detail of another track is refused', () => {
    const w = truth[0] as FakeWorkout;
    expect(decodeWorkout(historyItem(w), undefined, { timeZone: ZONE, user: 'u' }).points.length).toBe(1);
    const other = decodeWorkout(historyItem(w), detailData(truth[1] as FakeWorkout), { timeZone: ZONE, user: 'u' });
    expect(other.points.length).toBe(1);
    expect(other.warnings.map((x) => x.code)).toEqual(['DETAIL_MISMATCH']);
  });
});

describe('decodeWeighIn', () => {
  const records = store.weighIns(UID, '-1');
  const rec = (type: number) => {
    const w = records.find((x) => x.weightType === type)!;
    return { userId: UID, memberId: w.memberId, generatedTime: w.generatedTime, weightType: w.weightType, summary: w.summary };
  };

  it('a full reading: one point at generatedTime tagged owner, fields as the scale sent them', () => {
    const r = rec(0);
    const d = decodeWeighIn(r, { timeZone: ZONE, user: 'alice', heightCm: 178 });
    const s = r.summary as Record<string, number>;
    expect(d.warnings).toEqual([]);
    expect(d.points).toEqual([{
      measurement: 'weigh_in', tags: { user: 'alice', member: 'owner' }, time: r.generatedTime,
      fields: {
        weight_kg: s.weight, bmi: s.bmi, fat_pct: s.fatRate, water_pct: s.bodyWaterRate, muscle_kg: s.muscleRate, bone_kg: s.boneMass,
        protein_pct: s.proteinRatio, visceral_fat: s.visceralFat, metabolism_kcal: s.metabolism, body_score: s.bodyScore, impedance_ohm: s.impedance, weight_type: 0,
      },
    }]);
    expect(d.date).toBe(localDate(r.generatedTime * 1000, ZONE));
  });

  it('an Apple Health import (type 7) gets its BMI from the profile height', () => {
    const r = rec(7);
    const w = (r.summary as { weight: number }).weight;
    const d = decodeWeighIn(r, { timeZone: ZONE, user: 'alice', heightCm: 178 });
    expect(d.points[0]?.fields).toEqual({ weight_kg: w, weight_type: 7, bmi: Math.round((w / 1.78 / 1.78) * 10) / 10 });
  });

  it('skips type 3 (broken values) and unknown types with a warning; a family member is tagged with its id', () => {
    const broken = decodeWeighIn(rec(3), { timeZone: ZONE, user: 'alice' });
    expect([broken.points, broken.warnings.map((w) => w.code)]).toEqual([[], ['WEIGHIN_BROKEN']]);
    expect(decodeWeighIn({ ...rec(0), weightType: 5 }, { timeZone: ZONE, user: 'a' }).warnings.map((w) => w.code)).toEqual(['WEIGHIN_UNKNOWN_TYPE']);
    const member = store.members(UID)[1]!;
    const m = store.weighIns(UID, member.id).find((x) => x.weightType === 0)!;
    expect(decodeWeighIn(m, { timeZone: ZONE, user: 'a' }).points[0]?.tags.member).toBe(member.id);
  });
});
