// Decides which days one account's run fetches (pure: states in, ranges out).
// The first run backfills from SYNC_START_DATE (default one year back). Later runs fetch the
// look-back window (today keeps growing and bands sync late, docs/huami-api.md "Summary JSON")
// plus every day the life cycle says is due (docs/architecture.md "Day life cycle"): never
// fetched, interrupted, empty and waiting for a re-check, or failed and due for a retry.
// Due days are covered by as few ranges of at most HUAMI_CHUNK_DAYS days as possible.
import { addDays, addYears, chunkRange, daysBetween, minDate } from './dates.js';
import { isDue, type DueContext } from './lifecycle.js';
import type { DayState } from '../store/state.js';

export interface PlanInput {
  /** Today in the account's zone. */
  today: string;
  /** SYNC_START_DATE ('' = one year back, fixed at the first run). */
  startDate: string;
  /** The start fixed by the first run (account state), if any. */
  syncStart?: string | undefined;
  lookbackDays: number;
  chunkDays: number;
  /** --from / --to: an explicit range. */
  from?: string | undefined;
  to?: string | undefined;
  states: ReadonlyMap<string, DayState>;
  due: DueContext;
  /** Days already fetched in this run (a second pass skips them). */
  skip?: ReadonlySet<string>;
}

export interface Plan {
  /** First and last day of the ranges (from > to: nothing to do). */
  from: string;
  to: string;
  reason: 'first-run' | 'incremental' | 'explicit';
  /** First day of the ordinary range (stored at the first run; explicit runs never set it). */
  start: string;
  ranges: { from: string; to: string }[];
}

/** The first day of the ordinary range. */
export function ordinaryStart(input: Pick<PlanInput, 'startDate' | 'syncStart' | 'today'>): string {
  return input.startDate || input.syncStart || addYears(input.today, -1);
}

/** Cover `dates` (ascending) with the fewest ranges of at most `size` days, each ending on a listed date. */
export function coverDates(dates: readonly string[], size: number): { from: string; to: string }[] {
  const out: { from: string; to: string }[] = [];
  const span = Math.max(1, size);
  for (const d of dates) {
    const last = out[out.length - 1];
    if (last && daysBetween(last.from, d) < span) last.to = d;
    else out.push({ from: d, to: d });
  }
  return out;
}

/** The ranges to fetch. */
export function planDays(input: PlanInput): Plan {
  const to = minDate(input.to ?? input.today, input.today);
  const start = ordinaryStart(input);
  if (input.from) {
    const ranges = input.from <= to ? chunkRange(input.from, to, input.chunkDays) : [];
    return { from: input.from, to, reason: 'explicit', start, ranges };
  }
  const firstRun = input.states.size === 0 && !input.syncStart;
  // The look-back window: the last SYNC_LOOKBACK_DAYS days, today included (0 = none).
  const windowFrom = addDays(input.today, 1 - input.lookbackDays);
  const dates: string[] = [];
  for (let d = start; d <= to; d = addDays(d, 1)) {
    if (input.skip?.has(d)) continue;
    if (d >= windowFrom || isDue(input.states.get(d), input.due)) dates.push(d);
  }
  const ranges = coverDates(dates, input.chunkDays);
  const reason = input.to ? 'explicit' : firstRun ? 'first-run' : 'incremental';
  return { from: ranges[0]?.from ?? addDays(to, 1), to: ranges[ranges.length - 1]?.to ?? to, reason, start, ranges };
}
