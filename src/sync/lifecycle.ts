// The day life cycle (docs/architecture.md "Day life cycle"), pure: what state a day is in,
// whether an ordinary run fetches it, and where the account stands ("synced up to").
//
//   pending ──fetch: items──▶ written ──fetch: changed items──▶ written (rewritten)
//      │  ▲
//      │  └── fetch: no items, no later day has data yet (not uploaded yet: never final)
//      ├──fetch: no items, the answer held other days and a later day has data──▶ no-data
//      ├──fetch: the whole answer was empty (flaky?)──▶ pending, re-checked 1 h, 6 h, 24 h
//      │        later; no-data after 4 empty answers
//      └──fetch: malformed item / refused / too large──▶ failed ──retry 1 h, 6 h, 24 h, 3 d, weekly
//
// A day after the newest day with band data is never final: the band may simply not have
// uploaded it yet, however many times it was fetched empty.
import { addDays, daysBetween } from './dates.js';
import type { DayFailure, DayState } from '../store/state.js';

export type DayStatus = 'pending' | 'written' | 'no-data' | 'failed';

/**
 * Fetches of an empty day whose emptiness is not yet confirmed (the whole answer was empty,
 * which a flaky or wrong-region answer also looks like) before it counts as no data anyway.
 */
export const UNCONFIRMED_EMPTY_CHECKS = 4;
/** Wait before the n-th re-check of an empty day (n = 1, 2, …); the last value repeats. */
const EMPTY_RECHECK_MS = [1, 6, 24, 72, 168].map((h) => h * 3_600_000);
/** Wait before the n-th retry of a failed day; the last value repeats (weekly, forever). */
const FAILED_RETRY_MS = [1, 6, 24, 72, 168].map((h) => h * 3_600_000);

const pick = (list: readonly number[], n: number): number => list[Math.min(Math.max(n, 1), list.length) - 1] as number;

/** sha256 of `[]`: the hash of a day fetched with no items (states before the life cycle stored it as written). */
export const EMPTY_HASH = '4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945';

/** True when the state says the day was last fetched with no item. */
export function isEmptyDay(s: DayState): boolean {
  if (s.failure) return false;
  if (s.emptyChecks !== undefined) return s.emptyChecks > 0;
  // Written by an older version: a "done" day with no items and no points.
  return s.writtenAt != null && s.points === 0 && s.hash === EMPTY_HASH;
}

/** An empty day that is final: before the newest upload, and confirmed (or checked often enough). */
function isFinalEmpty(s: DayState, newestDataDay: string | undefined): boolean {
  if (!newestDataDay || s.date >= newestDataDay) return false; // the band may not have uploaded it yet
  return (s.confirmedEmpty ?? 0) >= 1 || (s.behindChecks ?? 0) >= UNCONFIRMED_EMPTY_CHECKS;
}

/** The state of one day given the newest day with band data. */
export function dayStatus(s: DayState | undefined, newestDataDay: string | undefined): DayStatus {
  if (!s) return 'pending';
  if (s.failure) return 'failed';
  if (isEmptyDay(s)) return isFinalEmpty(s, newestDataDay) ? 'no-data' : 'pending';
  return s.writtenAt != null ? 'written' : 'pending';
}

/** Label for people: an empty day before the newest upload reads "no data" even while it is re-checked. */
export function dayLabel(s: DayState | undefined, newestDataDay: string | undefined): DayStatus {
  const st = dayStatus(s, newestDataDay);
  if (st === 'pending' && s && isEmptyDay(s) && newestDataDay && s.date < newestDataDay) return 'no-data';
  return st;
}

export interface DueContext {
  now: number;
  /** Newest day with band data known now. */
  newestDataDay: string | undefined;
  /** Newest band sync time known now (epoch ms). */
  lastDataAt: number | undefined;
  /**
   * Written days on or after this date are fetched again once the band has synced since
   * their fetch (the days around the previous newest upload, which a late upload completes).
   */
  recentFrom?: string | undefined;
}

/** Whether an ordinary run fetches this day (the look-back window is added by the planner). */
export function isDue(s: DayState | undefined, c: DueContext): boolean {
  if (!s) return true;
  if (s.failure) return c.now >= s.failure.retryAfter;
  const fetched = s.checkedAt ?? s.fetchedAt ?? 0;
  if (isEmptyDay(s)) {
    if (isFinalEmpty(s, c.newestDataDay)) return false;
    const tailAtCheck = !s.newestAtCheck || s.newestAtCheck < s.date;
    // It was after the newest upload when last fetched, and the band has uploaded since:
    // it may hold data now (a phone that stayed at home came back).
    if (tailAtCheck && c.newestDataDay && c.newestDataDay > (s.newestAtCheck ?? '')) return true;
    if (tailAtCheck && c.lastDataAt !== undefined && c.lastDataAt > fetched) return true;
    return c.now >= fetched + pick(EMPTY_RECHECK_MS, s.emptyChecks ?? 1);
  }
  if (s.writtenAt == null) return true;
  return !!c.recentFrom && s.date >= c.recentFrom && c.lastDataAt !== undefined && c.lastDataAt > fetched;
}

/**
 * The state of a day just fetched with no item. `newest` = newest day with band data known
 * after this fetch; `answerHadItems`: the same answer held other days, so it was not a flaky
 * empty answer, and a later day with data confirms the band was simply not worn.
 */
export function emptyState(date: string, prev: DayState | undefined, at: number, newest: string | undefined, user: string, answerHadItems = true): DayState {
  const wasEmpty = prev ? isEmptyDay(prev) : false;
  const behind = newest !== undefined && newest > date ? 1 : 0;
  const confirmed = answerHadItems ? behind : 0;
  return {
    date,
    fetchedAt: at,
    hash: EMPTY_HASH,
    writtenAt: at,
    spans: [],
    points: 0,
    user,
    checkedAt: at,
    emptyChecks: (wasEmpty ? (prev?.emptyChecks ?? 1) : 0) + 1,
    confirmedEmpty: (wasEmpty ? (prev?.confirmedEmpty ?? 0) : 0) + confirmed,
    behindChecks: (wasEmpty ? (prev?.behindChecks ?? 0) : 0) + behind,
    ...(newest ? { newestAtCheck: newest } : {}),
  };
}

/** The failure record after one more failed attempt. */
export function nextFailure(prev: DayFailure | undefined, code: string, message: string, at: number): DayFailure {
  const attempts = (prev?.attempts ?? 0) + 1;
  return { code, message, attempts, since: prev?.since ?? at, retryAfter: at + pick(FAILED_RETRY_MS, attempts) };
}

/** Newest date among the states that holds band data (written with items). */
export function newestDataDayOf(states: ReadonlyMap<string, DayState>): string | undefined {
  let newest: string | undefined;
  for (const [d, s] of states) if (!s.failure && s.writtenAt != null && !isEmptyDay(s) && s.hash !== null && (!newest || d > newest)) newest = d;
  return newest;
}

export interface Progress {
  /** "Synced up to": the newest day with band data, once no day up to it is still pending. */
  syncedUpTo: string | undefined;
  daysBehind: number;
  newestDataDay: string | undefined;
  failed: DayState[];
  counts: Record<DayStatus, number>;
}

/** Where an account stands over [start, today] (one definition for the summary, status, page and metrics). */
export function progressOf(states: ReadonlyMap<string, DayState>, start: string | undefined, today: string, newestKnown?: string): Progress {
  const fromStates = newestDataDayOf(states);
  const newestDataDay = newestKnown && (!fromStates || newestKnown > fromStates) ? newestKnown : fromStates;
  const counts: Record<DayStatus, number> = { pending: 0, written: 0, 'no-data': 0, failed: 0 };
  const failed: DayState[] = [];
  let firstPending: string | undefined;
  const first = start ?? [...states.keys()].sort()[0];
  if (first) {
    for (let d = first; d <= today; d = addDays(d, 1)) {
      const s = states.get(d);
      const label = dayLabel(s, newestDataDay);
      counts[label]++;
      if (label === 'failed' && s) failed.push(s);
      if (label === 'pending' && firstPending === undefined && (!newestDataDay || d <= newestDataDay)) firstPending = d;
    }
  }
  let syncedUpTo = newestDataDay;
  if (syncedUpTo && firstPending && firstPending <= syncedUpTo) {
    // Not every day up to the newest upload is settled yet: the last written day before the gap.
    syncedUpTo = undefined;
    for (let d = addDays(firstPending, -1); first && d >= first; d = addDays(d, -1)) {
      if (dayStatus(states.get(d), newestDataDay) === 'written') {
        syncedUpTo = d;
        break;
      }
    }
  }
  const daysBehind = syncedUpTo ? Math.max(0, daysBetween(syncedUpTo, today)) : first ? Math.max(0, daysBetween(first, today) + 1) : 0;
  return { syncedUpTo, daysBehind, newestDataDay, failed, counts };
}
