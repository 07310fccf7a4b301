// The Sync contract (docs/architecture.md "Sync"): options, dependencies and the
// per-account result that the CLI summary, sync_run and the daemon read.
import type { AppConfig } from '../config/load.js';
import type { AccountConfig } from '../config/accounts.js';
import type { HuamiClient } from '../fetch/client.js';
import type { Logger } from '../log.js';
import type { Writer } from '../write/index.js';
import type { EventsRunResult } from './events.js';
import type { WorkoutRunResult } from './workouts.js';

export interface SyncOptions {
  from?: string;
  to?: string;
  /** Only this account: its name, its e-mail or its Huami user id. */
  account?: string;
  /** Rewrite days whose payload did not change. */
  force?: boolean;
  /** Only the accounts with these state keys (the daemon's per-account scheduled runs). */
  keys?: readonly string[];
}

/** A day that could not be validated, decoded or written (docs/architecture.md "Sync"). */
export interface FailedDay {
  date: string;
  /** Stable reason code, e.g. HUAMI_SCHEMA_MISMATCH, HUAMI_RESPONSE_TOO_LARGE, DECODE_FAILED. */
  code: string;
  message: string;
  /** How many runs have tried this day so far. */
  attempts: number;
  /** Epoch ms after which an ordinary run tries it again. */
  retryAfter: number;
}

/** One account's run. Times are epoch milliseconds. */
export interface AccountRunResult {
  /** The label (`user` tag); while `unidentified`, the masked e-mail, for display only. */
  account: string;
  /** The account's state folder under STATE_DIR: the same for every run (the daemon's row key). */
  key?: string;
  /**
   * True while the account has no label yet (an unnamed e-mail account before its first
   * successful login): no metric and no sync_run point is made from such a result.
   */
  unidentified?: boolean;
  ok: boolean;
  /** The run stopped on the stop signal (Ctrl-C, SIGTERM) before it had done every planned day. */
  aborted?: boolean;
  error?: { code: string; message: string };
  daysFetched: number;
  /** Days whose points reached InfluxDB in this run (new or changed). */
  daysWritten: number;
  /** Fetched days whose payload equals what was already written. */
  daysUnchanged: number;
  /** Fetched days with no band data (not worn, or not uploaded yet). */
  daysNoData: number;
  /** Days that are in the `failed` state after this run (this run's and older ones still failing). */
  daysFailed: number;
  failedDays: FailedDay[];
  points: number;
  warnings: number;
  requests: number;
  /**
   * "Synced up to": the newest day the band has uploaded data for, once every day up to it
   * is written, no-data or failed (failed days are listed apart). Undefined before any data.
   */
  lastWrittenDay?: string;
  /** Days from lastWrittenDay to today in the account's zone (how old the band's newest upload is). */
  daysBehind: number;
  /** Days kept in the raw archive (for `reprocess`). */
  archivedDays?: number;
  /** `reprocess` only: days with written points or a failure that could not be replayed, and why. */
  notReplayed?: { date: string; reason: string }[];
  /** Workouts and weigh-ins of this run (src/sync/workouts.ts); absent when not reached. */
  workouts?: WorkoutRunResult;
  tokenExpiresAt?: number;
  lastDataAt?: number;
  /** The health-event streams of this run (src/sync/events.ts); their failed days are also in daysFailed/failedDays. */
  events?: EventsRunResult;
  startedAt: number;
  finishedAt: number;
}

export interface SyncDeps {
  config: AppConfig;
  logger: Logger;
  writer: Writer;
  clientFor(account: AccountConfig): HuamiClient;
  now(): Date;
  /** Abort between days (SIGTERM). */
  signal?: AbortSignal;
  onProgress?(e: { account: string; day: string; done: number; total: number }): void;
  /**
   * Slots shared by every run of this process (the daemon's overlapping per-account runs);
   * default: a limiter of SYNC_CONCURRENCY for this run alone.
   */
  limit?: <T>(fn: () => Promise<T>) => Promise<T>;
}

/** A result with nothing done yet (every counter zero). */
export function emptyResult(account: string, at: number): AccountRunResult {
  return { account, ok: true, daysFetched: 0, daysWritten: 0, daysUnchanged: 0, daysNoData: 0, daysFailed: 0, failedDays: [], points: 0, warnings: 0, requests: 0, daysBehind: 0, startedAt: at, finishedAt: at };
}
