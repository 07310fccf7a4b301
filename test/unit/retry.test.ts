// The shared retry module (src/retry): back-off, Retry-After, transient network errors and
// the loop with its shutdown signal, table-tested once for the Huami client and the writer.
import { describe, expect, it, vi } from 'vitest';
import { huamiBackoff } from '../../src/fetch/outcome.js';
import { isTransientNetworkError, parseRetryAfter, retryDelay, retrying, wait } from '../../src/retry/index.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');

describe('retryDelay, the writer schedule (jitter 0.5, cap 30 s also for Retry-After)', () => {
  const opts = { baseMs: 1000, maxMs: 30_000, jitter: 0.5 };
  it.each([
    // attempt, Retry-After ms, random(), expected
    [0, undefined, 0, 1000],
    [1, undefined, 0, 2000],
    [2, undefined, 0, 4000],
    [3, undefined, 0.5, 10_000], // 8000 * (1 + 0.5 * 0.5)
    [0, undefined, 1, 1500], // jitter adds at most jitter × the delay
    [10, undefined, 0, 30_000], // capped
    [0, 7000, 0.9, 7000], // Retry-After wins over the schedule, no jitter
    [4, 2000, 0, 2000], // even when shorter than the schedule
    [0, 120_000, 0, 30_000], // Retry-After is capped as well
    [0, 0, 0, 0], // Retry-After: 0 means now
  ] as const)('attempt %i, Retry-After %s, random %s → %i ms', (attempt, after, r, expected) => {
    expect(retryDelay(attempt, after, opts, () => r)).toBe(expected);
  });

  it('without jitter is independent of the random source', () => {
    expect(retryDelay(2, undefined, { ...opts, jitter: 0 }, () => 0.99)).toBe(4000);
  });
});

describe('retryDelay, the Huami schedule (no jitter, Retry-After up to 5 min as asked)', () => {
  it.each([
    [0, undefined, 1000, 1000],
    [1, undefined, 1000, 2000],
    [3, undefined, 1000, 8000],
    [10, undefined, 1000, 30000], // capped
    [5, 1500, 1000, 1500], // the server's Retry-After wins
    [0, 0, 1000, 0],
    [0, 120_000, 1000, 120_000], // a 2-minute Retry-After is not cut to 30 s
    [2, undefined, 100, 400], // the base doubles per attempt
  ])('attempt %i, Retry-After %s ms, base %i → %i ms', (attempt, retryAfter, base, expected) => {
    expect(retryDelay(attempt, retryAfter, huamiBackoff(base), () => 0.99)).toBe(expected);
  });
});

describe('parseRetryAfter', () => {
  it.each([
    ['5', NOW, 5000],
    [' 0 ', NOW, 0],
    [new Date(NOW + 10_000).toUTCString(), NOW, 10_000],
    [new Date(NOW - 10_000).toUTCString(), NOW, 0], // in the past → now
    ['Thu, 01 Jan 1970 00:01:00 GMT', 1000, 60_000 - 1000],
    ['Thu, 01 Jan 1970 00:00:00 GMT', 1000, 0],
    ['soon', NOW, undefined],
    ['-3', NOW, undefined], // Date.parse reads it as the year -3; a date needs a month or weekday name
    ['', NOW, undefined],
  ] as const)('%j → %s', (value, now, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  it('is undefined without a header', () => {
    expect(parseRetryAfter(undefined, 0)).toBeUndefined();
    expect(parseRetryAfter(null, 0)).toBeUndefined();
  });
});

describe('isTransientNetworkError', () => {
  it.each([
    ['ECONNREFUSED', true],
    ['ECONNRESET', true],
    ['ETIMEDOUT', true],
    ['ENOTFOUND', true],
    ['EAI_AGAIN', true],
    ['ERR_HTTP_CONTENT_LENGTH_MISMATCH', true],
    ['ERR_STREAM_PREMATURE_CLOSE', true],
    ['RequestTimedOutError', true],
    ['ERR_INVALID_URL', false],
    ['CERT_HAS_EXPIRED', false],
    [undefined, false],
  ] as const)('%s → %s', (code, expected) => {
    expect(isTransientNetworkError(code)).toBe(expected);
  });
});

describe('retrying', () => {
  const noSleep = async (): Promise<void> => undefined;

  it('retries while a step asks for it, at most maxRetries times, and returns the last result', async () => {
    const delays: number[] = [];
    const r = await retrying(async (n) => ({ result: `try ${n}`, retryInMs: 10 * (n + 1) }), {
      maxRetries: 3,
      sleep: noSleep,
      onRetry: ({ delayMs }) => delays.push(delayMs),
    });
    expect(r).toEqual({ result: 'try 3', attempts: 4, aborted: false });
    expect(delays).toEqual([10, 20, 30]);
  });

  it('stops at the first step without retryInMs', async () => {
    const r = await retrying(async (n) => (n === 1 ? { result: 'ok' } : { result: 'busy', retryInMs: 5 }), { maxRetries: 9, sleep: noSleep });
    expect(r).toEqual({ result: 'ok', attempts: 2, aborted: false });
  });

  it('an abort during a wait ends it at once and makes no further attempt', async () => {
    const ctl = new AbortController();
    let attempts = 0;
    // A sleep that never ends by itself: only the signal can end the wait.
    const forever = (): Promise<void> => new Promise(() => undefined);
    const running = retrying(
      async () => {
        attempts++;
        return { result: 'refused', retryInMs: 60_000 };
      },
      { maxRetries: 5, signal: ctl.signal, sleep: forever },
    );
    await vi.waitFor(() => expect(attempts).toBe(1));
    ctl.abort();
    expect(await running).toEqual({ result: 'refused', attempts: 1, aborted: true });
    expect(attempts).toBe(1);
  });

  it('an already aborted signal means one attempt and no wait', async () => {
    const ctl = new AbortController();
    ctl.abort();
    const r = await retrying(async () => ({ result: 'x', retryInMs: 60_000 }), { maxRetries: 5, signal: ctl.signal });
    expect(r).toEqual({ result: 'x', attempts: 1, aborted: true });
  });

  it('the default wait (node timers) is cut short by the signal', async () => {
    vi.useFakeTimers();
    try {
      const ctl = new AbortController();
      let ended = false;
      const w = wait(3_600_000, ctl.signal).then(() => (ended = true));
      await vi.advanceTimersByTimeAsync(1000);
      expect(ended).toBe(false);
      ctl.abort();
      await w;
      expect(ended).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
