// One sleep (the night or a nap) from its stages → sleep_stage points, a closing `end`
// point and the sleep_daily point. Sleep stage minutes are minutes after the anchor
// (segment = anchor + start×60 … anchor + (stop+1)×60, `stop` inclusive).
import type { Point } from '../schema/point.js';
import type { DaySpan } from './types.js';
import type { DayFrame } from './context.js';
import type { Stage } from './stages.js';

type Phase = 'light' | 'deep' | 'rem' | 'awake';

/** Sleep stage `mode` → phase (4 light, 5 deep, 7 awake, 8 REM — confirmed by per-mode sums). */
export const SLEEP_MODES: Readonly<Record<number, Phase>> = { 4: 'light', 5: 'deep', 7: 'awake', 8: 'rem' };

/** `phase_code` for Grafana state timelines: 0 end, 1 awake, 2 REM, 3 light, 4 deep. */
export const PHASE_CODES: Readonly<Record<Phase | 'end', number>> = { end: 0, awake: 1, rem: 2, light: 3, deep: 4 };

/** Points and spans of one sleep; `key` identifies it across records for de-duplication. */
export interface SleepBlock {
  key: string;
  points: Point[];
  spans: DaySpan[];
}

export interface PhaseTotals {
  deep_min: number;
  light_min: number;
  rem_min: number;
  awake_min: number;
}

/** Minutes per phase, summed over stages with a known mode. */
export function phaseTotals(stages: readonly Stage[]): PhaseTotals {
  const t: PhaseTotals = { deep_min: 0, light_min: 0, rem_min: 0, awake_min: 0 };
  for (const s of stages) {
    const phase = SLEEP_MODES[s.mode];
    if (phase) t[`${phase}_min`] += s.stop - s.start + 1;
  }
  return t;
}

/**
 * The sleep_stage points of contiguous-or-not stages: one per phase, plus an `end` point
 * wherever a phase is not directly followed by another (always after the last one), so a
 * state timeline draws every phase to its true end (docs/metrics.md "Mappings").
 */
export function stagePoints(f: DayFrame, kind: 'main' | 'nap', anchor: number, stages: readonly Stage[]): Point[] {
  const out: Point[] = [];
  const tags = (phase: string): Record<string, string> => ({ user: f.ctx.user, phase, sleep: kind });
  let openEnd: number | undefined;
  for (const s of stages) {
    const phase = SLEEP_MODES[s.mode];
    const start = anchor + s.start * 60;
    if (openEnd !== undefined && openEnd !== start) {
      out.push({ measurement: 'sleep_stage', tags: tags('end'), fields: { duration_min: 0, phase_code: 0, mode: 0 }, time: openEnd });
    }
    if (!phase) {
      f.ctx.warn('SLEEP_MODE_UNKNOWN', `sleep stage ${s.start}–${s.stop} has unknown mode ${s.mode}; phase left out`);
      openEnd = undefined;
      continue;
    }
    const duration = s.stop - s.start + 1;
    out.push({ measurement: 'sleep_stage', tags: tags(phase), fields: { duration_min: duration, phase_code: PHASE_CODES[phase], mode: s.mode }, time: start });
    openEnd = start + duration * 60;
  }
  if (openEnd !== undefined) {
    out.push({ measurement: 'sleep_stage', tags: tags('end'), fields: { duration_min: 0, phase_code: 0, mode: 0 }, time: openEnd });
  }
  return out;
}

/** sleep_daily + sleep_stage spans for a sleep occupying [start, end] (end point included). */
export function sleepSpans(kind: 'main' | 'nap', start: number, end: number): DaySpan[] {
  return (['sleep_daily', 'sleep_stage'] as const).map((measurement) => ({ measurement, start, end: end + 1, tags: { sleep: kind } }));
}

/** A nap: contiguous odd_stage segments → its points (sleep=nap) and spans; undefined when `fits` rejects [start, end]. */
export function napBlock(f: DayFrame, anchor: number, stages: readonly Stage[], fits: (start: number, end: number) => boolean = () => true): SleepBlock | undefined {
  const first = stages[0];
  const last = stages[stages.length - 1];
  if (!first || !last) return undefined;
  const start = anchor + first.start * 60;
  const end = anchor + (last.stop + 1) * 60;
  if (!fits(start, end)) return undefined;
  const totals = phaseTotals(stages);
  const fields = {
    ...totals,
    asleep_min: totals.deep_min + totals.light_min + totals.rem_min,
    in_bed_min: Math.round((end - start) / 60),
    start_s: start,
    end_s: end,
  };
  const points: Point[] = [
    { measurement: 'sleep_daily', tags: { user: f.ctx.user, sleep: 'nap' }, fields, time: end },
    ...stagePoints(f, 'nap', anchor, stages),
  ];
  return { key: `nap:${start}:${end}`, points, spans: sleepSpans('nap', start, end) };
}
