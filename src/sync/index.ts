// runSync: brings InfluxDB up to date for every configured account (docs/architecture.md
// "Sync"). Checks the writer before any Huami request; runs accounts one after another so
// one account's failure does not stop the others; ends each account with a sync_run point.
import type { AccountConfig } from '../config/accounts.js';
import { accountLabel } from '../huami/token-store.js';
import { syncAccount } from './account.js';
import { describeError } from './errors.js';
import { selectAccounts } from './select.js';
import { syncRunPoint, type RunPointMeta } from './run-point.js';
import { emptyResult, type AccountRunResult, type SyncDeps, type SyncOptions } from './types.js';

export type { AccountRunResult, FailedDay, SyncDeps, SyncOptions } from './types.js';
export { emptyResult } from './types.js';
export { SyncError } from './errors.js';
export { runReprocess } from './reprocess.js';
export { selectAccounts } from './select.js';

/** The result of an account that never started because the whole run failed between `startedAt` and `finishedAt`. */
function failedResult(account: AccountConfig, startedAt: number, finishedAt: number, err: unknown): AccountRunResult {
  return { ...emptyResult(accountLabel(account), startedAt), finishedAt, ok: false, error: describeError(err) };
}

/** Sync every selected account; resolves with one result per account (aborted runs end early). */
export async function runSync(deps: SyncDeps, opts: SyncOptions = {}): Promise<AccountRunResult[]> {
  const accounts = selectAccounts(deps.config.accounts, opts.account);
  const startedAt = deps.now().getTime();
  try {
    // Before any Huami request: a missing database or a token that cannot write is a
    // configuration problem, and logging in for nothing costs a rate-limited login.
    await deps.writer.check();
  } catch (err) {
    const e = describeError(err);
    deps.logger.error({ code: e.code, err: e.message }, 'InfluxDB is not writable; no account synced');
    const finishedAt = deps.now().getTime();
    return accounts.map((a) => failedResult(a, startedAt, finishedAt, err));
  }
  const results: AccountRunResult[] = [];
  for (const account of accounts) {
    if (deps.signal?.aborted) break;
    const { result, meta } = await syncAccount(deps, account, opts);
    await writeRunPoint(deps, result, meta);
    results.push(result);
  }
  return results;
}

const UNREACHABLE = new Set(['INFLUX_UNREACHABLE', 'INFLUX_UNAVAILABLE']);

/** Best effort: a failure to write sync_run is logged, never fatal. */
async function writeRunPoint(deps: SyncDeps, result: AccountRunResult, meta: RunPointMeta): Promise<void> {
  // InfluxDB just failed to answer through all the writer's retries: another write would
  // only wait as long again before failing the same way.
  if (result.error && UNREACHABLE.has(result.error.code)) {
    deps.logger.warn({ account: result.account, code: result.error.code }, 'sync_run not written: InfluxDB is not answering');
    return;
  }
  try {
    await deps.writer.write([syncRunPoint(result, meta)]);
  } catch (err) {
    const e = describeError(err);
    deps.logger.warn({ account: result.account, code: e.code, err: e.message }, 'could not write the sync_run point');
  }
}
