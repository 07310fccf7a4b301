import { describe, expect, it, vi } from 'vitest';
import { oneAhead, windows } from '../../src/sync/ahead.js';

/** A fetch whose answers the test releases by hand, recording starts and the most in flight. */
function controlled() {
  const log: string[] = [];
  const waiting = new Map<number, { resolve: (v: string) => void; reject: (e: Error) => void }>();
  let inFlight = 0;
  let most = 0;
  const fetch = (n: number): Promise<string> => {
    log.push(`start ${n}`);
    most = Math.max(most, ++inFlight);
    return new Promise<string>((resolve, reject) => waiting.set(n, { resolve, reject })).finally(() => inFlight--);
  };
  const answer = async (n: number, fail = false): Promise<void> => {
    await vi.waitFor(() => expect(waiting.has(n)).toBe(true));
    const w = waiting.get(n)!;
    waiting.delete(n);
    if (fail) w.reject(new Error(`request ${n} failed`));
    else w.resolve(`answer ${n}`);
  };
  return { log, fetch, answer, most: () => most, started: (n: number) => log.includes(`start ${n}`) };
}


describe('oneAhead', () => {
  it('asks the next item as soon as the current one answered, never two at once, answers in order', async () => {
    const c = controlled();
    const seen: string[] = [];
    const done = (async () => {
      for await (const { item, answer } of oneAhead([1, 2, 3], c.fetch)) {
        c.log.push(`use ${item}`);
        seen.push(answer);
        // While item 1 is used, item 2 is already on its way.
        if (item === 1) expect(c.started(2)).toBe(true);
      }
    })();
    await c.answer(1);
    await c.answer(2);
    await c.answer(3);
    await done;
    expect(seen).toEqual(['answer 1', 'answer 2', 'answer 3']);
    expect(c.most()).toBe(1);
    expect(c.log).toEqual(['start 1', 'start 2', 'use 1', 'start 3', 'use 2', 'use 3']);
  });

  it('throws a failed request at its turn, after the answers before it were used', async () => {
    const c = controlled();
    const seen: number[] = [];
    const done = (async () => {
      for await (const { item } of oneAhead([1, 2, 3], c.fetch)) seen.push(item);
    })();
    await c.answer(1);
    await c.answer(2, true);
    await expect(done).rejects.toThrow('request 2 failed');
    expect(seen).toEqual([1]);
    expect(c.started(3)).toBe(false);
  });

  it('starts nothing once stop() says so, and waits for the request in flight when the caller leaves early', async () => {
    const c = controlled();
    let stopped = false;
    let finished = false;
    const done = (async () => {
      for await (const { item } of oneAhead([1, 2, 3], c.fetch, () => stopped)) {
        if (item === 1) {
          stopped = true; // too late for request 2, which started with answer 1
          break;
        }
      }
      finished = true;
    })();
    await c.answer(1);
    await vi.waitFor(() => expect(c.started(2)).toBe(true));
    // The loop has left, but the generator still waits for request 2 before it returns.
    expect(finished).toBe(false);
    await c.answer(2, true); // its failure is dropped: nobody asked for it
    await done;
    expect(finished).toBe(true);
    expect(c.started(3)).toBe(false);
  });

  it('asks nothing at all when stopped before the first request', async () => {
    const c = controlled();
    const seen: number[] = [];
    for await (const { item } of oneAhead([1, 2], c.fetch, () => true)) seen.push(item);
    expect(seen).toEqual([]);
    expect(c.log).toEqual([]);
  });
});

describe('windows', () => {
  async function* from<T>(items: readonly T[], failAt?: number): AsyncGenerator<T> {
    for (let i = 0; i < items.length; i++) {
      if (i === failAt) throw new Error(`item ${i} failed`);
      yield items[i] as T;
    }
  }
  const all = async <T>(g: AsyncIterable<T>): Promise<T[]> => {
    const out: T[] = [];
    for await (const x of g) out.push(x);
    return out;
  };

  it('gathers items until their sizes reach the cap, the last window shorter', async () => {
    // Sizes 5, 30, 30, 30, 30, 29 with a cap of 60: 5+30+30 = 65, 30+30 = 60, 29.
    expect(await all(windows(from([5, 30, 30, 30, 30, 29]), (n) => n, 60))).toEqual([[5, 30, 30], [30, 30], [29]]);
    expect(await all(windows(from([5, 30]), (n) => n, 1))).toEqual([[5], [30]]);
    expect(await all(windows(from([]), (n: number) => n, 60))).toEqual([]);
  });

  it('yields the window gathered before a failure, then throws it', async () => {
    const got: number[][] = [];
    await expect(async () => {
      for await (const w of windows(from([10, 20, 30, 40], 3), (n) => n, 100)) got.push(w);
    }).rejects.toThrow('item 3 failed');
    expect(got).toEqual([[10, 20, 30]]);
  });
});
