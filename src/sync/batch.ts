// Writes a group of prepared days as one unit and only then records them as done
// (an idempotent run): mark rewrites in flight, delete their old spans, write every point,
// confirm, then advance each day's state. A failure or a kill anywhere before the last
// step leaves those days pending, and the in-flight marks keep the spans to delete.
import type { LineChunk, Writer } from '../write/index.js';
import type { DaySpan } from '../decode/index.js';
import { encodeLines, SchemaViolationError } from '../schema/line-protocol.js';
import type { DayWork } from './day.js';
import type { RawArchive } from '../store/raw-archive.js';
import { emptyState, nextFailure } from './lifecycle.js';
import { mergeSpans, notCovered } from './spans.js';
import { unionSpans, type DayState, type StateStore } from '../store/state.js';

export interface BatchTarget {
  writer: Writer;
  store: StateStore;
  /** Where the raw items are kept; undefined when re-writing from the archive itself. */
  archive: RawArchive | undefined;
  user: string;
  now(): number;
  /**
   * The account's day states as they are when a group is written: the spans of the days
   * outside the group bound how far the group's deletes may be merged (src/sync/spans.ts).
   * Without it, each span is deleted on its own.
   */
  states?: ReadonlyMap<string, DayState>;
  /** Ranges clearDays() already deleted in this run: a group deletes only what they do not contain. */
  cleared?: DaySpan[];
}

export interface FlushResult {
  daysWritten: number;
  points: number;
  /** States of the days that advanced (written or empty). */
  written: DayState[];
  /** States of the days that are failed after this group. */
  failed: DayState[];
}

/**
 * Writes a DayBatch's groups in the background, at most one in flight, while the caller
 * prepares the next group (sync and reprocess): days are still recorded in order, and a
 * failed group stops the run before the next one is sent. Once a group's points are
 * confirmed, the next group's write starts while the confirmed group's day states are still
 * being saved (a few files each), so InfluxDB does not wait for the disk; not when the next
 * group deletes, as its deletes are bounded by the day states of the groups before it.
 */
export class GroupPipeline {
  private inflight: Flushing | undefined;
  /** The group before, points confirmed, its day states being saved. */
  private finishing: Promise<FlushResult> | undefined;
  /** Set once a group's write failed. */
  failed = false;

  /**
   * @param after what must be finished before this pipeline sends anything: the previous
   * stream's last group, written while this stream fetches its first answers (its failure is
   * that stream's, not this one's).
   */
  constructor(
    private readonly batch: DayBatch,
    private readonly target: BatchTarget,
    private readonly onDone: (f: FlushResult) => void,
    private after?: Promise<unknown>,
  ) {}

  private async waitAfter(): Promise<void> {
    const after = this.after;
    if (!after) return;
    await after.catch(() => undefined);
    this.after = undefined;
  }

  /** Wait for a group to finish (rethrowing its failure) and report it. */
  private async report(pending: Promise<FlushResult>): Promise<void> {
    let f: FlushResult;
    try {
      f = await pending;
    } catch (err) {
      this.failed = true;
      throw err;
    }
    this.onDone(f);
  }

  /** Take the group in flight and report the one before it (on its failure, the taken group is awaited too before rethrowing). */
  private async takeInflight(): Promise<Flushing | undefined> {
    const finishing = this.finishing;
    const current = this.inflight;
    this.finishing = undefined;
    this.inflight = undefined;
    if (finishing) {
      try {
        await this.report(finishing);
      } catch (err) {
        await current?.done.catch(() => undefined);
        throw err;
      }
    }
    return current;
  }

  /** Wait for every group started (rethrowing the first failure) and report them in order. */
  async settle(): Promise<void> {
    await this.waitAfter();
    const current = await this.takeInflight();
    if (current) await this.report(current.done);
  }

  /** Start writing what the batch holds once the group in flight is confirmed (settled first when this group deletes). */
  async start(): Promise<void> {
    if (!this.inflight || this.batch.length === 0 || this.batch.deletes) await this.settle();
    else {
      const current = (await this.takeInflight()) as Flushing;
      // Not confirmed: its failure is rethrown here and nothing more is sent.
      if (!(await current.written)) await this.report(current.done);
      this.finishing = current.done;
    }
    if (this.batch.length === 0) return;
    this.inflight = this.batch.flush(this.target);
    this.inflight.done.catch(() => undefined); // awaited (and rethrown) by the next settle() or start()
  }

  /** Settles once the group in flight (if any) has its points confirmed, or has failed (reported by settle()). */
  confirmedInflight(): Promise<void> {
    return this.inflight ? this.inflight.written.then(() => undefined) : Promise.resolve();
  }

  /** Write what the batch still holds and wait for every group (the end of a run). */
  async writeRest(): Promise<void> {
    await this.start();
    await this.settle();
  }

  /** Let the in-flight write's body and answer through: decoding a group in one go would hold the event loop. */
  async yieldToWrite(): Promise<void> {
    if (this.inflight) await new Promise((resolve) => setImmediate(resolve));
  }
}

/** A group being written: `written` resolves once its points are confirmed (true) or the group failed (false). */
interface Flushing {
  written: Promise<boolean>;
  done: Promise<FlushResult>;
}

/**
 * A prepared day as a group holds it: its points already encoded as line protocol (one flat
 * buffer outside the V8 heap), so the point objects die young while the group waits for
 * its write instead of being promoted and traced by every full garbage collection.
 */
interface HeldDay {
  /** The day without its points (`lines` holds them). */
  work: DayWork;
  /** Its points' lines; undefined when it has none or they break the schema. */
  lines: LineChunk | undefined;
  points: number;
  /** Its points break the schema (SCHEMA_VIOLATION): none is written, the day fails. */
  refused?: { code: string; message: string };
}

/** Encode a day's points; a point that breaks the schema fails its day only (one bad day never stops the others). */
function hold(day: DayWork): HeldDay {
  const work: DayWork = { ...day, points: [] };
  const points = day.points.length;
  if (points === 0) return { work, lines: undefined, points };
  try {
    return { work, lines: { bytes: encodeLines(day.points), lines: points }, points };
  } catch (err) {
    if (!(err instanceof SchemaViolationError)) throw err;
    return { work, lines: undefined, points, refused: describe(err) };
  }
}

/** A group of days written together (one write call of up to INFLUX_BATCH_SIZE points). */
export class DayBatch {
  private days: HeldDay[] = [];
  private pointCount = 0;

  add(day: DayWork): void {
    this.days.push(hold(day));
    this.pointCount += day.points.length;
  }

  get size(): number {
    return this.pointCount;
  }

  get length(): number {
    return this.days.length;
  }

  /** Whether a day of the group deletes old points before its write. */
  get deletes(): boolean {
    return this.days.some((d) => d.work.deleteSpans.length > 0);
  }

  /** Write the group: `done` resolves after every day's state advanced, rejects (days pending) otherwise; `written` once the points are confirmed. */
  flush(t: BatchTarget): Flushing {
    let confirmed!: (ok: boolean) => void;
    const written = new Promise<boolean>((resolve) => (confirmed = resolve));
    const done = this.write(t, () => confirmed(true));
    done.then(
      () => confirmed(true),
      () => confirmed(false),
    );
    return { written, done };
  }

  private async write(t: BatchTarget, onConfirmed: () => void): Promise<FlushResult> {
    const days = this.days;
    this.days = [];
    this.pointCount = 0;
    if (days.length === 0) return { daysWritten: 0, points: 0, written: [], failed: [] };
    // The raw archive only has to be complete before a day's state advances, so it is saved
    // while InfluxDB works instead of before (each file is atomic on its own). Days with no
    // item have nothing to replay.
    const archive = t.archive;
    const archived = archive ? settleAll(days.filter((d) => d.work.items.length > 0).map((d) => archive.save(d.work.date, d.work.items))) : Promise.resolve();
    archived.catch(() => undefined); // awaited below; a write failure takes precedence
    const refused = new Map<string, { code: string; message: string }>();
    for (const d of days) if (d.refused) refused.set(d.work.date, d.refused);
    let pointCount = 0;
    try {
      const toWrite = days.filter((d) => d.work.outcome.kind !== 'failed' && !d.refused);
      try {
        pointCount = await writeDays(t, toWrite);
      } catch (err) {
        // InfluxDB refused the group for what is in it (a bad point, a field type conflict):
        // write day by day so that only the day it refuses fails (one bad day never stops the others).
        if (!isRefusal(err) || toWrite.length === 1) {
          if (isRefusal(err) && toWrite[0]) refused.set(toWrite[0].work.date, describe(err));
          else throw err;
        } else {
          pointCount = 0;
          for (const d of toWrite) {
            try {
              pointCount += await writeDays(t, [d]);
            } catch (e) {
              if (!isRefusal(e)) throw e;
              refused.set(d.work.date, describe(e));
            }
          }
        }
      }
    } catch (err) {
      await archived.catch(() => undefined);
      throw err;
    }
    onConfirmed();
    await archived;
    const at = t.now();
    const states: DayState[] = days.map(({ work: d, points }) => {
      const r = refused.get(d.date);
      if (r) return failedState(d, t.user, r.code, r.message, at, d.deleteSpans);
      return stateAfter(d, points, t.user, at);
    });
    // Every point of the group is confirmed: the days' files are independent, write them at once.
    await settleAll(states.map((state) => t.store.writeDay(state)));
    // A day that touched InfluxDB counts as written; a day that was and stays empty does not.
    const daysWritten = days.filter(({ work: d, points }) => !refused.has(d.date) && d.outcome.kind === 'data' && (points > 0 || d.deleteSpans.length > 0)).length;
    return { daysWritten, points: pointCount, written: states.filter((s) => !s.failure), failed: states.filter((s) => s.failure) };
  }
}

/** Mark rewrites in flight, delete their old spans, write every point; the number of points written. */
async function writeDays(t: BatchTarget, held: readonly HeldDay[]): Promise<number> {
  const days = held.map((h) => h.work);
  const rewrites = days.filter((d) => d.deleteSpans.length > 0);
  await settleAll(rewrites.map((d) => t.store.writeDay({ date: d.date, fetchedAt: d.previous?.fetchedAt ?? null, hash: null, writtenAt: null, spans: d.deleteSpans, points: 0, user: t.user })));
  const spans: DaySpan[] = notCovered(rewrites.flatMap((d) => d.deleteSpans), t.cleared ?? []);
  if (spans.length) await t.writer.deleteSpans(t.user, t.states ? mergeSpans(spans, othersOf(t.states, rewrites)) : spans);
  const chunks: LineChunk[] = [];
  let count = 0;
  for (const h of held) {
    if (!h.lines) continue;
    chunks.push(h.lines);
    count += h.lines.lines;
  }
  if (count) await t.writer.write({ chunks, count });
  // A day last written under another `user` tag (the account was renamed): its points
  // there go only once the new ones are confirmed, so a kill in between leaves them
  // twice (under both tags), never nowhere.
  for (const d of rewrites) {
    const old = d.previous;
    if (old?.user && old.user !== t.user && old.writtenAt != null && old.spans.length) await t.writer.deleteSpans(old.user, old.spans);
  }
  return count;
}

/**
 * Before many days are rewritten (`sync --force`, `reprocess`, a range of changed days): mark
 * them all in flight at once (their spans kept in the state, so a kill from here on leaves
 * them pending and their spans deleted again), then delete their old spans as one merged
 * range per measurement and tag set instead of per group. The new points then overwrite or
 * fill the cleared ranges; each group still deletes the spans of its own days that these
 * ranges do not contain (new spans outside the old ones). `t.states` must hold every day of
 * the account; the days' entries become their in-flight marks. Only days last written
 * under `t.user` belong here (a renamed day's old tag is deleted after its write).
 */
export async function clearDays(t: BatchTarget & { states: Map<string, DayState> }, dates: Iterable<string>): Promise<number> {
  const marks: DayState[] = [];
  for (const date of dates) {
    const s = t.states.get(date);
    if (!s || s.spans.length === 0) continue;
    marks.push({ date, fetchedAt: s.fetchedAt, hash: null, writtenAt: null, spans: s.spans, points: 0, user: t.user });
  }
  if (marks.length === 0) return 0;
  await settleAll(marks.map((m) => t.store.writeDay(m)));
  for (const m of marks) t.states.set(m.date, m);
  const ranges = mergeSpans(marks.flatMap((m) => m.spans), othersOf(t.states, marks));
  await t.writer.deleteSpans(t.user, ranges);
  (t.cleared ??= []).push(...ranges);
  return marks.length;
}

/** Spans of every day in `states` that is not one of `days`. */
function* othersOf(states: ReadonlyMap<string, DayState>, days: readonly { date: string }[]): Iterable<DaySpan> {
  const mine = new Set(days.map((d) => d.date));
  for (const [date, s] of states) if (!mine.has(date)) yield* s.spans;
}

const REFUSALS = new Set(['INFLUX_REJECTED', 'INFLUX_FIELD_TYPE_CONFLICT', 'INFLUX_TOO_LARGE', 'SCHEMA_VIOLATION']);
/** InfluxDB (or the line-protocol check before it) refused what was sent, not an outage. */
function isRefusal(err: unknown): boolean {
  return REFUSALS.has((err as { code?: string } | null)?.code ?? '');
}
function describe(err: unknown): { code: string; message: string } {
  const e = err as { code?: string; message?: string };
  return { code: e.code ?? 'INFLUX_REJECTED', message: e.message ?? String(err) };
}

/** The state a prepared day advances to once its group is confirmed. */
function stateAfter(d: DayWork, points: number, user: string, at: number): DayState {
  if (d.outcome.kind === 'empty') return emptyState(d.date, d.previous, d.fetchedAt, d.outcome.newest, user, d.outcome.answerHadItems);
  if (d.outcome.kind === 'failed') return failedState(d, user, d.outcome.code, d.outcome.message, at, []);
  return { date: d.date, fetchedAt: d.fetchedAt, hash: d.hash, writtenAt: at, spans: d.spans, points, user, checkedAt: d.fetchedAt };
}

/**
 * A failed day keeps what its last good version wrote (state, spans) and records why it failed;
 * `extraSpans` are spans a refused write may have touched, deleted before the next attempt.
 */
function failedState(d: DayWork, user: string, code: string, message: string, at: number, extraSpans: readonly DaySpan[]): DayState {
  const p = d.previous;
  const base: DayState = p ? { ...p } : { date: d.date, fetchedAt: null, hash: null, writtenAt: null, spans: [], points: 0, user };
  const spans = extraSpans.length ? unionSpans(base.spans, extraSpans) : base.spans;
  return { ...base, date: d.date, spans, checkedAt: d.fetchedAt, failure: nextFailure(p?.failure, code, message, at) };
}

/** Wait for every promise (none is left running), then reject with the first failure if any. */
async function settleAll(promises: readonly Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
