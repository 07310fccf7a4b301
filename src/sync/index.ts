// runSync: brings InfluxDB up to date for every configured account (docs/architecture.md
// "Sync"). Checks the writer before any Huami request; runs at most SYNC_CONCURRENCY accounts
// at a time, each on its own, so one account's failure or slowness does not stop the others;
// ends each account with a sync_run point.
import pLimit from 'p-limit';
import type { AccountIdentity } from '../store/identity.js';
import { syncAccount } from './account.js';
import { describeError } from './errors.js';
import { selectIdentified } from './select.js';
import { syncRunPoint, type RunPointMeta } from './run-point.js';
import { emptyResult, type AccountRunResult, type SyncDeps, type SyncOptions } from './types.js';

export type { AccountRunResult, FailedDay, SyncDeps, SyncOptions } from './types.js';
export { emptyResult } from './types.js';
export { SyncError } from './errors.js';
export { runReprocess } from './reprocess.js';
export { selectAccounts } from './select.js';

/** A run that failed before the account's turn, between `startedAt` and `finishedAt`: its one row, under its label (or masked e-mail until it has one). */
function failedResult(id: AccountIdentity, startedAt: number, finishedAt: number, err: unknown): AccountRunResult {
  return { ...emptyResult(id.display, startedAt), finishedAt, key: id.key, ...(id.label ? {} : { unidentified: true }), ok: false, error: describeError(err) };
}

/** Sync every selected account; resolves with one result per account (aborted runs end early). */
export async function runSync(deps: SyncDeps, opts: SyncOptions = {}): Promise<AccountRunResult[]> {
  // Identity from configuration and state, before any request.
  const selected = await selectIdentified(deps.config, opts.account, deps.logger);
  const keys = opts.keys ? new Set(opts.keys) : undefined;
  const accounts = keys ? selected.filter((a) => keys.has(a.id.key)) : selected;
  const startedAt = deps.now().getTime();
  try {
    // Before any Huami request: a missing database or a token that cannot write is a
    // configuration problem, and logging in for nothing costs a rate-limited login.
    await deps.writer.check();
  } catch (err) {
    const e = describeError(err);
    deps.logger.error({ code: e.code, err: e.message }, 'InfluxDB is not writable; no account synced');
    const finishedAt = deps.now().getTime();
    return accounts.map((a) => failedResult(a.id, startedAt, finishedAt, err));
  }
  const limit: NonNullable<SyncDeps['limit']> = deps.limit ?? pLimit(concurrencyOf(deps));
  // Results in the configured order, whatever order the accounts finish in.
  const results = await Promise.all(
    accounts.map(({ account, id }) =>
      limit(async () => {
        if (deps.signal?.aborted) return undefined;
        const { result, meta } = await syncAccount(deps, account, opts, id);
        await writeRunPoint(deps, result, meta);
        return result;
      }),
    ),
  );
  return results.filter((r): r is AccountRunResult => r !== undefined);
}

/** SYNC_CONCURRENCY (1 when a hand-built configuration leaves it out). */
function concurrencyOf(deps: SyncDeps): number {
  const n = deps.config.raw.SYNC_CONCURRENCY;
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

const UNREACHABLE = new Set(['INFLUX_UNREACHABLE', 'INFLUX_UNAVAILABLE']);

/** Best effort: a failure to write sync_run is logged, never fatal. */
async function writeRunPoint(deps: SyncDeps, result: AccountRunResult, meta: RunPointMeta): Promise<void> {
  // No label yet (never logged in): a point under a placeholder would become a second series.
  if (result.unidentified) {
    deps.logger.warn({ account: result.account, code: result.error?.code }, 'sync_run not written: the account has no user id yet (it has never logged in)');
    return;
  }
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
