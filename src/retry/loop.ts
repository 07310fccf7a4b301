// The one retry loop: run an attempt, let the caller's classifier say whether (and after
// how long) to try again, wait, repeat — at most `maxRetries` times, and never past the
// shutdown signal: an abort ends a wait at once and the loop returns the last outcome
// (the caller keeps its day pending; nothing is lost).
import { setTimeout as timersSleep } from 'node:timers/promises';

/** One attempt's outcome: `retryInMs` set = transient, worth another attempt after that wait. */
export interface Step<R> {
  result: R;
  retryInMs?: number | undefined;
}

export interface RetryLoopOptions<R> {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Shutdown: no further wait or attempt once aborted. */
  signal?: AbortSignal | undefined;
  /** The wait (tests replace it); it is cut short by `signal` either way. */
  sleep?: ((ms: number) => Promise<void>) | undefined;
  /** Called before each wait (logging). */
  onRetry?: ((info: { attempt: number; delayMs: number; result: R }) => void) | undefined;
}

export interface Retried<R> {
  result: R;
  /** Attempts made (1 = no retry). */
  attempts: number;
  /** The signal ended the retries (the result is the last, still retryable, outcome). */
  aborted: boolean;
}

/** Run `attempt(n)` (n = retries so far) until its step says stop, retries are used up or `signal` aborts. */
export async function retrying<R>(attempt: (n: number) => Promise<Step<R>>, opts: RetryLoopOptions<R>): Promise<Retried<R>> {
  for (let n = 0; ; n++) {
    const step = await attempt(n);
    const aborted = opts.signal?.aborted ?? false;
    if (step.retryInMs === undefined || n >= opts.maxRetries || aborted) return { result: step.result, attempts: n + 1, aborted };
    opts.onRetry?.({ attempt: n, delayMs: step.retryInMs, result: step.result });
    await wait(step.retryInMs, opts.signal, opts.sleep);
    if (opts.signal?.aborted) return { result: step.result, attempts: n + 1, aborted: true };
  }
}

/** Sleep `ms`, resolving early (never rejecting) when `signal` aborts. */
export function wait(ms: number, signal?: AbortSignal, sleep?: (ms: number) => Promise<void>): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  if (!sleep) return timersSleep(ms, undefined, signal ? { signal } : {}).catch(() => undefined);
  if (!signal) return sleep(ms);
  return new Promise((resolve) => {
    const done = (): void => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    void sleep(ms).then(done, done);
  });
}
