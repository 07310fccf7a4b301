// Errors of the sync stage: a stable `code`, the original error as `cause`, no secret.
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
