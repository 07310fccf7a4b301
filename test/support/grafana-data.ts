// A realistic, deterministic dataset for the dashboard query tests: N local days of one account
// (daily totals at local midnight, minute steps and heart rate, stages, one night per day with
// phases and the closing `end` point, a nap, sync runs with one failure and failed days in the newest), built as Points and
// written through toLines into the real InfluxDB. activity_hourly holds the hourly sums of the
// minute steps for every local hour up to now. Health events (stress, readiness, SpO₂, ODI, PAI)
// per day, see healthEvents(); a workout a day with its samples and the scale's weigh-ins of two
// members, see workoutsOfDay() and weighInsOfDay(). DST-correct: local times come from luxon.
// Complements test/integration/grafana-pipeline.test.ts (fake cloud → real decoder): here every
// number is chosen, so naps, a failed run, goal days and a DST change are always in range.
import { DateTime } from 'luxon';
import type { Point } from '../../src/schema/point.js';
import { toLines } from '../../src/schema/line-protocol.js';

export const PHASE_CODE = { end: 0, awake: 1, rem: 2, light: 3, deep: 4 } as const;
const MODE = { light: 4, deep: 5, awake: 7, rem: 8, end: 0 } as const;
type Phase = Exclude<keyof typeof PHASE_CODE, 'end'>;

export interface Night { user: string; wakeDate: string; start: number; end: number; phases: { phase: Phase; start: number; minutes: number }[] }
/** The health-event numbers chosen for one local day (absent: not computed / not measured). */
export interface EventDay {
  stress: { avg: number; min: number; max: number; zones: [number, number, number, number] };
  readiness?: { hrv: number; hrvBaseline: number; rhr: number; rhrBaseline: number; skinTemp: number; score: number };
  odi?: { perHour: number; desaturations: number };
  pai?: { daily: number; total: number };
  spots: { time: number; pct: number }[];
}
/** One chosen workout and its samples (every 10 s; positions, altitude and speed only outdoors). */
export interface Workout {
  track: string; sport: string; start: number; durationS: number; distanceM?: number; paceSPerKm?: number; speedKmh?: number; avgHr: number;
  samples: { t: number; bpm: number; lat?: number; lon?: number; altitude?: number; speed?: number }[];
}
export interface WeighIn { member: string; time: number; weight: number; bmi: number; fat: number; muscle: number }
export interface Dataset { points: Point[]; nights: Night[]; days: { date: string; midnight: number; steps: number; events: EventDay }[]; workouts: Workout[]; weighIns: WeighIn[]; now: number }

/** The family member's id on the scale (the owner is `owner`). */
export const FAMILY_MEMBER = '20412345';
const round1 = (v: number): number => Math.round(v * 10) / 10;

/** Steps of local day i (0 = the oldest day): some days reach the 8000 goal, some do not. */
export const stepsOfDay = (i: number): number => 5200 + ((i * 1370) % 5100);
/** Phase sequence of night i: durations vary per night so each night's totals differ. */
export function phasesOfNight(i: number): [Phase, number][] {
  return [['light', 40 + i], ['deep', 70 + (i % 4) * 5], ['light', 60], ['rem', 25 + (i % 3) * 5], ['awake', 6], ['light', 90], ['deep', 30], ['rem', 40]];
}

/** Stress sample at local minute `m` of a day: low while asleep (00:00–07:00), high while walking. */
export const stressAt = (m: number): number => (m < 420 ? 12 + (m % 9) : (m >= 480 && m < 540) || (m >= 1080 && m < 1110) ? 82 : 41 + ((m / 5) % 17));
/** Daily PAI of day i (0 = the oldest day). */
export const paiOfDay = (i: number): number => 8 + (i % 6) * 4;

/** Write points to `db` on the InfluxDB at `url` (precision s), failing loudly. */
export async function writePoints(url: string, db: string, points: readonly Point[]): Promise<void> {
  for (let i = 0; i < points.length; i += 5000) {
    const res = await fetch(`${url}/write?db=${db}&precision=s`, { method: 'POST', body: toLines(points.slice(i, i + 5000)) });
    if (res.status !== 204) throw new Error(`write failed ${res.status}: ${await res.text()}`);
  }
}

/** A main night: starts at 23:10 local on the evening before `wake`, phases back to back, then `end`. */
export function night(user: string, zone: string, wake: DateTime, i: number, kind: 'main' | 'nap' = 'main', startLocal?: DateTime): { points: Point[]; night: Night } {
  const start = (startLocal ?? wake.minus({ days: 1 }).set({ hour: 23, minute: 10 })).setZone(zone);
  const seq: [Phase, number][] = kind === 'nap' ? [['light', 25], ['deep', 10]] : phasesOfNight(i);
  const points: Point[] = [];
  const phases: Night['phases'] = [];
  let t = start.toSeconds();
  const mins = { light: 0, deep: 0, rem: 0, awake: 0 };
  for (const [phase, minutes] of seq) {
    points.push({ measurement: 'sleep_stage', tags: { user, phase, sleep: kind }, fields: { duration_min: minutes, phase_code: PHASE_CODE[phase], mode: MODE[phase] }, time: t });
    phases.push({ phase, start: t, minutes });
    mins[phase] += minutes;
    t += minutes * 60;
  }
  const end = t;
  points.push({ measurement: 'sleep_stage', tags: { user, phase: 'end', sleep: kind }, fields: { duration_min: 0, phase_code: 0, mode: 0 }, time: end });
  const endLocal = DateTime.fromSeconds(end, { zone });
  const evening = start.startOf('day');
  points.push({
    measurement: 'sleep_daily', tags: { user, sleep: kind }, time: end,
    fields: {
      deep_min: mins.deep, light_min: mins.light, rem_min: mins.rem, awake_min: mins.awake,
      asleep_min: mins.deep + mins.light + mins.rem, in_bed_min: Math.round((end - start.toSeconds()) / 60),
      start_s: start.toSeconds(), end_s: end,
      bedtime_local_min: Math.round((start.toSeconds() - evening.toSeconds()) / 60),
      wake_local_min: Math.round((end - endLocal.startOf('day').toSeconds()) / 60),
      ...(kind === 'main' ? { resting_hr_bpm: 54 + (i % 5), score: 70 + (i % 4) * 6, wake_count: 1 + (i % 3) } : {}),
    },
  });
  return { points, night: { user, wakeDate: endLocal.toISODate() ?? '', start: start.toSeconds(), end, phases } };
}

/**
 * The health events of local day i (docs/metrics.md "Health events"): stress samples every
 * 5 minutes up to now (the last 2 days; every 30 minutes before) and the day's stress summary
 * at local midnight; for a night that has ended, readiness, the ODI and 3 desaturations; two
 * spot checks (11:00 manual, 16:00 automatic) with 30 one-second samples each; PAI only for days
 * at least 2 days old (the service computes it late), the 7-day total a plain sum here.
 */
function healthEvents(user: string, zone: string, day: DateTime, i: number, days: number, n: Night, nowS: number, out: EventDay): Point[] {
  const points: Point[] = [];
  const midnight = day.toSeconds();
  const values: number[] = [];
  const next = day.plus({ days: 1 }).toSeconds();
  // m counts elapsed minutes from local midnight: a 23-hour day ends at m = 1380.
  for (let m = 0; m < 1500; m += 5) {
    const t = day.plus({ minutes: m }).toSeconds();
    if (t > nowS || t >= next) break;
    if (nowS - t >= 2 * 86400 && m % 30 !== 0) continue;
    values.push(stressAt(m));
    points.push({ measurement: 'stress_sample', tags: { user }, time: t, fields: { stress: stressAt(m) } });
  }
  const relaxed = 40 + (i % 4) * 5;
  out.stress = { avg: 35 + (i % 5) * 3, min: Math.min(...values), max: Math.max(...values), zones: [relaxed, 80 - relaxed, 15, 5] };
  points.push({
    measurement: 'stress_daily', tags: { user }, time: midnight,
    fields: { stress_avg: out.stress.avg, stress_min: out.stress.min, stress_max: out.stress.max, relaxed_pct: relaxed, normal_pct: 80 - relaxed, medium_pct: 15, high_pct: 5, samples: values.length },
  });
  if (n.end <= nowS) {
    out.readiness = { hrv: 40 + (i % 7) * 4, hrvBaseline: 52, rhr: 54 + (i % 5), rhrBaseline: 56, skinTemp: ((i % 9) - 4) / 10, score: 55 + (i % 6) * 7 };
    const r = out.readiness;
    points.push({
      measurement: 'readiness', tags: { user }, time: midnight,
      fields: { sleep_hrv_ms: r.hrv, hrv_baseline_ms: r.hrvBaseline, sleep_rhr_bpm: r.rhr, rhr_baseline_bpm: r.rhrBaseline, skin_temp_delta_c: r.skinTemp, readiness_score: r.score, computed_s: n.end + 600 },
    });
    out.odi = { perHour: i % 7 === 3 ? 6.4 : 0.5 + (i % 4) * 1.25, desaturations: 3 + (i % 4) * 9 };
    const sleepS = n.end - n.start;
    points.push({ measurement: 'blood_oxygen_odi', tags: { user }, time: midnight, fields: { odi_per_h: out.odi.perHour, desaturations: out.odi.desaturations, sleep_s: sleepS, score: 85, valid: 1 } });
    for (const k of [1, 2, 3]) points.push({ measurement: 'blood_oxygen_desaturation', tags: { user }, time: n.start + k * 5400, fields: { drop_pct: 3 + ((i + k) % 5) } });
  }
  for (const [hour, auto] of [[11, 0], [16, 1]] as const) {
    const t = day.set({ hour }).toSeconds();
    if (t > nowS) continue;
    const pct = 98 - ((i + hour) % 5);
    out.spots.push({ time: t, pct });
    points.push({ measurement: 'blood_oxygen_spot', tags: { user }, time: t, fields: { saturation_pct: pct, auto, history_samples: 30 } });
    for (let k = 0; k < 30; k++) points.push({ measurement: 'blood_oxygen_sample', tags: { user }, time: t - 29 + k, fields: { saturation_pct: pct - (k % 3) } });
  }
  if (i <= days - 3) {
    out.pai = { daily: paiOfDay(i), total: Array.from({ length: Math.min(7, i + 1) }, (_, k) => paiOfDay(i - k)).reduce((a, b) => a + b, 0) };
    points.push({ measurement: 'pai_daily', tags: { user }, time: midnight, fields: { pai: out.pai.daily, total_pai: out.pai.total, low_zone_pai: out.pai.daily, medium_zone_pai: 0, high_zone_pai: 0, low_zone_min: 40 } });
  }
  return points;
}

/**
 * The workouts of local day i: a run at 18:00 (30 min) on days i % 3 = 0, a bike ride at 07:30
 * (45 min) on i % 3 = 1, strength at 12:00 (40 min, heart rate only) on i % 3 = 2; samples every
 * 10 s up to now, the pace and speed of the summary from the chosen distance.
 */
function workoutsOfDay(user: string, day: DateTime, i: number, nowS: number): { points: Point[]; workouts: Workout[] } {
  const kind = i % 3;
  const [sport, code, hour, minute, durationS] = kind === 0 ? ['outdoor_run', 1, 18, 0, 1800] as const : kind === 1 ? ['outdoor_cycling', 9, 7, 30, 2700] as const : ['strength', 52, 12, 0, 2400] as const;
  const start = day.set({ hour, minute }).toSeconds();
  if (start + durationS > nowS) return { points: [], workouts: [] };
  const track = String(start);
  const tags = { user, sport, track };
  const w: Workout = { track, sport, start, durationS, avgHr: 120 + kind * 10 + (i % 5), samples: [] };
  const fields: Record<string, number> = { type_code: code, duration_s: durationS, moving_s: durationS, avg_hr_bpm: w.avgHr, calories_kcal: 300 + i };
  if (kind === 0) {
    w.distanceM = 5000 + i * 10;
    w.paceSPerKm = Math.round((durationS / w.distanceM) * 1000 * 1000) / 1000;
    Object.assign(fields, { distance_m: w.distanceM, avg_pace_s_per_km: w.paceSPerKm });
  } else if (kind === 1) {
    w.distanceM = 15000 + i * 20;
    w.speedKmh = Math.round((w.distanceM / durationS) * 3.6 * 1000) / 1000;
    Object.assign(fields, { distance_m: w.distanceM, avg_speed_kmh: w.speedKmh });
  }
  const points: Point[] = [{ measurement: 'workout', tags, fields, time: start }];
  for (let k = 0; k * 10 < durationS; k++) {
    const sample: Workout['samples'][number] = { t: start + k * 10, bpm: w.avgHr - 5 + (k % 11) };
    if (kind !== 2) Object.assign(sample, { lat: 52.5 + k * 1e-4, lon: 13.4 + (k % 50) * 1e-4, altitude: 40 + (k % 7), speed: (kind === 0 ? 2.5 : 5.5) + (k % 4) * 0.25 });
    w.samples.push(sample);
    const f: Record<string, number> = { bpm: sample.bpm };
    if (sample.lat !== undefined) Object.assign(f, { lat: sample.lat, lon: sample.lon, altitude_m: sample.altitude, speed_mps: sample.speed });
    points.push({ measurement: 'workout_sample', tags, fields: f, time: sample.t });
  }
  return { points, workouts: [w] };
}

/** The weigh-ins of local day i: the owner at 07:15 every day, the family member at 20:00 every third day. */
function weighInsOfDay(user: string, day: DateTime, i: number, nowS: number): { points: Point[]; weighIns: WeighIn[] } {
  const out: WeighIn[] = [];
  const owner = { member: 'owner', time: day.set({ hour: 7, minute: 15 }).toSeconds(), weight: 72 + ((i % 10) - 5) / 10, fat: 17 + (i % 3) / 2, muscle: 57 + (i % 4) / 4, height: 1.78 };
  const family = { member: FAMILY_MEMBER, time: day.set({ hour: 20 }).toSeconds(), weight: 61 + (i % 5) / 5, fat: 24, muscle: 43 + (i % 2) / 2, height: 1.65 };
  for (const m of i % 3 === 0 ? [owner, family] : [owner]) {
    if (m.time > nowS) continue;
    const weight = Math.round(m.weight * 100) / 100;
    out.push({ member: m.member, time: m.time, weight, bmi: round1(weight / m.height ** 2), fat: m.fat, muscle: m.muscle });
  }
  return {
    weighIns: out,
    points: out.map((w) => ({ measurement: 'weigh_in', tags: { user, member: w.member }, time: w.time, fields: { weight_kg: w.weight, bmi: w.bmi, fat_pct: w.fat, muscle_kg: w.muscle, weight_type: 0 } })),
  };
}

/** The dashboard dataset: `days` local days ending today in `zone`, for `user`, relative to `nowS`. */
export function buildDataset(user: string, zone: string, days: number, nowS: number): Dataset {
  const points: Point[] = [];
  const nights: Night[] = [];
  const out: Dataset['days'] = [];
  const workouts: Workout[] = [];
  const weighIns: WeighIn[] = [];
  const today = DateTime.fromSeconds(nowS, { zone }).startOf('day');
  for (let i = 0; i < days; i++) {
    const day = today.minus({ days: days - 1 - i });
    const midnight = day.toSeconds();
    const steps = stepsOfDay(i);
    const dayOut: Dataset['days'][number] = { date: day.toISODate() ?? '', midnight, steps, events: { stress: { avg: 0, min: 0, max: 0, zones: [0, 0, 0, 0] }, spots: [] } };
    out.push(dayOut);
    points.push({
      measurement: 'activity_daily', tags: { user }, time: midnight,
      fields: { steps, distance_m: Math.round(steps * 0.72), calories_kcal: Math.round(steps * 0.04), goal_steps: 8000, walk_min: 60 + i, run_min: i % 2 === 0 ? 30 : 0, run_distance_m: i % 2 === 0 ? 5000 : 0, run_calories_kcal: i % 2 === 0 ? 300 : 0, band_sync_s: midnight + 20 * 3600 },
    });
    // Minute data: steps from 08:00 for 60 min and from 18:00 for 30 min; heart rate every minute
    // up to now (nothing in the future). activity_hourly: every local hour of the day up to now,
    // 0-step hours included, as the decoder writes it (hours keyed here with luxon, not its code).
    const hours = new Map<number, { hour: string; steps: number; active: number }>();
    for (let m = 0; m < 1440; m++) {
      const t = day.plus({ minutes: m }).toSeconds();
      if (t > nowS) break;
      const walking = (m >= 480 && m < 540) || (m >= 1080 && m < 1110);
      const steps = walking ? (m < 540 ? 40 : 120) : 0;
      const local = DateTime.fromSeconds(t, { zone });
      const h = hours.get(local.startOf('hour').toSeconds()) ?? { hour: local.toFormat('HH'), steps: 0, active: 0 };
      if (local.hasSame(day, 'day')) hours.set(local.startOf('hour').toSeconds(), { ...h, steps: h.steps + steps, active: h.active + (steps > 0 ? 1 : 0) });
      if (walking) points.push({ measurement: 'activity_minute', tags: { user }, time: t, fields: { steps, intensity: 80, kind: 1, raw_kind: 1 } });
      // Every minute for the last two days, every 10th minute before (keeps the write small).
      if (nowS - t < 2 * 86400 || m % 10 === 0) points.push({ measurement: 'heart_rate', tags: { user }, time: t, fields: { bpm: walking ? 110 + (m % 7) : 58 + (m % 11) } });
    }
    for (const [time, h] of hours) points.push({ measurement: 'activity_hourly', tags: { user, hour: h.hour }, time, fields: { steps: h.steps, active_min: h.active } });
    points.push({ measurement: 'activity_stage', tags: { user, kind: 'slow_walk' }, time: day.plus({ hours: 8 }).toSeconds(), fields: { steps: 2400, distance_m: 1700, calories_kcal: 90, duration_min: 60, mode: 1 } });
    points.push({ measurement: 'activity_stage', tags: { user, kind: 'run' }, time: day.plus({ hours: 18 }).toSeconds(), fields: { steps: 3600, distance_m: 5000, calories_kcal: 300, duration_min: 30, mode: 4 } });
    const n = night(user, zone, day.set({ hour: 7 }), i);
    if (n.night.end <= nowS) {
      points.push(...n.points);
      nights.push(n.night);
    }
    points.push(...healthEvents(user, zone, day, i, days, n.night, nowS, dayOut.events));
    const wo = workoutsOfDay(user, day, i, nowS);
    const wi = weighInsOfDay(user, day, i, nowS);
    points.push(...wo.points, ...wi.points);
    workouts.push(...wo.workouts);
    weighIns.push(...wi.weighIns);
  }
  const napDay = today.minus({ days: 1 });
  const nap = night(user, zone, napDay.set({ hour: 14, minute: 35 }), 0, 'nap', napDay.set({ hour: 14, minute: 0 }));
  points.push(...nap.points);
  nights.push(nap.night);
  // Sync runs every 30 min over the last 2 days; one failure 5 h ago.
  for (let t = nowS - 2 * 86400; t <= nowS - 60; t += 1800) {
    const failed = nowS - t >= 5 * 3600 && nowS - t < 5 * 3600 + 1800;
    points.push({
      measurement: 'sync_run', tags: { user }, time: t,
      fields: {
        success: failed ? 0 : 1, days_fetched: 3, days_written: failed ? 0 : 3, points: failed ? 0 : 1500, warnings: 0, requests: 4, duration_s: 2.5,
        // The newest run left 2 days failed (retried later); every run met 1 day without band data.
        days_failed: t > nowS - 1800 - 60 ? 2 : 0, days_no_data: 1,
        days_behind: 0, last_data_s: t - 1200, last_success_s: failed ? t - 1800 : t, token_expires_s: nowS + 20 * 86400,
        error_code: failed ? 'HUAMI_HTTP' : '', timezone: zone,
      },
    });
  }
  return { points, nights, days: out, workouts, weighIns, now: nowS };
}
