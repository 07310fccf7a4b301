// GroupPipeline (src/sync/batch.ts): the next group's write starts once the group before is
// confirmed, while that group's day states are still being saved; a group that deletes waits
// for every state before it; a failed group stops the run before anything more is sent; days
// are reported in order and a day's state is saved only after its points are confirmed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Point } from '../../src/schema/point.js';
import { StateStore, type DayState } from '../../src/store/state.js';
import { DayBatch, GroupPipeline, type BatchTarget, type FlushResult } from '../../src/sync/batch.js';
import type { DayWork } from '../../src/sync/day.js';
import type { EncodedLines, Writer } from '../../src/write/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A promise and its resolve/reject, to hold a call until the test lets it go. */
function gate<T = void>(): { promise: Promise<T>; open(v: T): void; fail(e: Error): void } {
  let open!: (v: T) => void;
  let fail!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    open = res;
    fail = rej;
  });
  return { promise, open, fail };
}

/** Every write, delete and state save in the order they began. */
type Event = string;

/** A real StateStore whose saves of written days wait for `hold` (when set) and are logged. */
class GatedStore extends StateStore {
  hold: Promise<void> | undefined;
  constructor(dir: string, private readonly log: Event[]) {
    super(dir, 'acct');
  }
  override async writeDay(state: DayState): Promise<void> {
    if (state.writtenAt !== null) {
      this.log.push(`state ${state.date}`);
      await this.hold;
    } else this.log.push(`mark ${state.date}`);
    await super.writeDay(state);
  }
}

/** A writer that logs each call (by the dates in its lines) and waits for the gate the test gives it. */
function gatedWriter(log: Event[], gates: Promise<void>[]): Writer {
  return {
    check: async () => undefined,
    close: async () => undefined,
    write: async (data: readonly Point[] | EncodedLines) => {
      const text = 'chunks' in data ? data.chunks.map((c) => c.bytes.toString()).join('') : '';
      const times = [...text.matchAll(/ (\d+)\n/g)].map((m) => Number(m[1]));
      log.push(`write ${times.map((t) => new Date(t * 1000).toISOString().slice(0, 10)).join(',')}`);
      await gates.shift();
    },
    deleteSpans: async (_user, spans) => {
      log.push(`delete ${spans.length}`);
    },
  };
}

const DAY = (date: string, deleteSpans = false): DayWork => {
  const t = Date.parse(`${date}T12:00:00Z`) / 1000;
  const span = { measurement: 'heart_rate' as const, start: t, end: t + 1 };
  return {
    date,
    outcome: { kind: 'data' },
    fetchedAt: 1,
    hash: `h-${date}`,
    items: [],
    points: [{ measurement: 'heart_rate', tags: { user: 'u' }, fields: { bpm: 60 }, time: t }],
    spans: [span],
    warnings: [],
    deleteSpans: deleteSpans ? [span] : [],
    previous: undefined,
  };
};

function setup(writeGates: Promise<void>[], after?: Promise<unknown>) {
  const dir = mkdtempSync(join(tmpdir(), 'mifit-pipe-'));
  dirs.push(dir);
  const log: Event[] = [];
  const store = new GatedStore(dir, log);
  const target: BatchTarget = { writer: gatedWriter(log, writeGates), store, archive: undefined, user: 'u', now: () => 2 };
  const batch = new DayBatch();
  const done: string[] = [];
  const pipe = new GroupPipeline(batch, target, (f: FlushResult) => done.push(...f.written.map((s) => s.date)), after);
  return { log, store, batch, pipe, done };
}

/** Let every pending promise callback run. */
const drain = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
};

describe('GroupPipeline', () => {
  it("starts the next group's write while the confirmed group's day states are still being saved, and reports groups in order", async () => {
    const w1 = gate();
    const w2 = gate();
    const s = setup([w1.promise, w2.promise]);
    const states = gate();
    s.store.hold = states.promise;
    s.batch.add(DAY('2026-01-01'));
    await s.pipe.start();
    await drain();
    // Nothing of group 1 is saved before its points are confirmed.
    expect(s.log).toEqual(['write 2026-01-01']);
    s.batch.add(DAY('2026-01-02'));
    const second = s.pipe.start();
    w1.open();
    await second;
    await drain();
    // Group 1's state save has begun (and is held); group 2 is already on its way.
    expect(s.log).toEqual(['write 2026-01-01', 'state 2026-01-01', 'write 2026-01-02']);
    expect(s.done).toEqual([]);
    w2.open();
    states.open();
    await s.pipe.settle();
    expect(s.done).toEqual(['2026-01-01', '2026-01-02']);
    expect(s.log.indexOf('state 2026-01-02')).toBeGreaterThan(s.log.indexOf('write 2026-01-02'));
  });

  it('lets a group that deletes wait until every state before it is saved (its deletes are bounded by them)', async () => {
    const w1 = gate();
    const s = setup([w1.promise, Promise.resolve()]);
    const states = gate();
    s.store.hold = states.promise;
    s.batch.add(DAY('2026-01-01'));
    await s.pipe.start();
    s.batch.add(DAY('2026-01-02', true));
    const second = s.pipe.start();
    w1.open();
    await drain();
    expect(s.log).toEqual(['write 2026-01-01', 'state 2026-01-01']);
    states.open();
    await second;
    await s.pipe.settle();
    expect(s.log).toEqual(['write 2026-01-01', 'state 2026-01-01', 'mark 2026-01-02', 'delete 1', 'write 2026-01-02', 'state 2026-01-02']);
    expect(s.done).toEqual(['2026-01-01', '2026-01-02']);
  });

  it('stops before the next group when a group is not confirmed: nothing more is sent, no state advances', async () => {
    const w1 = gate();
    const s = setup([w1.promise]);
    s.batch.add(DAY('2026-01-01'));
    await s.pipe.start();
    s.batch.add(DAY('2026-01-02'));
    const second = s.pipe.start();
    w1.fail(Object.assign(new Error('InfluxDB is down'), { code: 'INFLUX_UNREACHABLE' }));
    await expect(second).rejects.toThrow('InfluxDB is down');
    expect(s.pipe.failed).toBe(true);
    expect(s.log).toEqual(['write 2026-01-01']);
    expect(s.done).toEqual([]);
    expect(await s.store.loadAll()).toEqual(new Map());
  });

  it("sends nothing before what it comes after (the previous stream's last group) is finished, and does not take over its failure", async () => {
    const previous = gate();
    const s = setup([Promise.resolve()], previous.promise);
    s.batch.add(DAY('2026-01-01', true));
    const first = s.pipe.start();
    await drain();
    // Not even the in-flight mark or the delete: they would follow the other stream's write.
    expect(s.log).toEqual([]);
    previous.fail(new Error('the other stream failed'));
    await first;
    await s.pipe.settle();
    expect(s.log).toEqual(['mark 2026-01-01', 'delete 1', 'write 2026-01-01', 'state 2026-01-01']);
    expect(s.pipe.failed).toBe(false);
    expect(s.done).toEqual(['2026-01-01']);
  });
});
