// How long to wait before the next attempt of an InfluxDB request. Pure: the random
// source and the clock are parameters, so the table test can pin every case.

export interface RetryDelayOptions {
  /** Delay before the first retry; doubles with every further attempt. */
  baseMs: number;
  /** No wait is ever longer than this, not even one a Retry-After asked for. */
  maxMs: number;
  /** Fraction of the exponential delay added at random (0 = none), so writers do not retry in lockstep. */
  jitter: number;
}

/**
 * Delay before retry number `attempt` (0 = the first retry). A server's Retry-After
 * (`retryAfterMs`) wins over the exponential schedule because the server knows when it
 * will have capacity again; either is capped at `maxMs` so one run stays bounded in time
 * (what is still failing then is retried on the next run, nothing is lost).
 */
export function retryDelay(
  attempt: number,
  retryAfterMs: number | undefined,
  opts: RetryDelayOptions,
  random: () => number,
): number {
  if (retryAfterMs !== undefined && retryAfterMs >= 0) return Math.min(retryAfterMs, opts.maxMs);
  const exp = opts.baseMs * 2 ** Math.max(0, attempt);
  const jittered = exp * (1 + opts.jitter * random());
  return Math.round(Math.min(jittered, opts.maxMs));
}

/**
 * Parse a Retry-After header (RFC 9110, section 10.2.3): delay-seconds or an HTTP-date.
 * Returns milliseconds from `nowMs`, or undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  if (Number.isNaN(at) || !/[a-z]/i.test(v)) return undefined;
  return Math.max(0, at - nowMs);
}
