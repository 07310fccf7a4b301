// Scheduled runs spread over the interval: each account's offset comes from its state key
// alone (the same after a restart), and a slow account is skipped at its next offset while
// the others keep theirs. Fake timers; no wall clock.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/log.js';
import { createMetrics } from '../../src/daemon/metrics.js';
import { createRunner } from '../../src/daemon/runner.js';
import { createSpreader, jitterFraction } from '../../src/daemon/spread.js';
import type { AccountRunResult } from '../../src/sync/types.js';
import { T0, result, statusWith } from '../support/daemon-fixtures.js';

const INTERVAL = 30 * 60_000;

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('jitter', () => {
  it('is the first 32 bits of sha256(key) over 2^32 (values from Python hashlib)', () => {
    // python3: int.from_bytes(hashlib.sha256(b'anna').digest()[:4], 'big') = 1431804757
    expect(jitterFraction('anna')).toBe(1431804757 / 2 ** 32);
    expect(jitterFraction('ben')).toBe(1728087708 / 2 ** 32);
  });

  it('gives the same offsets to a spreader made after a restart', () => {
    const make = () => createSpreader({ keys: () => ['anna', 'ben'], intervalMs: () => INTERVAL, run: () => undefined });
    const a = make();
    const b = make();
    // 0.9 of the interval is covered: floor(0.33336802 * 1,800,000 * 0.9) = 540,056 ms.
    expect(a.offsetMs('anna', INTERVAL)).toBe(540_056);
    expect(b.offsetMs('anna', INTERVAL)).toBe(540_056);
    expect(b.offsetMs('ben', INTERVAL)).toBe(651_809);
  });

  it('starts each account at its offset into the interval of a tick', () => {
    const started: [string, number][] = [];
    const s = createSpreader({ keys: () => ['anna', 'ben'], intervalMs: () => INTERVAL, run: (k) => started.push([k, Date.now() - T0]) });
    s.tick();
    vi.advanceTimersByTime(540_055);
    expect(started).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(started).toEqual([['anna', 540_056]]);
    vi.advanceTimersByTime(INTERVAL);
    expect(started).toEqual([['anna', 540_056], ['ben', 651_809]]);
    s.stop();
  });

  it('forgets pending starts on stop', () => {
    const run = vi.fn();
    const s = createSpreader({ keys: () => ['anna'], intervalMs: () => INTERVAL, run });
    s.tick();
    s.stop();
    vi.advanceTimersByTime(INTERVAL);
    expect(run).not.toHaveBeenCalled();
  });
});

describe('per-account runs', () => {
  it('a slow account is skipped at its next offset; the other keeps its schedule', async () => {
    const status = statusWith(['anna', 'ben']);
    const metrics = createMetrics({ demo: false, defaultMetrics: false });
    const calls: string[] = [];
    let releaseAnna: (() => void) | undefined;
    const runner = createRunner({
      accountKeys: () => ['anna', 'ben'],
      sync: (_signal, keys) => {
        const k = keys?.join(',') ?? 'all';
        calls.push(k);
        // anna hangs until released; ben answers at once.
        if (k === 'anna') return new Promise<AccountRunResult[]>((resolve) => (releaseAnna = () => resolve([result('anna', T0)])));
        return Promise.resolve([result(k, T0)]);
      },
      status, metrics, logger: createLogger('silent'), now: () => Date.now(), secrets: [],
    });
    const outcomes: Promise<unknown>[] = [];
    const s = createSpreader({ keys: () => ['anna', 'ben'], intervalMs: () => INTERVAL, run: (k) => outcomes.push(runner.trigger('schedule', k)) });
    s.tick();
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(calls).toEqual(['anna', 'ben']);
    // Next interval: anna is still going, ben runs again at its own offset.
    s.tick();
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(calls).toEqual(['anna', 'ben', 'ben']);
    expect(await outcomes[2]).toBe('skipped'); // anna's second start
    expect(await outcomes[3]).toBe('ran');
    // A whole run ("Sync now") covers only the accounts not busy.
    expect(await runner.trigger('manual')).toBe('ran');
    expect(calls.at(-1)).toBe('ben');
    releaseAnna?.();
    expect(await outcomes[0]).toBe('ran');
    expect(runner.isRunning()).toBe(false);
    s.stop();
  });
});
