// Workouts of the fake ground truth (docs/huami-api.md "Workouts"): planned per day from that
// day's activity plan, so a run lies on the day's run stage (its steps are the stage's minute
// steps) and a walk on a fast-walk stage, while cycling, swimming and strength take a free
// window of the worn, awake day. Every workout minute's `data_hr` byte is the workout's heart
// rate at that minute's start (overlayWorkoutHr), so band data and workout agree.
// Positions are integers in 1e-8 degree, altitudes integers in centimetres (the wire units);
// `null` marks a sample the watch writes as the -2000000 "no value" sentinel.
import type { DayPlan } from './activity.js';
import type { DayClock } from './clock.js';
import { hash32, type Rng } from './rng.js';

/** Sport type codes the fake generates (docs/huami-api.md "Workouts"). */
export const SPORT = { outdoorRun: 1, walking: 6, treadmill: 8, outdoorCycling: 9, indoorCycling: 10, poolSwim: 14, free: 16, strength: 52 } as const;

export interface FakeTrackPoint {
  /** Epoch seconds. */
  t: number;
  /** 1e-8 degree; null = GPS dropout (sent as the sentinel, the true position moved on). */
  lat: number | null;
  lon: number | null;
  /** Centimetres; null = sentinel. */
  alt: number | null;
}

/** One heart-rate sample as sent, in order (two samples may share an instant: Δt 0). */
export interface FakeHrSample { t: number; bpm: number }

export interface FakePause { start: number; duration: number }

export interface FakeSwim { poolLength: number; laps: number; strokes: number; swolf: number; strokeRate: number }

/** One workout's ground truth; the history item and detail are rendered from it. */
export interface FakeWorkout {
  userId: string;
  /** Start, epoch seconds (the history's `trackid`). */
  trackid: number;
  end: number;
  type: number;
  source: string;
  /** Wall-clock minute indices of the record date, `stop` inclusive. */
  firstMinute: number;
  lastMinute: number;
  /** `dis` as the service reports it (m); 0 = no distance. */
  distance: number;
  /** What the track's true path measures (m), before the service's own correction. */
  trackDistance: number;
  calories: number;
  /** Moving time (`run_time`): end − start − pauses. */
  runTime: number;
  steps: number;
  avgHr: number;
  maxHr: number;
  minHr: number;
  /** Metres (history units). */
  ascent: number;
  descent: number;
  te: number;
  anaerobicTe: number;
  track: FakeTrackPoint[];
  hr: FakeHrSample[];
  pauses: FakePause[];
  swim?: FakeSwim;
  /** Bumped by an edit (the app re-uploads the workout). */
  updateTime: number;
}

const HR_RANGE: Record<number, [number, number]> = {
  1: [138, 168], 8: [135, 165], 6: [98, 118], 9: [118, 156], 10: [115, 150], 14: [108, 146], 16: [100, 140], 52: [92, 135],
};
/** Metres per second of the moving body. */
const SPEED: Record<number, [number, number]> = { 1: [2.7, 3.5], 6: [1.5, 1.9], 9: [5.0, 7.5] };
const KCAL_PER_MIN: Record<number, number> = { 1: 11, 8: 10.5, 6: 5, 9: 8.5, 10: 8, 14: 9, 16: 6.5, 52: 6 };
const FREE_LENGTH: Record<number, [number, number]> = { 9: [35, 80], 10: [25, 50], 14: [25, 45], 16: [20, 45], 52: [30, 60] };
const STRIDE_M: Record<number, number> = { 1: 1.05, 8: 1.0, 6: 0.75 };
const OUTDOOR = new Set<number>([1, 6, 9]);
/** Seconds between HR samples, between GPS fixes; a Δt-0 sample's bpm step. */
const HR_STEPS = [1, 1, 1, 2, 3, 5], FIX_STEPS = [1, 1, 1, 2, 3], PLUS_MINUS_ONE = [-1, 1];
const M_PER_DEG = 111_320;

/** Minutes usable by a workout without steps: worn, awake, outside stages and naps. */
function freeWindow(rng: Rng, plan: DayPlan, len: number): number | undefined {
  const napAt = (i: number) => plan.nap.some((s) => i >= s.start - 3 && i <= s.stop + 3);
  const ok = (i: number) => plan.state[i] === 0 && !napAt(i) && !plan.stages.some((s) => i >= s.start - 3 && i <= s.stop + 3);
  for (let attempt = 0; attempt < 12; attempt++) {
    const start = rng.int(600, 1260 - len);
    let free = true;
    for (let i = start; i < start + len && free; i++) free = ok(i);
    if (free) return start;
  }
  return undefined;
}

interface Slot { type: number; first: number; last: number }

/** Which workouts a day holds (deterministic for a given rng state). */
export function planWorkoutSlots(rng: Rng, plan: DayPlan): Slot[] {
  const slots: Slot[] = [];
  const run = plan.stages.find((s) => s.mode === 4);
  if (run && rng.chance(0.85)) slots.push({ type: rng.chance(0.2) ? SPORT.treadmill : SPORT.outdoorRun, first: run.start, last: run.stop });
  const walk = plan.stages.find((s) => s.mode === 3 && s.stop - s.start >= 12);
  if (walk && rng.chance(0.35)) slots.push({ type: SPORT.walking, first: walk.start, last: walk.stop });
  if (rng.chance(0.5)) {
    const type = rng.pick([9, 9, 10, 14, 16, 52]);
    const [lo, hi] = FREE_LENGTH[type] as [number, number];
    const len = rng.int(lo, hi);
    const start = freeWindow(rng, plan, len);
    if (start !== undefined) slots.push({ type, first: start, last: start + len - 1 });
  }
  return slots.sort((a, b) => a.first - b.first);
}

const clamp = (v: number, [lo, hi]: [number, number]) => Math.min(hi, Math.max(lo, v));

/** The user's home position in 1e-8 degree (somewhere around 52.4–52.6 N, 13.3–13.5 E). */
function home(userId: string): { lat: number; lon: number } {
  const h = hash32(userId);
  return { lat: 5_240_000_000 + (h % 20_000_000), lon: 1_330_000_000 + ((h >>> 8) % 20_000_000) };
}

/** Build one workout from its slot. */
export function buildWorkout(rng: Rng, slot: Slot, ctx: { userId: string; clock: DayClock; plan: DayPlan; source: string }): FakeWorkout | undefined {
  const { clock, plan } = ctx;
  const start = clock.minuteEpoch(slot.first);
  const lastStart = clock.minuteEpoch(slot.last);
  if (start === null || lastStart === null) return undefined;
  const end = lastStart + 60;
  const type = slot.type;
  const pauses: FakePause[] = [];
  // Outdoor cycling often stops at a light; a longer outdoor run sometimes too.
  if ((type === SPORT.outdoorCycling && rng.chance(0.6)) || (type === SPORT.outdoorRun && slot.last - slot.first > 25 && rng.chance(0.25))) {
    const offset = rng.int(8, slot.last - slot.first - 8) * 60 + 20;
    pauses.push({ start: start + offset, duration: rng.int(90, 240) });
  }
  const paused = (t: number) => pauses.some((p) => t >= p.start && t < p.start + p.duration);
  const pausedTotal = pauses.reduce((a, p) => a + p.duration, 0);

  // Heart rate: a sample at every minute start (the band's minute byte), random walk between.
  const range = HR_RANGE[type] as [number, number];
  const hr: FakeHrSample[] = [];
  let bpm = rng.int(range[0], range[0] + 10);
  for (let m = 0; start + m * 60 < end; m++) {
    const t0 = start + m * 60;
    if (!paused(t0)) {
      bpm = clamp(bpm + rng.int(-3, 4), range);
      hr.push({ t: t0, bpm });
    }
    let t = t0;
    for (;;) {
      t += rng.pick(HR_STEPS);
      if (t >= t0 + 60 || t >= end) break;
      if (paused(t)) continue;
      bpm = clamp(bpm + rng.int(-2, 2), range);
      hr.push({ t, bpm });
      if (rng.chance(0.02)) { // a second reading in the same second (Δt 0)
        bpm = clamp(bpm + rng.pick(PLUS_MINUS_ONE), range);
        hr.push({ t, bpm });
      }
    }
  }
  // The value each instant ends with (a Δt-0 sample replaces the one before; samples are in time order).
  const values: number[] = [];
  for (let k = 0; k < hr.length; k++) {
    const s = hr[k] as FakeHrSample;
    if (k + 1 < hr.length && (hr[k + 1] as FakeHrSample).t === s.t) continue;
    values.push(s.bpm);
  }

  const track: FakeTrackPoint[] = [];
  let trackDistance = 0;
  let ascent = 0, descent = 0;
  if (OUTDOOR.has(type)) {
    let { lat, lon } = home(ctx.userId);
    let alt = rng.int(3000, 6000);
    let heading = rng.next() * 2 * Math.PI;
    const speed = SPEED[type] as [number, number];
    const coldStart = rng.chance(0.3) ? 2 : 0; // no altitude for the first fixes
    let lastAlt: number | null = null;
    for (let t = start; t < end; t += rng.pick(FIX_STEPS)) {
      if (paused(t)) continue;
      const prev = track[track.length - 1];
      if (prev) {
        const d = (speed[0] + rng.next() * (speed[1] - speed[0])) * (t - prev.t);
        heading += (rng.next() - 0.5) * 0.3;
        lat += Math.round((d * Math.cos(heading) / M_PER_DEG) * 1e8);
        lon += Math.round((d * Math.sin(heading) / (M_PER_DEG * Math.cos((lat / 1e8) * Math.PI / 180))) * 1e8);
        alt += rng.int(-25, 25);
        trackDistance += d;
      }
      const dropout = track.length > 0 && rng.chance(0.01);
      const altKnown = !dropout && track.length >= coldStart;
      if (altKnown) {
        if (lastAlt !== null) {
          if (alt > lastAlt) ascent += alt - lastAlt;
          else descent += lastAlt - alt;
        }
        lastAlt = alt;
      }
      track.push({ t, lat: dropout ? null : lat, lon: dropout ? null : lon, alt: altKnown ? alt : null });
    }
  }
  let steps = 0;
  if (type === SPORT.outdoorRun || type === SPORT.treadmill || type === SPORT.walking) {
    for (let i = slot.first; i <= slot.last; i++) steps += plan.steps[i] as number;
  }
  const runTime = end - start - pausedTotal;
  let distance = 0;
  let swim: FakeSwim | undefined;
  if (OUTDOOR.has(type)) distance = Math.round(trackDistance * (1 + rng.int(2, 8) / 100)); // the service corrects the GPS path
  else if (type === SPORT.treadmill) distance = Math.round(steps * (STRIDE_M[type] as number));
  else if (type === SPORT.poolSwim) {
    const poolLength = rng.pick([25, 25, 50]);
    const laps = Math.max(4, Math.round((runTime / 60) * rng.int(18, 26) / (poolLength / 25) / 2) * 2);
    const strokes = laps * rng.int(14, 20);
    swim = { poolLength, laps, strokes, swolf: Math.round(runTime / laps + strokes / laps), strokeRate: Math.round(strokes / (runTime / 60)) };
    distance = laps * poolLength;
  }
  const calories = Math.round((KCAL_PER_MIN[type] ?? 6) * runTime / 60 * (0.9 + rng.next() * 0.2));
  return {
    userId: ctx.userId, trackid: start, end, type, source: ctx.source, firstMinute: slot.first, lastMinute: slot.last,
    distance, trackDistance, calories, runTime, steps,
    avgHr: Math.round(values.reduce((a, v) => a + v, 0) / values.length), maxHr: Math.max(...values), minHr: Math.min(...values),
    ascent: Math.round(ascent / 100), descent: Math.round(descent / 100),
    te: rng.int(18, 42), anaerobicTe: rng.int(0, 25), track, hr, pauses, ...(swim ? { swim } : {}),
    updateTime: end * 1000 + 120_000,
  };
}

/**
 * Write each workout minute's heart rate into the day's `data_hr` (not for minutes that start
 * in a pause): the last sample at the minute's start instant (a Δt-0 sample replaces the one
 * before). One merge pass over the samples, which are in time order like the minutes.
 */
export function overlayWorkoutHr(hr: Uint8Array, workouts: readonly FakeWorkout[], clock: DayClock, cutoff: number): void {
  for (const w of workouts) {
    const samples = w.hr;
    let k = 0, prevT = -Infinity;
    for (let i = w.firstMinute; i <= w.lastMinute; i++) {
      const t = clock.minuteEpoch(i);
      if (t === null || t >= cutoff) continue;
      if (t < prevT) k = 0; // minutes out of time order: search from the start again
      prevT = t;
      while (k < samples.length && (samples[k] as FakeHrSample).t < t) k++;
      let bpm: number | undefined;
      for (let j = k; j < samples.length && (samples[j] as FakeHrSample).t === t; j++) bpm = (samples[j] as FakeHrSample).bpm;
      if (bpm !== undefined) hr[i] = bpm;
    }
  }
}
