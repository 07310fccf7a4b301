// Errors of the sync stage: a stable `code`, the original error as `cause`, no secret.
import type { Logger } from '../log.js';
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
