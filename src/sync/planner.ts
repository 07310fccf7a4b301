// Decides which days one account's run fetches (pure: dates in, a range out).
// The first run backfills from SYNC_START_DATE (default one year back); later runs
// take everything after the last written day plus a look-back window, because bands
// sync late and today keeps growing (docs/huami-api.md "Summary JSON").
import { addDays, addYears, maxDate, minDate } from './dates.js';

export interface PlanInput {
  /** Today in the account's zone. */
  today: string;
  /** SYNC_START_DATE ('' = one year back). */
  startDate: string;
  lookbackDays: number;
  /** --from / --to: an explicit range. */
  from?: string;
  to?: string;
  /** Dates with a state file, and whether each is done (written or fetched-empty). */
  states: ReadonlyMap<string, { done: boolean }>;
}

export interface Plan {
  from: string;
  to: string;
  reason: 'first-run' | 'incremental' | 'explicit';
}

/** The first date on or after `start` that is not done (stops the day after `today`). */
export function firstPending(start: string, today: string, states: PlanInput['states']): string {
  let d = start;
  while (d <= today && states.get(d)?.done) d = addDays(d, 1);
  return d;
}

/** The range to fetch; `from > to` means nothing to do. */
export function planDays(input: PlanInput): Plan {
  const to = minDate(input.to ?? input.today, input.today);
  if (input.from) return { from: input.from, to, reason: 'explicit' };
  const dates = [...input.states.keys()].sort();
  const earliest = dates[0];
  if (earliest === undefined) {
    const from = input.startDate || addYears(input.today, -1);
    return { from, to, reason: input.to ? 'explicit' : 'first-run' };
  }
  // The cursor is the end of the contiguous done prefix, so a day left pending by a
  // failed write or a kill is fetched again even if later days were written.
  const pending = firstPending(earliest, input.today, input.states);
  const from = maxDate(earliest, addDays(pending, -input.lookbackDays));
  return { from, to, reason: input.to ? 'explicit' : 'incremental' };
}
