// What an HTTP outcome means for the Huami client, decided in one pure place,
// table-tested in test/unit/huami-outcome.test.ts. Back-off, Retry-After and the list of
// transient network errors are shared with the writer (src/retry).
import { isTransientNetworkError, parseRetryAfter, retryDelay, type BackoffOptions } from '../retry/index.js';

/** What came back: a status (with its Retry-After header) or a network error code. */
export type HttpOutcome = { status: number; retryAfter?: string | undefined } | { error: string };

/** `data` = band_data and other apptoken calls; `login` = registrations, client/login, app_tokens. */
export type RequestKind = 'data' | 'login';

export type Decision =
  | { action: 'ok' }
  | { action: 're-auth' }
  | { action: 'retry'; delayMs: number }
  | { action: 'fail'; retryable: boolean };

export interface DecideContext {
  kind: RequestKind;
  /** Retries already made for this request (0 on the first answer). */
  attempt: number;
  maxRetries: number;
  nowMs: number;
  baseDelayMs?: number;
}

/** Longer Retry-After than this: give up now (retryable) rather than block a run. */
export const MAX_RETRY_AFTER_MS = 5 * 60_000;

/** The Huami schedule: base (default 1 s) doubling to at most 30 s, no jitter; a Retry-After up to 5 min as asked. */
export function huamiBackoff(baseDelayMs = 1000): BackoffOptions {
  return { baseMs: baseDelayMs, maxMs: 30_000, jitter: 0, maxRetryAfterMs: MAX_RETRY_AFTER_MS };
}

/** The meaning of one HTTP outcome; the caller acts on it and never inspects statuses itself. */
export function decideOutcome(outcome: HttpOutcome, ctx: DecideContext): Decision {
  const canRetry = ctx.attempt < ctx.maxRetries;
  const backoff = (retryAfterMs?: number): Decision => {
    if (!canRetry) return { action: 'fail', retryable: true };
    if (retryAfterMs !== undefined && retryAfterMs > MAX_RETRY_AFTER_MS) return { action: 'fail', retryable: true };
    return { action: 'retry', delayMs: retryDelay(ctx.attempt, retryAfterMs, huamiBackoff(ctx.baseDelayMs)) };
  };
  // Resets, refused connections, timeouts and bodies cut off half way are transient on a flaky link.
  if ('error' in outcome) return isTransientNetworkError(outcome.error) ? backoff() : { action: 'fail', retryable: false };
  const { status } = outcome;
  // 2xx, and the 303 of a registration (success *and* wrong password both arrive as 303, docs/huami-api.md "Login flows").
  if (status < 400) return { action: 'ok' };
  // An expired app_token shows as 401 on data endpoints → refresh and retry once.
  if (status === 401) return ctx.kind === 'data' ? { action: 're-auth' } : { action: 'fail', retryable: false };
  if (status === 429) {
    // A login 429 is an IP limit lasting hours: retrying in seconds makes it worse.
    if (ctx.kind === 'login') return { action: 'fail', retryable: false };
    return backoff(parseRetryAfter(outcome.retryAfter, ctx.nowMs));
  }
  // 408 and 5xx are the server's trouble; 503 may carry a Retry-After.
  if (status === 408 || status >= 500) return backoff(parseRetryAfter(outcome.retryAfter, ctx.nowMs));
  // Other 4xx (400 bad params, 403 wrong region, 404): retrying sends the same wrong request.
  return { action: 'fail', retryable: false };
}
