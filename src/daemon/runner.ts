// The scheduled job as a plain function: cron, the start-up sync and the
// "Sync now" button all call `trigger`; a call while a run is going is skipped, not queued.
// With `accountKeys`, runs are per account: a scheduled run of one account is skipped only
// while that account's previous run is going, and a whole run covers the accounts not busy.
import type { Logger } from '../log.js';
import { scrubSecrets } from '../log.js';
import type { AccountRunResult } from '../sync/types.js';
import type { DaemonMetrics } from './metrics.js';
import type { DaemonStatus } from './status.js';
import { allWithin } from './within.js';

export type TriggerReason = 'startup' | 'schedule' | 'manual';
export type TriggerOutcome = 'ran' | 'skipped' | 'aborted' | 'failed';

export interface RunnerOptions {
  /** One sync of `keys` (every account when undefined); must stop between days when `signal` aborts. */
  sync(signal: AbortSignal, keys?: readonly string[]): Promise<AccountRunResult[]>;
  /** State keys of every account: enables per-account runs (trigger with a key). */
  accountKeys?: () => readonly string[];
  status: DaemonStatus;
  metrics: DaemonMetrics;
  logger: Logger;
  now(): number;
  /** Values that must never reach the status page or a log line. */
  secrets: readonly string[];
}

export interface Runner {
  /**
   * Run a sync now unless one is going (then 'skipped'); resolves when it has ended. `key`:
   * only that account, skipped only while it is busy (needs `accountKeys`).
   */
  trigger(reason: TriggerReason, key?: string): Promise<TriggerOutcome>;
  isRunning(): boolean;
  /** Refuse new runs, abort the current one between days, wait up to timeoutMs; true if it ended. */
  stop(timeoutMs: number): Promise<boolean>;
}

const isAbort = (err: unknown): boolean => {
  const e = err as { name?: string; code?: string };
  return e?.name === 'AbortError' || e?.code === 'ABORT_ERR' || e?.code === 'SYNC_ABORTED';
};

/** Create the runner around a sync function. */
export function createRunner(o: RunnerOptions): Runner {
  /** Runs going, with the keys they cover (undefined = every account, keys unknown). */
  const runs = new Map<Promise<TriggerOutcome>, { keys: ReadonlySet<string> | undefined; controller: AbortController }>();
  const busy = new Set<string>();
  let closed = false;

  const setRunning = (): void => {
    const r = runs.size > 0;
    o.status.running = r;
    o.metrics.setRunning(r);
  };

  const runOnce = async (reason: TriggerReason, controller: AbortController, keys: readonly string[] | undefined): Promise<TriggerOutcome> => {
    const log = o.logger.child({ run: o.status.runCount + 1, reason, ...(keys && keys.length === 1 ? { account: keys[0] } : {}) });
    const signal = controller.signal;
    o.status.lastRunStartedAt = o.now();
    log.info('sync run started');
    try {
      const results = await o.sync(signal, keys);
      const clean = results.map((r) => (r.error ? { ...r, error: { code: r.error.code, message: scrubSecrets(r.error.message, o.secrets) } } : r));
      if (signal.aborted) {
        // Days finished before the abort are recorded by runSync's state; the run itself
        // is not counted as a failure.
        o.metrics.observeAborted();
        log.info({ accounts: clean.length }, 'sync run stopped by shutdown');
        return 'aborted';
      }
      o.status.recordResults(clean);
      // An account without a label yet (never logged in) is on the status page under its
      // masked e-mail, but no metric series is made for a name it will not keep.
      o.metrics.observeResults(clean.filter((r) => !r.unidentified));
      for (const r of clean) {
        if (r.ok) log.info({ account: r.account, daysWritten: r.daysWritten, points: r.points, daysBehind: r.daysBehind }, 'account synced');
        else log.warn({ account: r.account, code: r.error?.code, err: r.error?.message }, 'account sync failed');
      }
      return 'ran';
    } catch (err) {
      if (signal.aborted && isAbort(err)) {
        o.metrics.observeAborted();
        log.info('sync run stopped by shutdown');
        return 'aborted';
      }
      const e = err as { code?: string; message?: string };
      const code = e?.code ?? 'SYNC_FAILED';
      const message = scrubSecrets(e?.message ?? String(err), o.secrets);
      // A per-account run fails only its own accounts (a worker dying mid-run ends every run it served).
      const failed = o.status.recordRunFailure(code, message, o.now(), keys);
      o.metrics.observeRunFailure(failed.filter((a) => !a.unidentified).map((a) => a.account), code);
      log.error({ code, err: message }, 'sync run failed');
      return 'failed';
    } finally {
      o.status.runCount += 1;
      o.status.lastRunFinishedAt = o.now();
    }
  };

  return {
    trigger(reason, key) {
      const skip = (why: string): Promise<TriggerOutcome> => {
        o.logger.info({ reason, ...(key ? { account: key } : {}) }, why);
        return Promise.resolve('skipped');
      };
      if (closed) return skip('sync not started: shutting down');
      let keys: string[] | undefined;
      if (o.accountKeys) {
        if ([...runs.values()].some((r) => r.keys === undefined)) return skip('sync skipped: the previous run is still going');
        keys = (key !== undefined ? [key] : [...o.accountKeys()]).filter((k) => !busy.has(k));
        if (keys.length === 0) return skip(key !== undefined ? "sync skipped: this account's previous run is still going" : 'sync skipped: the previous run is still going');
      } else if (runs.size > 0) return skip('sync skipped: the previous run is still going');
      const controller = new AbortController();
      for (const k of keys ?? []) busy.add(k);
      const p: Promise<TriggerOutcome> = runOnce(reason, controller, keys).finally(() => {
        runs.delete(p);
        for (const k of keys ?? []) busy.delete(k);
        setRunning();
      });
      runs.set(p, { keys: keys ? new Set(keys) : undefined, controller });
      setRunning();
      return p;
    },
    isRunning: () => runs.size > 0,
    async stop(timeoutMs) {
      closed = true;
      const going = [...runs.entries()];
      if (going.length === 0) return true;
      for (const [, r] of going) r.controller.abort();
      return allWithin(going.map(([p]) => p), timeoutMs);
    },
  };
}
