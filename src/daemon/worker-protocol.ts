// What the daemon and its sync worker say to each other (docs/architecture.md "Daemon"), and
// the one interface both ways of running a sync implement: in the daemon process itself
// (SYNC_WORKER=inline, src/daemon/engine.ts) or in a short-lived child process
// (SYNC_WORKER=process, src/daemon/worker-host.ts ↔ src/daemon/worker.ts). Types and pure
// functions only: the daemon loads this without any of the sync code.
import type { AppConfig } from '../config/load.js';
import type { AccountRunResult } from '../sync/types.js';
import type { CredentialsCheck, TokenNote } from './credentials.js';
import type { RunProgress } from './status.js';

/** A finished sync: runSync's results and the token times the clients hold afterwards. */
export interface SyncOutcome {
  results: AccountRunResult[];
  tokens: TokenNote[];
}

/** Where syncs and credentials checks run. */
export interface SyncBackend {
  /** One runSync of `keys` (every account when undefined); stops between days when `signal` aborts. */
  sync(signal: AbortSignal, keys: readonly string[] | undefined, onProgress: (e: RunProgress) => void): Promise<SyncOutcome>;
  /** The credentials check of every account. */
  checkCredentials(): Promise<CredentialsCheck[]>;
  /** The daemon is stopping: a write or a Huami request retrying through an outage gives up at once. */
  abort(): void;
  /** Flush and let go of everything (the writer; the worker process). */
  close(): Promise<void>;
  /** The worker process's pid while one is alive (process mode only). */
  workerPid?(): number | undefined;
}

/** An error as it crosses the process boundary: what the runner reads of it. */
export interface WireError {
  name: string;
  code: string | undefined;
  message: string;
}

/** Daemon → worker. `init` comes first, once. */
export type ToWorker =
  | { type: 'init'; config: AppConfig; logLevel: string }
  | { type: 'sync'; id: number; keys?: string[] }
  | { type: 'abort'; id: number }
  | { type: 'check'; id: number }
  | { type: 'shutdown' };

/** Worker → daemon. */
export type FromWorker =
  | { type: 'progress'; id: number; progress: RunProgress }
  | { type: 'huami'; status: number | 'error' }
  | { type: 'synced'; id: number; outcome: SyncOutcome }
  | { type: 'checked'; id: number; checks: CredentialsCheck[] }
  | { type: 'failed'; id: number; error: WireError };

/** The error code of a run whose worker process ended before it answered. */
export const WORKER_EXITED = 'SYNC_WORKER_EXITED';

/** A thrown value as it crosses the process boundary. */
export function toWire(err: unknown): WireError {
  const e = err as { name?: unknown; code?: unknown; message?: unknown } | undefined;
  return {
    name: typeof e?.name === 'string' ? e.name : 'Error',
    code: typeof e?.code === 'string' ? e.code : undefined,
    message: typeof e?.message === 'string' ? e.message : String(err),
  };
}

/** The error on the daemon's side: same name, code and message as the worker's. */
export function fromWire(w: WireError): Error & { code?: string } {
  const err: Error & { code?: string } = new Error(w.message);
  err.name = w.name;
  if (w.code !== undefined) err.code = w.code;
  return err;
}

/** Why a worker process ended, in words for the status page and the log. */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal === 'SIGKILL') return 'the sync worker exited with signal SIGKILL (out of memory, or killed by hand?); the days not done are fetched on the next run';
  if (signal) return `the sync worker exited with signal ${signal}; the days not done are fetched on the next run`;
  return `the sync worker exited with code ${code ?? 'unknown'} before the run ended (its log lines above say why); the days not done are fetched on the next run`;
}

/** The error every piece of work still pending on a worker gets when that worker ends. */
export function workerExitedError(code: number | null, signal: NodeJS.Signals | null): Error & { code: string } {
  return Object.assign(new Error(describeExit(code, signal)), { code: WORKER_EXITED });
}

/** Whether a message from a worker is one of ours (anything else is ignored, never trusted). */
export function isFromWorker(m: unknown): m is FromWorker {
  if (typeof m !== 'object' || m === null) return false;
  const t = (m as { type?: unknown }).type;
  const hasId = typeof (m as { id?: unknown }).id === 'number';
  switch (t) {
    case 'huami':
      return true;
    case 'progress':
    case 'synced':
    case 'checked':
    case 'failed':
      return hasId;
    default:
      return false;
  }
}
