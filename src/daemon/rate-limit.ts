// A fixed-interval limiter for "Sync now": at most one accepted press per interval,
// whoever presses (the daemon serves one household; a per-client limit would let a
// script on the LAN hammer Huami, whose login is itself rate-limited).

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
