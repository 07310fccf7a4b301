// The writer's retry policy over the shared retry loop (src/retry): send one request again
// while classify() says "retry-after", waiting retryDelay() in between (jittered, capped),
// and return the final outcome. Time (sleep, clock, random) is injected so tests of outages
// run in milliseconds; the shutdown signal ends a wait at once.
import type { Logger } from '../log.js';
import { retryDelay, retrying } from '../retry/index.js';
import { classify, type Decision, type Exchange } from './classify.js';
import type { HttpClient } from './http.js';

export interface RetryPolicy {
  /** Retries after the first attempt (INFLUX_MAX_RETRIES). */
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

/** Run `send` until it is not a retry-after decision, the retries are used up or the signal aborts. */
export async function sendWithRetry(
  send: () => Promise<Exchange>,
  policy: RetryPolicy,
  logger: Logger,
  what: string,
): Promise<Attempted> {
  const backoff = { baseMs: policy.baseDelayMs, maxMs: policy.maxDelayMs, jitter: policy.jitter };
  const { result, attempts } = await retrying(
    async (attempt) => {
      const exchange = await send();
      const decision = classify(exchange, policy.now());
      const retryInMs = decision.kind === 'retry-after' ? retryDelay(attempt, decision.ms, backoff, policy.random) : undefined;
      return { result: { exchange, decision }, retryInMs };
    },
    {
      maxRetries: policy.maxRetries,
      signal: policy.signal,
      sleep: policy.sleep,
      onRetry: ({ attempt, delayMs, result: { exchange, decision } }) =>
        logger.warn(
          {
            what,
            attempt: attempt + 1,
            delayMs,
            status: exchange.status,
            ...(decision.kind === 'retry-after' ? { code: decision.code, serverMessage: decision.serverMessage } : {}),
          },
          'InfluxDB request failed, retrying',
        ),
    },
  );
  return { ...result, attempts };
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
