// The scheduled job as a plain function: cron, the start-up sync and the
// "Sync now" button all call `trigger`; a call while a run is going is skipped, not queued.
import type { Logger } from '../log.js';
import { scrubSecrets } from '../log.js';
import type { AccountRunResult } from '../sync/types.js';
import type { DaemonMetrics } from './metrics.js';
import type { DaemonStatus } from './status.js';

export type TriggerReason = 'startup' | 'schedule' | 'manual';
export type TriggerOutcome = 'ran' | 'skipped' | 'aborted' | 'failed';

export interface RunnerOptions {
  /** One whole sync of every account; must stop between days when `signal` aborts. */
  sync(signal: AbortSignal): Promise<AccountRunResult[]>;
  status: DaemonStatus;
  metrics: DaemonMetrics;
  logger: Logger;
  now(): number;
  /** Values that must never reach the status page or a log line. */
  secrets: readonly string[];
}

export interface Runner {
  /** Run a sync now unless one is going (then 'skipped'); resolves when it has ended. */
  trigger(reason: TriggerReason): Promise<TriggerOutcome>;
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
  let current: Promise<TriggerOutcome> | undefined;
  let controller: AbortController | undefined;
  let closed = false;

  const runOnce = async (reason: TriggerReason): Promise<TriggerOutcome> => {
    const log = o.logger.child({ run: o.status.runCount + 1, reason });
    controller = new AbortController();
    const signal = controller.signal;
    o.status.running = true;
    o.status.lastRunStartedAt = o.now();
    o.metrics.setRunning(true);
    log.info('sync run started');
    try {
      const results = await o.sync(signal);
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
      o.status.recordRunFailure(code, message, o.now());
      o.metrics.observeRunFailure(o.status.snapshot().accounts.filter((a) => !a.unidentified).map((a) => a.account), code);
      log.error({ code, err: message }, 'sync run failed');
      return 'failed';
    } finally {
      o.status.running = false;
      o.status.runCount += 1;
      o.status.lastRunFinishedAt = o.now();
      o.metrics.setRunning(false);
      controller = undefined;
    }
  };

  return {
    trigger(reason) {
      if (closed || current) {
        o.logger.info({ reason }, closed ? 'sync not started: shutting down' : 'sync skipped: the previous run is still going');
        return Promise.resolve('skipped');
      }
      const p = runOnce(reason).finally(() => {
        current = undefined;
      });
      current = p;
      return p;
    },
    isRunning: () => current !== undefined,
    async stop(timeoutMs) {
      closed = true;
      const p = current;
      if (!p) return true;
      controller?.abort();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      const ended = await Promise.race([p.then(() => true as const), timeout]);
      clearTimeout(timer);
      return ended;
    },
  };
}
