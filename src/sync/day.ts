// What one fetched day needs (pure apart from the injected decoder): compare its payload
// hash with the state, decode it, and compute the spans to delete before the rewrite.
import { createHash } from 'node:crypto';
import type { DaySpan, DecodeWarning, decodeItem } from '../decode/index.js';
import type { Point } from '../schema/point.js';
import { unionSpans, type DayState } from '../store/state.js';

export type DayDecision =
  | { kind: 'unchanged' }
  /** The day had points and Huami no longer returns it: kept as written (see vanishedDay). */
  | { kind: 'vanished' }
  | { kind: 'write'; work: DayWork };

/** What a prepared day becomes once its group is confirmed (docs/architecture.md "Day life cycle"). */
export type DayOutcome =
  | { kind: 'data' }
  /** Fetched with no item; `newest` = newest day with band data known at that fetch; `answerHadItems`: the answer held other days. */
  | { kind: 'empty'; newest: string | undefined; answerHadItems: boolean }
  /** Malformed, oversized or refused: kept raw, retried later; its last good points stay. */
  | { kind: 'failed'; code: string; message: string };

export interface DayWork {
  date: string;
  outcome: DayOutcome;
  /** Epoch ms of the fetch that returned these items. */
  fetchedAt: number;
  hash: string;
  items: readonly unknown[];
  points: Point[];
  spans: DaySpan[];
  warnings: DecodeWarning[];
  /** Spans to delete before writing: old version ∪ new version (empty for a first write). */
  deleteSpans: DaySpan[];
  previous: DayState | undefined;
}

/** sha256 of a day's raw items as JSON (the state's `hash`). */
export function hashItems(items: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(items)).digest('hex');
}

export interface DayInput {
  date: string;
  items: readonly unknown[];
  /** Newest day with band data known after this fetch (for an empty day's confirmation). */
  newest?: string | undefined;
  /** The answer this day came from held other days (an empty day in it is not a flaky answer). */
  answerHadItems?: boolean;
  previous: DayState | undefined;
  fetchedAt: number;
  force: boolean;
  timeZone: string;
  user: string;
  /** The band_data decoder, one item at a time. */
  decode: typeof decodeItem;
  /** A decoder of the day's items together (health events: one item per date wins); used instead of `decode` when given. */
  decodeDay?: DayDecoder;
}

/** Decodes all items of one day at once. */
export type DayDecoder = (items: readonly unknown[], opts: { timeZone: string; user: string }) => { points: Point[]; spans: DaySpan[]; warnings: DecodeWarning[] };

/** Decide whether and how a fetched day is (re)written. */
export function decideDay(d: DayInput): DayDecision {
  const hash = hashItems(d.items);
  const prev = d.previous;
  const done = prev?.writtenAt != null && !prev.failure;
  if (done && prev.hash === hash && prev.user === d.user && !d.force && d.items.length > 0) return { kind: 'unchanged' };
  // A day that had points and is now absent is more likely a flaky or wrong-region answer
  // (a wrong host can answer 200 with no days, docs/huami-api.md "Hosts and regions") than a deletion upstream: keep it.
  if (d.items.length === 0 && prev && prev.writtenAt != null && prev.points > 0) return { kind: 'vanished' };
  if (d.items.length === 0) {
    // Nothing to write; only an interrupted rewrite's spans are still to be deleted.
    const deleteSpans = prev && prev.writtenAt == null ? prev.spans : [];
    return { kind: 'write', work: { date: d.date, outcome: { kind: 'empty', newest: d.newest, answerHadItems: d.answerHadItems ?? true }, fetchedAt: d.fetchedAt, hash, items: d.items, points: [], spans: [], warnings: [], deleteSpans, previous: prev } };
  }
  const points: Point[] = [];
  const spans: DaySpan[] = [];
  const warnings: DecodeWarning[] = [];
  const days = d.decodeDay ? [d.decodeDay(d.items, { timeZone: d.timeZone, user: d.user })] : d.items.map((item) => d.decode(item, { timeZone: d.timeZone, user: d.user }));
  for (const day of days) {
    for (const p of day.points) points.push(p);
    for (const s of day.spans) spans.push(s);
    for (const w of day.warnings) warnings.push(w);
  }
  // Delete only what a version of this day may have left: nothing before the very first
  // attempt (no state file), otherwise the old spans plus the new ones.
  const deleteSpans = prev ? unionSpans(prev.spans, spans) : [];
  return { kind: 'write', work: { date: d.date, outcome: { kind: 'data' }, fetchedAt: d.fetchedAt, hash, items: d.items, points, spans, warnings, deleteSpans, previous: prev } };
}

/**
 * Whether a fetched day with these (valid) items will be rewritten over points it already
 * has under `user`: what clearDays (src/sync/batch.ts) may delete ahead of the write. The
 * same conditions as decideDay's, without decoding; a day Huami stopped returning is kept.
 */
export function rewritesInPlace(items: readonly unknown[], prev: DayState | undefined, user: string, force: boolean): boolean {
  if (!prev || prev.spans.length === 0 || (prev.user !== user && prev.writtenAt != null)) return false;
  if (prev.writtenAt == null) return true; // an interrupted rewrite: its spans go anyway
  if (items.length === 0) return false;
  return force || !!prev.failure || prev.hash !== hashItems(items);
}

/** A day that cannot be written this time: its raw items are kept, its last good points stay. */
export function failedDay(date: string, items: readonly unknown[], previous: DayState | undefined, fetchedAt: number, code: string, message: string): DayWork {
  return { date, outcome: { kind: 'failed', code, message }, fetchedAt, hash: hashItems(items), items, points: [], spans: [], warnings: [], deleteSpans: [], previous };
}

/** Group band_data items by their `date_time`, keeping the response order. */
export function groupByDate(items: readonly unknown[]): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  for (const item of items) {
    const date = (item as { date_time?: unknown } | null)?.date_time;
    if (typeof date !== 'string') continue;
    const list = out.get(date);
    if (list) list.push(item);
    else out.set(date, [item]);
  }
  return out;
}
