// The HTTP surface's two limiters. "Sync now": at most one accepted press per interval,
// whoever presses (the daemon serves one household; a per-client limit would let a
// script on the LAN hammer Huami, whose login is itself rate-limited). Failed
// authentication: a limit of its own, so it never uses up the owner's press.

export interface RateLimiter {
  /** True (and the slot is taken) when allowed; false while the interval runs. */
  take(now: number): boolean;
  /** Seconds until the next press is allowed (for Retry-After). */
  retryAfterSeconds(now: number): number;
}

/** One accepted call per `intervalMs`. */
export function createRateLimiter(intervalMs: number): RateLimiter {
  let last = Number.NEGATIVE_INFINITY;
  return {
    take(now) {
      if (now - last < intervalMs) return false;
      last = now;
      return true;
    },
    retryAfterSeconds(now) {
      return Math.max(0, Math.ceil((last + intervalMs - now) / 1000));
    },
  };
}

/** Counts failed authentications in fixed windows, apart from the "Sync now" limiter. */
export interface FailureLimiter {
  /** Count one failure; false once more than `max` failures fell into the current window. */
  fail(now: number): boolean;
  /** Seconds until the current window ends (for Retry-After). */
  retryAfterSeconds(now: number): number;
}

/**
 * At most `max` failed authentications per `windowMs`; beyond that they are answered 429
 * (and not logged one by one). A request with the right token is never counted or held
 * back, so failures (a stranger's, or a script with an old token) never lock the owner out
 * and never take the "Sync now" slot.
 */
export function createFailureLimiter(max: number, windowMs: number): FailureLimiter {
  let windowStart = Number.NEGATIVE_INFINITY;
  let count = 0;
  return {
    fail(now) {
      if (now - windowStart >= windowMs) {
        windowStart = now;
        count = 0;
      }
      count += 1;
      return count <= max;
    },
    retryAfterSeconds(now) {
      return Math.max(0, Math.ceil((windowStart + windowMs - now) / 1000));
    },
  };
}
