import { describe, expect, it } from 'vitest';
import { createFailureLimiter, createRateLimiter } from '../../src/daemon/rate-limit.js';

describe('createRateLimiter', () => {
  it.each([
    // [press times (ms), expected outcomes]
    [[0, 1, 59_999, 60_000], [true, false, false, true]],
    [[1_000, 70_000, 71_000, 130_000], [true, true, false, true]],
  ])('accepts one press per 60 s window: %j', (times, expected) => {
    const l = createRateLimiter(60_000);
    expect(times.map((t) => l.take(t))).toEqual(expected);
  });

  it('tells how many seconds remain (rounded up) for Retry-After', () => {
    const l = createRateLimiter(60_000);
    l.take(10_000);
    expect(l.retryAfterSeconds(10_500)).toBe(60);
    expect(l.retryAfterSeconds(69_001)).toBe(1);
    expect(l.retryAfterSeconds(70_000)).toBe(0);
  });
});

describe('createFailureLimiter', () => {
  it('allows `max` failures per window, then refuses until the window ends', () => {
    const l = createFailureLimiter(3, 60_000);
    expect([0, 1, 2, 3, 59_999].map((t) => l.fail(t))).toEqual([true, true, true, false, false]);
    expect(l.retryAfterSeconds(30_000)).toBe(30);
    expect(l.fail(60_000)).toBe(true); // a new window
  });
});
