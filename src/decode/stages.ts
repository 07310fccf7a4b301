// Validation of `stp.stage`, `slp.stage` and `slp.odd_stage` arrays: minutes
// `start`..`stop` inclusive. A bad stage is dropped with a warning; the others are kept.
import { z } from 'zod';
import type { DayContext } from './context.js';
import { isObject, limits, readInt, show } from './input.js';

export interface Stage {
  start: number;
  stop: number;
  mode: number;
  step?: number;
  dis?: number;
  cal?: number;
}

const NUMERIC_STRING = /^-?\d+$/;
const int = z.preprocess((v) => (typeof v === 'string' && NUMERIC_STRING.test(v.trim()) ? Number(v.trim()) : v), z.number().int());
const StageCore = z.object({ start: int, stop: int, mode: int });

/**
 * Stage minutes beyond a week after their midnight cannot lie in any day's window; the cap also
 * keeps `anchor + minute × 60` exact.
 */
export const MAX_STAGE_MINUTE = 7 * 1440 - 1;

/**
 * The valid stages of section[key], sorted by start. Dropped with a warning: non-objects,
 * missing or non-integer start/stop/mode, negative minutes, minutes beyond MAX_STAGE_MINUTE,
 * stop < start, step/dis/cal outside their range (that value only), and any stage that
 * overlaps an earlier one (the earlier one is kept, so the result never overlaps).
 */
export function readStages(ctx: DayContext, section: Record<string, unknown>, key: string, path: string, activity: boolean): Stage[] {
  const raw = section[key];
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    ctx.warn('FIELD_INVALID', `${path} is ${show(raw)}, expected an array; no stages`);
    return [];
  }
  const valid: Stage[] = [];
  raw.forEach((item: unknown, i) => {
    const where = `${path}[${i}]`;
    if (!isObject(item)) {
      ctx.warn('STAGE_INVALID', `${where} is not an object; stage dropped`);
      return;
    }
    const core = StageCore.safeParse(item);
    if (!core.success) {
      const keys = [...new Set(core.error.issues.map((iss) => iss.path.join('.')))].join(', ');
      ctx.warn('STAGE_INVALID', `${where} has a missing or non-integer ${keys} (${show(item)}); stage dropped`);
      return;
    }
    const { start, stop, mode } = core.data;
    if (start < 0 || stop < 0) {
      ctx.warn('STAGE_NEGATIVE', `${where} has negative minutes (start ${start}, stop ${stop}); stage dropped`);
      return;
    }
    if (start > MAX_STAGE_MINUTE || stop > MAX_STAGE_MINUTE) {
      ctx.warn('STAGE_OUTSIDE_DAY', `${where} has minutes beyond ${MAX_STAGE_MINUTE} (start ${start}, stop ${stop}), outside any day's window; stage dropped`);
      return;
    }
    if (stop < start) {
      ctx.warn('STAGE_INVALID', `${where} stops before it starts (start ${start}, stop ${stop}); stage dropped`);
      return;
    }
    const stage: Stage = { start, stop, mode };
    if (activity) {
      const step = readInt(ctx, item, 'step', `${where}.step`, limits('activity_stage', 'steps'));
      const dis = readInt(ctx, item, 'dis', `${where}.dis`, limits('activity_stage', 'distance_m'));
      const cal = readInt(ctx, item, 'cal', `${where}.cal`, limits('activity_stage', 'calories_kcal'));
      if (step !== undefined) stage.step = step;
      if (dis !== undefined) stage.dis = dis;
      if (cal !== undefined) stage.cal = cal;
    }
    valid.push(stage);
  });
  valid.sort((a, b) => a.start - b.start);
  const out: Stage[] = [];
  for (const s of valid) {
    const prev = out[out.length - 1];
    if (prev && s.start <= prev.stop) {
      ctx.warn('STAGE_OVERLAP', `${path} stage ${s.start}–${s.stop} overlaps ${prev.start}–${prev.stop}; the later stage is dropped`);
      continue;
    }
    out.push(s);
  }
  return out;
}

/** Split sorted stages into runs of contiguous segments (next.start = prev.stop + 1), e.g. naps. */
export function contiguousGroups(stages: readonly Stage[]): Stage[][] {
  const groups: Stage[][] = [];
  for (const s of stages) {
    const group = groups[groups.length - 1];
    const last = group?.[group.length - 1];
    if (group && last && s.start === last.stop + 1) group.push(s);
    else groups.push([s]);
  }
  return groups;
}
