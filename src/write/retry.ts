// Sends one request again and again while classify() says "retry-after", waiting
// retryDelay() in between, and returns the final outcome. Time (sleep, clock, random) is
// injected so tests of outages run in milliseconds.
import type { Logger } from '../log.js';
import { classify, type Decision, type Exchange } from './classify.js';
import type { HttpClient } from './http.js';
import { retryDelay } from './retry-delay.js';

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  jitter: number;
  random(): number;
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Shutdown: stop retrying (the caller keeps the day pending; nothing is lost). */
  signal?: AbortSignal;
}

/** About 30 s of retrying (1+2+4+8+16 s) before a request counts as failed for this run. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 5,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  jitter: 0.2,
  random: Math.random,
  now: Date.now,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface Attempted {
  exchange: Exchange;
  decision: Decision;
  /** Attempts made (1 = no retry). */
  attempts: number;
}

/** Run `send` until it is not a retry-after decision or the retries are used up. */
export async function sendWithRetry(
  send: () => Promise<Exchange>,
  policy: RetryPolicy,
  logger: Logger,
  what: string,
): Promise<Attempted> {
  for (let attempt = 0; ; attempt++) {
    const exchange = await send();
    const decision = classify(exchange, policy.now());
    if (decision.kind !== 'retry-after' || attempt >= policy.maxRetries || policy.signal?.aborted) {
      return { exchange, decision, attempts: attempt + 1 };
    }
    const delayMs = retryDelay(
      attempt,
      decision.ms,
      { baseMs: policy.baseDelayMs, maxMs: policy.maxDelayMs, jitter: policy.jitter },
      policy.random,
    );
    logger.warn(
      { what, attempt: attempt + 1, delayMs, status: exchange.status, code: decision.code, serverMessage: decision.serverMessage },
      'InfluxDB request failed, retrying',
    );
    await abortableSleep(policy, delayMs);
  }
}

/** policy.sleep, cut short when policy.signal aborts (the loop then returns the last outcome). */
function abortableSleep(policy: RetryPolicy, ms: number): Promise<void> {
  const signal = policy.signal;
  if (!signal) return policy.sleep(ms);
  return new Promise((resolve) => {
    const done = (): void => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    void policy.sleep(ms).then(done);
  });
}

/**
 * The start-up probe both writers use: an empty write to `path`, retried at most twice so a
 * wrong URL fails in about 3 s instead of 30 (the daemon checks again on its next tick).
 */
export function probeWrite(http: HttpClient, path: string, policy: RetryPolicy, logger: Logger): Promise<Attempted> {
  return sendWithRetry(
    () => http.request(path, '', { contentType: 'text/plain; charset=utf-8', gzip: false }),
    { ...policy, maxRetries: Math.min(policy.maxRetries, 2) },
    logger,
    'check',
  );
}
