// Writes a group of prepared days as one unit and only then records them as done
// (style.md #10): mark rewrites in flight, delete their old spans, write every point,
// confirm, then advance each day's state. A failure or a kill anywhere before the last
// step leaves those days pending, and the in-flight marks keep the spans to delete.
import type { Writer } from '../write/index.js';
import type { DaySpan } from '../decode/index.js';
import type { Point } from '../schema/point.js';
import type { DayWork } from './day.js';
import type { RawArchive } from './raw-archive.js';
import type { DayState, StateStore } from './state.js';

export interface BatchTarget {
  writer: Writer;
  store: StateStore;
  /** Where the raw items are kept; undefined when re-writing from the archive itself. */
  archive: RawArchive | undefined;
  user: string;
  now(): number;
}

export interface FlushResult {
  daysWritten: number;
  points: number;
  written: DayState[];
}

/** A group of days written together (one write call of up to INFLUX_BATCH_SIZE points). */
export class DayBatch {
  private days: DayWork[] = [];
  private pointCount = 0;

  add(day: DayWork): void {
    this.days.push(day);
    this.pointCount += day.points.length;
  }

  get size(): number {
    return this.pointCount;
  }

  get length(): number {
    return this.days.length;
  }

  /** Write the group; resolves after every day's state advanced, throws (days pending) otherwise. */
  async flush(t: BatchTarget): Promise<FlushResult> {
    const days = this.days;
    this.days = [];
    this.pointCount = 0;
    if (days.length === 0) return { daysWritten: 0, points: 0, written: [] };
    const rewrites = days.filter((d) => d.deleteSpans.length > 0);
    await settleAll(rewrites.map((d) => t.store.writeDay({ date: d.date, fetchedAt: d.previous?.fetchedAt ?? null, hash: null, writtenAt: null, spans: d.deleteSpans, points: 0, user: t.user })));
    // The raw archive only has to be complete before a day's state advances, so it is saved
    // while InfluxDB works instead of before (each file is atomic on its own).
    const archive = t.archive;
    const archived = archive ? settleAll(days.map((d) => archive.save(d.date, d.items))) : Promise.resolve();
    archived.catch(() => undefined); // awaited below; a write failure takes precedence
    let pointCount = 0;
    try {
      const spans: DaySpan[] = rewrites.flatMap((d) => d.deleteSpans);
      if (spans.length) await t.writer.deleteSpans(t.user, spans);
      const points: Point[] = [];
      for (const d of days) for (const p of d.points) points.push(p);
      pointCount = points.length;
      if (points.length) await t.writer.write(points);
      // A day last written under another `user` tag (the account was renamed): its points
      // there go only once the new ones are confirmed, so a kill in between leaves them
      // twice (under both tags), never nowhere.
      for (const d of rewrites) {
        const old = d.previous;
        if (old?.user && old.user !== t.user && old.writtenAt != null && old.spans.length) await t.writer.deleteSpans(old.user, old.spans);
      }
    } catch (err) {
      await archived.catch(() => undefined);
      throw err;
    }
    await archived;
    const writtenAt = t.now();
    const written: DayState[] = days.map((d) => ({ date: d.date, fetchedAt: d.fetchedAt, hash: d.hash, writtenAt, spans: d.spans, points: d.points.length, user: t.user }));
    // Every point of the group is confirmed: the days' files are independent, write them at once.
    await settleAll(written.map((state) => t.store.writeDay(state)));
    // A day that touched InfluxDB counts as written; a day that was and stays empty does not.
    const daysWritten = days.filter((d) => d.points.length > 0 || d.deleteSpans.length > 0).length;
    return { daysWritten, points: pointCount, written };
  }
}

/** Wait for every promise (none is left running), then reject with the first failure if any. */
async function settleAll(promises: readonly Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
