// How long to wait before the next attempt, and what a Retry-After header asks for. Pure:
// the random source and the clock are parameters, so the table test
// (test/unit/retry.test.ts) pins every case. Used by the Huami client and the writer alike.

export interface BackoffOptions {
  /** Delay before the first retry; doubles with every further attempt. */
  baseMs: number;
  /** No exponential wait is longer than this. */
  maxMs: number;
  /** Fraction of the exponential delay added at random (0 = none), so clients do not retry in lockstep. */
  jitter: number;
  /**
   * Longest Retry-After honoured as asked; a longer one is cut to this. Default `maxMs`. The
   * Huami client sets it higher: it gives up on a longer Retry-After before it ever waits.
   */
  maxRetryAfterMs?: number;
}

/**
 * Delay before retry number `attempt + 1` (attempt 0 = the first retry). A server's
 * Retry-After (`retryAfterMs`) wins over the exponential schedule because the server knows
 * when it will have capacity again, and gets no jitter; either is capped, so one run stays
 * bounded in time (what still fails then is retried on the next run; nothing is lost).
 */
export function retryDelay(attempt: number, retryAfterMs: number | undefined, opts: BackoffOptions, random: () => number = Math.random): number {
  if (retryAfterMs !== undefined && retryAfterMs >= 0) return Math.min(retryAfterMs, opts.maxRetryAfterMs ?? opts.maxMs);
  const exp = opts.baseMs * 2 ** Math.max(0, attempt);
  const jittered = opts.jitter > 0 ? exp * (1 + opts.jitter * random()) : exp;
  return Math.round(Math.min(jittered, opts.maxMs));
}

/**
 * A Retry-After header (RFC 9110 section 10.2.3): delay-seconds or an HTTP-date, in ms from
 * `nowMs` (a date in the past = 0). Undefined when absent or unreadable; a date must hold a
 * letter (a month or weekday name), so a bare `-3` is not read as the year -3.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  if (Number.isNaN(at) || !/[a-z]/i.test(v)) return undefined;
  return Math.max(0, at - nowMs);
}

/** First value of a header that may repeat. */
export function headerValue(v: unknown): string | undefined {
  if (Array.isArray(v)) return typeof v[0] === 'string' ? v[0] : undefined;
  return typeof v === 'string' ? v : undefined;
}
