// Errors of the sync stage: a stable `code`, the original error as `cause`, no secret.
import type { DecodeWarning } from '../decode/index.js';
import type { Logger } from '../log.js';

/**
 * Decoder warnings that only say the service sent its documented "no value" marker (readiness
 * scores and baselines while they are still being built: 255, 32767, −1): expected, so logged at
 * debug and not counted; `decode` still prints them.
 */
const EXPECTED = new Set(['SENTINEL']);

/**
 * Log a day's decoder warnings (a warning names the day and the problem; users need to see it)
 * and count them in `r.warnings`; without a logger, only count them.
 */
export function reportWarnings(log: Logger | undefined, warnings: readonly DecodeWarning[], r: { warnings: number }): void {
  for (const w of warnings) {
    if (EXPECTED.has(w.code)) {
      log?.debug({ day: w.day, code: w.code }, w.message);
      continue;
    }
    r.warnings++;
    log?.warn({ day: w.day, code: w.code }, w.message);
  }
}
export class SyncError extends Error {
  override readonly name = 'SyncError';
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A stable `{code, message}` for any thrown value; keeps the server's words when the error carries them. */
export function describeError(err: unknown): { code: string; message: string } {
  const e = err as { code?: unknown; message?: unknown; serverMessage?: unknown } | undefined;
  const code = typeof e?.code === 'string' && e.code ? e.code : 'SYNC_FAILED';
  let message = typeof e?.message === 'string' ? e.message : String(err);
  const server = typeof e?.serverMessage === 'string' ? e.serverMessage : '';
  if (server && !message.includes(server)) message = `${message}: ${server}`;
  return { code, message };
}

/** An account's job failed: its result says why, and the failure is logged once, here, as `what`. */
export function recordFailure(r: { ok: boolean; error?: { code: string; message: string } }, err: unknown, log: Logger, what: string): void {
  r.ok = false;
  r.error = describeError(err);
  log.error({ code: r.error.code, err: r.error.message }, what);
}

/** An account's job ended: whether a shutdown cut it short, and when. */
export function endRun(r: { aborted?: boolean; finishedAt: number }, deps: { signal?: AbortSignal | undefined; now(): Date }): void {
  if (deps.signal?.aborted) r.aborted = true;
  r.finishedAt = deps.now().getTime();
}
