// One day's waking life as ground truth, in wall-clock minutes of the local day: whether the
// band is worn, activity stages with realistic cadence (docs/huami-api.md "Step stages" modes: 1 slow walk,
// 3 fast walk, 4 run, 7 light activity), stray steps outside stages (so `ttl` exceeds the
// stage sum, as in real records), an occasional nap, resting HR and the HR sampling grid.
// Everything happens between 10:00 and 21:00, clear of any night (bedtime ≥ 21:30, wake-up
// ≤ 09:30 even with a DST hour), so the night generator and this one never collide.
import type { Rng } from './rng.js';
import type { SleepStage } from './types.js';

/** Per-minute band state (wall-clock index). */
export const WORN = 0, OFF = 1, CHARGING = 2;

/** A step stage before its totals are summed: wall-clock minutes, `stop` inclusive. */
export interface PlannedStage { start: number; stop: number; mode: number }

export interface DayPlan {
  state: Uint8Array;
  steps: Uint8Array;
  /** Stage mode per minute (0 outside stages). */
  stageMode: Uint8Array;
  stages: PlannedStage[];
  /** Nap phases in wall-clock minutes of this day (empty when none). */
  nap: SleepStage[];
  rhr: number;
  goal: number;
  hrInterval: number;
  hrPhase: number;
}

const WINDOW_START = 600, WINDOW_END = 1260;
/** Steps per minute by mode (a real record: mode 4 ≈ 166/min, mode 1 ≈ 45/min). */
const CADENCE: Record<number, [number, number]> = { 1: [40, 75], 3: [95, 125], 4: [150, 178], 7: [12, 35] };
const DURATION: Record<number, [number, number]> = { 1: [5, 25], 3: [8, 30], 4: [20, 45], 7: [10, 40] };

function free(taken: Uint8Array, start: number, stop: number, margin: number): boolean {
  for (let i = Math.max(0, start - margin); i <= Math.min(1439, stop + margin); i++) if (taken[i]) return false;
  return true;
}

function reserve(rng: Rng, taken: Uint8Array, length: number, from: number, to: number, margin: number): number | undefined {
  for (let attempt = 0; attempt < 12; attempt++) {
    const start = rng.int(from, to - length);
    if (free(taken, start, start + length - 1, margin)) {
      taken.fill(1, start, start + length);
      return start;
    }
  }
  return undefined;
}

/** Generate one day's plan (deterministic for a given rng state). */
export function generateDayPlan(rng: Rng): DayPlan {
  const state = new Uint8Array(1440);
  const steps = new Uint8Array(1440);
  const stageMode = new Uint8Array(1440);
  const taken = new Uint8Array(1440);
  const plan: DayPlan = {
    state, steps, stageMode, stages: [], nap: [],
    rhr: rng.int(52, 62), goal: rng.pick([6000, 8000, 8000, 10000]), hrInterval: rng.pick([5, 5, 10]), hrPhase: 0,
  };
  plan.hrPhase = rng.int(0, plan.hrInterval - 1);

  if (rng.chance(0.25)) { // charging in the evening
    const len = rng.int(45, 100);
    const start = reserve(rng, taken, len, 1080, WINDOW_END, 0);
    if (start !== undefined) state.fill(CHARGING, start, start + len);
  }
  if (rng.chance(0.3)) { // taken off (shower, sport without band)
    const len = rng.int(10, 35);
    const start = reserve(rng, taken, len, WINDOW_START, WINDOW_END, 0);
    if (start !== undefined) state.fill(OFF, start, start + len);
  }
  if (rng.chance(0.15)) { // afternoon nap: light sleep with an occasional short deep phase
    const len = rng.int(20, 70);
    const start = reserve(rng, taken, len, 780, 990, 2);
    if (start !== undefined) {
      const deep = len > 35 && rng.chance(0.5) ? rng.int(5, 12) : 0;
      const firstLight = len - deep - (deep ? rng.int(5, 10) : 0);
      plan.nap.push({ start, stop: start + firstLight - 1, mode: 4 });
      if (deep) {
        plan.nap.push({ start: start + firstLight, stop: start + firstLight + deep - 1, mode: 5 });
        plan.nap.push({ start: start + firstLight + deep, stop: start + len - 1, mode: 4 });
      }
    }
  }
  const modes = rng.chance(0.3) ? [1, 1, 3, 3, 7, 7, 4] : [1, 1, 3, 3, 7, 7];
  const count = rng.int(3, 7);
  for (let n = 0; n < count; n++) {
    const mode = rng.pick(modes);
    const [dMin, dMax] = DURATION[mode] as [number, number];
    const len = rng.int(dMin, dMax);
    const start = reserve(rng, taken, len, WINDOW_START, WINDOW_END, 3);
    if (start === undefined) continue;
    const [cMin, cMax] = CADENCE[mode] as [number, number];
    for (let i = start; i < start + len; i++) {
      steps[i] = rng.int(cMin, cMax);
      stageMode[i] = mode;
    }
    plan.stages.push({ start, stop: start + len - 1, mode });
  }
  plan.stages.sort((a, b) => a.start - b.start);
  // Stray steps between stages: short bursts the band does not classify as activity.
  let stray = 0;
  for (let i = WINDOW_START; i < WINDOW_END; i++) {
    if (!taken[i] && state[i] === WORN && rng.chance(0.2)) {
      steps[i] = rng.int(3, 60);
      stray++;
    }
  }
  if (stray === 0) steps[WINDOW_END] = 12; // ttl must exceed the stage sum
  return plan;
}
