// Summary `slp` → the night (sleep=main) and naps from `odd_stage` (sleep=nap).
// Anchor rule (§5.4, §16), in this order: slp.st − stage[0].start×60; else
// slp.ed − (last.stop+1)×60; else local midnight of the record date (with a warning).
// Never from `date_time` when st/ed exist: the date owning a night differs by source.
import type { Point } from '../schema/point.js';
import type { DayFrame } from './context.js';
import { checkInstant, inRange, limits, readInt, type Obj } from './input.js';
import { contiguousGroups, readStages, type Stage } from './stages.js';
import { napBlock, phaseTotals, sleepSpans, stagePoints, type PhaseTotals, type SleepBlock } from './sleep-block.js';
import { addDays, dayWindow, isoOf, localDateOf, localMinutesSince } from './time.js';

/** The anchoring midnight (epoch s) of a record's sleep stages, or undefined when it can only be guessed. */
export function sleepAnchor(st: number | undefined, ed: number | undefined, stages: readonly Stage[]): number | undefined {
  const first = stages[0];
  const last = stages[stages.length - 1];
  if (!first || !last) return undefined;
  if (st !== undefined) return st - first.start * 60;
  if (ed !== undefined) return ed - (last.stop + 1) * 60;
  return undefined;
}

const COUNTERS: readonly [string, keyof PhaseTotals][] = [
  ['dp', 'deep_min'],
  ['lt', 'light_min'],
  ['dt', 'rem_min'], // `dt` is REM minutes despite its name (§5.3, HELIO arithmetic)
  ['wk', 'awake_min'],
];

const DAY_S = 86_400;

/** All sleep blocks (night first, then naps) of one record. */
export function decodeSleep(f: DayFrame, slp: Obj): SleepBlock[] {
  const { ctx } = f;
  let st = readInt(ctx, slp, 'st', 'slp.st', { required: true });
  let ed = readInt(ctx, slp, 'ed', 'slp.ed', { required: true });
  const stages = readStages(ctx, slp, 'stage', 'slp.stage', false);
  const naps = readStages(ctx, slp, 'odd_stage', 'slp.odd_stage', false);

  const blocks: SleepBlock[] = [];
  const noSleep = st !== undefined && st === ed; // §5.3: st == ed and zero counters = no sleep that day
  if (noSleep && stages.length > 0) ctx.warn('SLEEP_INCONSISTENT', `slp.st == slp.ed but ${stages.length} sleep stages are present; night left out`);
  else if (!noSleep) {
    // Each of st and ed on its own: epoch seconds (not milliseconds) near the record's day, or
    // not used for anything. (A no-sleep day's st == ed is not used, so not checked.)
    st = insideSleepWindow(f, st === undefined ? undefined : checkInstant(ctx, 'slp.st', st), 'slp.st');
    ed = insideSleepWindow(f, ed === undefined ? undefined : checkInstant(ctx, 'slp.ed', ed), 'slp.ed');
    let anchor = sleepAnchor(st, ed, stages);
    if (anchor !== undefined) checkAnchor(f, anchor);
    else if (stages.length > 0) {
      const why = slp.st == null && slp.ed == null ? 'missing' : 'missing or unusable (see the warnings above)';
      ctx.warn('SLEEP_ANCHOR_FALLBACK', `slp.st and slp.ed are ${why}; sleep stages anchored at local midnight of the record date (may be a day off, §5.4)`);
    }
    anchor ??= f.window.start;
    if (stages.length > 0) pushBlock(blocks, mainBlock(f, slp, anchor, stages, ed));
    else if (st !== undefined && ed !== undefined && ed > st) pushBlock(blocks, summaryOnlyBlock(f, slp, st, ed));
    else if (st !== undefined && ed !== undefined && ed < st) ctx.warn('SLEEP_INCONSISTENT', `slp.ed (${ed}) is before slp.st (${st}); night left out`);
  }

  // Which midnight `odd_stage` minutes count from is not documented (§5.4 covers the night
  // only). A record's naps happen on the record's own date, so minutes past 1440 can only
  // count from the previous midnight (the wake-date convention's anchor) and smaller ones
  // from the record date's own midnight, whatever the night's anchor is.
  const napAnchor = naps.some((s) => s.start >= 1440) ? dayWindow(addDays(f.date, -1), f.zone).start : f.window.start;
  for (const group of contiguousGroups(naps)) pushBlock(blocks, napBlock(f, napAnchor, group, (start, end) => fits(f, start, end, 'slp.odd_stage')));
  return blocks;
}

function pushBlock(blocks: SleepBlock[], b: SleepBlock | undefined): void {
  if (b) blocks.push(b);
}

/** `t` when it lies in the record's sleep window, else undefined with a warning SLEEP_OUTSIDE_WINDOW. */
function insideSleepWindow(f: DayFrame, t: number | undefined, path: string): number | undefined {
  if (t === undefined) return undefined;
  const w = f.sleepWindow;
  if (t >= w.start && t < w.end) return t;
  f.ctx.warn('SLEEP_OUTSIDE_WINDOW', `${path} is ${t} (${isoOf(t)}), outside the record's sleep window ${isoOf(w.start)} – ${isoOf(w.end)}; ignored`);
  return undefined;
}

/**
 * Whether a sleep occupying [start, last] (last = its latest point) lies in the record's sleep
 * window and is at most a day long; a warning naming `path` when not (the whole sleep is dropped).
 */
function fits(f: DayFrame, start: number, last: number, path: string): boolean {
  const w = f.sleepWindow;
  if (start < w.start || last >= w.end) {
    f.ctx.warn('SLEEP_OUTSIDE_WINDOW', `${path}: the sleep ${isoOf(start)} – ${isoOf(last)} is outside the record's sleep window ${isoOf(w.start)} – ${isoOf(w.end)}; sleep dropped`);
    return false;
  }
  if (last - start > DAY_S) {
    f.ctx.warn('VALUE_OUT_OF_RANGE', `${path}: the sleep ${isoOf(start)} – ${isoOf(last)} lasts ${Math.round((last - start) / 60)} min, more than a day (sleep_daily.in_bed_min 0–1440); sleep dropped`);
    return false;
  }
  return true;
}

// The anchor is a local midnight of the record date or the day before (the two night
// conventions, §5.4). Anything else means the configured zone is not where the band was.
function checkAnchor(f: DayFrame, anchor: number): void {
  const candidates = [dayWindow(addDays(f.date, -1), f.zone).start, f.window.start];
  if (!candidates.includes(anchor)) {
    f.ctx.warn('SLEEP_ANCHOR_ZONE', `slp.st implies a day anchor at ${isoOf(anchor)}, which is not local midnight in the configured zone (travel or a wrong TIMEZONE?); sleep times follow slp.st`);
  }
}

function totalsFrom(f: DayFrame, slp: Obj, fromStages: PhaseTotals | undefined): Partial<PhaseTotals> {
  const out: Partial<PhaseTotals> = {};
  const differ: string[] = [];
  for (const [key, field] of COUNTERS) {
    const v = readInt(f.ctx, slp, key, `slp.${key}`, limits('sleep_daily', field));
    if (fromStages && v !== undefined && v !== fromStages[field]) differ.push(`${key}=${v} vs stages ${fromStages[field]}`);
    // Absent counter: take the stage sum only when that phase occurs, so an old band that
    // cannot detect REM gets no rem_min rather than a misleading 0 (§5.3: older bands emit only 4/5).
    const derived = fromStages && fromStages[field] > 0 ? fromStages[field] : undefined;
    const value = v ?? derived;
    if (value !== undefined) out[field] = value;
  }
  if (differ.length) f.ctx.warn('SLEEP_TOTALS_MISMATCH', `slp counters disagree with the stages (${differ.join(', ')}); counters kept`);
  return out;
}

function commonFields(f: DayFrame, slp: Obj, totals: Partial<PhaseTotals>, start: number, end: number): Record<string, number> {
  const fields: Record<string, number> = { ...totals };
  const asleep = [totals.deep_min, totals.light_min, totals.rem_min].filter((v) => v !== undefined);
  if (asleep.length > 0) fields.asleep_min = asleep.reduce((a, b) => a + b, 0);
  fields.in_bed_min = Math.round((end - start) / 60);
  fields.start_s = start;
  fields.end_s = end;
  const wakeDate = localDateOf(end, f.zone);
  fields.bedtime_local_min = localMinutesSince(addDays(wakeDate, -1), start, f.zone);
  fields.wake_local_min = localMinutesSince(wakeDate, end, f.zone);
  const rhr = readInt(f.ctx, slp, 'rhr', 'slp.rhr');
  // 0 = no reading (docs/metrics.md "Absent means absent")
  if (rhr !== undefined && rhr !== 0 && inRange(f.ctx, 'slp.rhr', rhr, limits('sleep_daily', 'resting_hr_bpm'))) fields.resting_hr_bpm = rhr;
  const ss = readInt(f.ctx, slp, 'ss', 'slp.ss', limits('sleep_daily', 'score'));
  if (ss !== undefined) fields.score = ss;
  const wc = readInt(f.ctx, slp, 'wc', 'slp.wc', limits('sleep_daily', 'wake_count'));
  if (wc !== undefined) fields.wake_count = wc;
  return fields;
}

function mainBlock(f: DayFrame, slp: Obj, anchor: number, stages: Stage[], ed: number | undefined): SleepBlock | undefined {
  const first = stages[0] as Stage;
  const last = stages[stages.length - 1] as Stage;
  const start = anchor + first.start * 60;
  const stageEnd = anchor + (last.stop + 1) * 60;
  if (ed !== undefined && ed !== stageEnd) {
    f.ctx.warn('SLEEP_END_MISMATCH', `the last sleep stage ends at ${isoOf(stageEnd)} but slp.ed is ${isoOf(ed)}; the stages are drawn to their own end`);
  }
  // slp.ed ends the night unless it is not after the start or would make it longer than a day.
  const end = ed !== undefined && ed > start && ed - start <= DAY_S ? ed : stageEnd;
  if (!fits(f, start, Math.max(end, stageEnd), 'slp.stage')) return undefined;
  const fields = commonFields(f, slp, totalsFrom(f, slp, phaseTotals(stages)), start, end);
  const points: Point[] = [
    { measurement: 'sleep_daily', tags: { user: f.ctx.user, sleep: 'main' }, fields, time: end },
    ...stagePoints(f, 'main', anchor, stages),
  ];
  return { key: `main:${start}:${end}`, points, spans: sleepSpans('main', start, Math.max(end, stageEnd)) };
}

// Old or partial payloads: st/ed and counters without a stage list → the daily point only.
function summaryOnlyBlock(f: DayFrame, slp: Obj, st: number, ed: number): SleepBlock | undefined {
  if (!fits(f, st, ed, 'slp.st/slp.ed')) return undefined;
  const fields = commonFields(f, slp, totalsFrom(f, slp, undefined), st, ed);
  return {
    key: `main:${st}:${ed}`,
    points: [{ measurement: 'sleep_daily', tags: { user: f.ctx.user, sleep: 'main' }, fields, time: ed }],
    spans: sleepSpans('main', st, ed),
  };
}
