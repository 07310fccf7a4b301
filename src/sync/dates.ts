// Calendar-date arithmetic on `YYYY-MM-DD` strings. Calendar dates carry no zone: only
// "today" depends on one, and it is always the account's IANA zone (never the host's).
import { DateTime } from 'luxon';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(s: string): boolean {
  return ISO_DATE.test(s) && DateTime.fromISO(s, { zone: 'utc' }).isValid;
}

/** Today's date in `zone` at instant `now`. */
export function todayIn(zone: string, now: Date): string {
  return DateTime.fromJSDate(now, { zone }).toISODate() as string;
}

/** `date` shifted by `days` calendar days. */
export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'utc' }).plus({ days }).toISODate() as string;
}

/** `date` shifted by `years` calendar years (29 Feb → 28 Feb). */
export function addYears(date: string, years: number): string {
  return DateTime.fromISO(date, { zone: 'utc' }).plus({ years }).toISODate() as string;
}

/** Whole days from `a` to `b` (positive when b is later). */
export function daysBetween(a: string, b: string): number {
  return Math.round(DateTime.fromISO(b, { zone: 'utc' }).diff(DateTime.fromISO(a, { zone: 'utc' }), 'days').days);
}

/** Every date from `from` to `to`, both inclusive (empty when from > to). */
export function dateRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** [from, to] split into consecutive inclusive ranges of at most `size` days. */
export function chunkRange(from: string, to: string, size: number): { from: string; to: string }[] {
  const out: { from: string; to: string }[] = [];
  const step = Math.max(1, size);
  for (let start = from; start <= to; start = addDays(start, step)) {
    const end = addDays(start, step - 1);
    out.push({ from: start, to: end < to ? end : to });
  }
  return out;
}

/** The later / earlier of two ISO dates (string order is date order). */
export const maxDate = (a: string, b: string): string => (a > b ? a : b);
export const minDate = (a: string, b: string): string => (a < b ? a : b);
