// The Sync contract (docs/architecture.md "Sync"): options, dependencies and the
// per-account result that the CLI summary, sync_run and the daemon read.
import type { AppConfig } from '../config/load.js';
import type { AccountConfig } from '../config/accounts.js';
import type { HuamiClient } from '../huami/client.js';
import type { Logger } from '../log.js';
import type { Writer } from '../write/index.js';

export interface SyncOptions {
  from?: string;
  to?: string;
  /** Only this account (config name). */
  account?: string;
  /** Rewrite days whose payload did not change. */
  force?: boolean;
}

/** One account's run. Times are epoch milliseconds. */
export interface AccountRunResult {
  account: string;
  ok: boolean;
  error?: { code: string; message: string };
  daysFetched: number;
  daysWritten: number;
  points: number;
  warnings: number;
  requests: number;
  lastWrittenDay?: string;
  daysBehind: number;
  tokenExpiresAt?: number;
  lastDataAt?: number;
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
}
