import { describe, expect, it } from 'vitest';
import { parseRetryAfter, retryDelay } from '../../src/write/retry-delay.js';

const opts = { baseMs: 1000, maxMs: 30_000, jitter: 0.5 };

describe('retryDelay', () => {
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

describe('parseRetryAfter', () => {
  it.each([
    ['5', 5000],
    [' 0 ', 0],
    ['Thu, 01 Jan 1970 00:01:00 GMT', 60_000 - 1000],
    ['Thu, 01 Jan 1970 00:00:00 GMT', 0], // in the past → now
    ['soon', undefined],
    ['-3', undefined],
    ['', undefined],
  ] as const)('%j → %s', (value, expected) => {
    expect(parseRetryAfter(value, 1000)).toBe(expected);
  });

  it('is undefined without a header', () => {
    expect(parseRetryAfter(undefined, 0)).toBeUndefined();
    expect(parseRetryAfter(null, 0)).toBeUndefined();
  });
});
