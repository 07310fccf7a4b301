// Summary `stp` → activity_daily (at local midnight) and activity_stage (at stage start).
// Step stage minutes are local wall-clock minutes after the record date's own midnight.
import type { Point } from '../schema/point.js';
import type { DaySpan } from './types.js';
import type { DayFrame } from './context.js';
import { limits, readInstant, readInt, type Obj } from './input.js';
import { readStages } from './stages.js';
import { dayMinuteInstants } from './time.js';

/** Step `mode` → `kind` tag (1 slow walk, 3 fast walk, 4 run, 7 light activity; disputed, so the raw mode is kept too). */
export function stepKind(mode: number): 'slow_walk' | 'fast_walk' | 'run' | 'light_activity' | 'unknown' {
  switch (mode) {
    case 1:
      return 'slow_walk';
    case 3:
      return 'fast_walk';
    case 4:
      return 'run';
    case 7:
      return 'light_activity';
    default:
      return 'unknown';
  }
}

const MINUTES_PER_DAY = 1440;

// Summary key → field. `ttl`, `dis`, `cal` are in every payload; the rest only on newer ones.
const DAILY_FIELDS: readonly [string, string, boolean][] = [
  ['ttl', 'steps', true],
  ['dis', 'distance_m', true],
  ['cal', 'calories_kcal', true],
  ['wk', 'walk_min', false],
  ['rn', 'run_min', false],
  ['runDist', 'run_distance_m', false],
  ['runCal', 'run_calories_kcal', false],
];

/** activity_daily + activity_stage points and their spans (the whole local day) from `stp`. */
export function decodeActivity(f: DayFrame, summary: Obj, stp: Obj): { points: Point[]; spans: DaySpan[] } {
  const { ctx } = f;
  const tags = { user: ctx.user };
  const fields: Record<string, number> = {};
  for (const [key, field, required] of DAILY_FIELDS) {
    const v = readInt(ctx, stp, key, `stp.${key}`, { required, ...limits('activity_daily', field) });
    // 0 is a real value here (a day without steps), so only absent/invalid keys are left out.
    if (v !== undefined) fields[field] = v;
  }
  const goal = readInt(ctx, summary, 'goal', 'goal', limits('activity_daily', 'goal_steps'));
  if (goal !== undefined) fields.goal_steps = goal;
  const sync = readInstant(ctx, summary, 'sync', 'sync');
  if (sync !== undefined) fields.band_sync_s = sync;

  const points: Point[] = [];
  if (Object.keys(fields).length > 0) points.push({ measurement: 'activity_daily', tags, fields, time: f.window.start });

  for (const s of readStages(ctx, stp, 'stage', 'stp.stage', true)) {
    // Step stages are wall-clock minutes of the record's own day (docs/metrics.md "Windows").
    if (s.start >= MINUTES_PER_DAY || s.stop >= MINUTES_PER_DAY) {
      ctx.warn('STAGE_OUTSIDE_DAY', `stp.stage ${s.start}–${s.stop} does not lie within the record's day (minutes 0–1439); stage dropped`);
      continue;
    }
    const time = dayMinuteInstants(f.date, f.zone, MINUTES_PER_DAY)[s.start]; // memoised wallToInstant
    if (time === undefined) continue; // starts in the hour skipped by DST: no such minute (docs/metrics.md)
    if (time < f.window.start || time >= f.window.end) {
      ctx.warn('STAGE_OUTSIDE_DAY', `stp.stage ${s.start}–${s.stop} starts outside the record's day; stage dropped`);
      continue;
    }
    const stageFields: Record<string, number> = { duration_min: s.stop - s.start + 1, mode: s.mode };
    if (s.step !== undefined) stageFields.steps = s.step;
    if (s.dis !== undefined) stageFields.distance_m = s.dis;
    if (s.cal !== undefined) stageFields.calories_kcal = s.cal;
    points.push({ measurement: 'activity_stage', tags: { user: ctx.user, kind: stepKind(s.mode) }, fields: stageFields, time });
  }
  const { start, end } = f.window;
  return {
    points,
    spans: [
      { measurement: 'activity_daily', start, end },
      { measurement: 'activity_stage', start, end },
    ],
  };
}
