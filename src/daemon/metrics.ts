// The daemon's Prometheus metrics (prom-client), on a registry of its own so tests and
// several daemons in one process never share counters.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { AccountRunResult } from '../sync/types.js';
import { toMs } from './status.js';

export interface DaemonMetrics {
  registry: Registry;
  /** One finished runSync call. */
  observeResults(results: readonly AccountRunResult[]): void;
  /** A run that failed as a whole (runSync threw) for these accounts. */
  observeRunFailure(accounts: readonly string[], code: string): void;
  /** A run stopped by shutdown. */
  observeAborted(): void;
  observeHuamiRequest(status: number | 'error'): void;
  setTokenExpiry(account: string, expiresAt: number | undefined): void;
  setRunning(running: boolean): void;
}

/** Create the registry and every metric the daemon exports on /metrics. */
export function createMetrics(opts: { demo: boolean; defaultMetrics?: boolean }): DaemonMetrics {
  const registry = new Registry();
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'mifit_sync_' });
  const reg = [registry];
  const runs = new Counter({ name: 'mifit_sync_runs_total', help: 'Sync runs per account by result (success, failure, aborted)', labelNames: ['account', 'result'], registers: reg });
  const failures = new Counter({ name: 'mifit_sync_failures_total', help: 'Failed sync runs per account by stable error code', labelNames: ['account', 'code'], registers: reg });
  const lastSuccess = new Gauge({ name: 'mifit_sync_last_success_timestamp_seconds', help: 'End of the last successful sync run, epoch seconds', labelNames: ['account'], registers: reg });
  const tokenExpiry = new Gauge({ name: 'mifit_sync_token_expiry_timestamp_seconds', help: 'When the account\'s app token expires (best estimate), epoch seconds', labelNames: ['account'], registers: reg });
  const requests = new Counter({ name: 'mifit_sync_huami_requests_total', help: 'HTTP requests to the Huami cloud by response status (error = no response)', labelNames: ['status'], registers: reg });
  const points = new Counter({ name: 'mifit_sync_points_written_total', help: 'Points written to InfluxDB per account', labelNames: ['account'], registers: reg });
  const daysBehind = new Gauge({ name: 'mifit_sync_days_behind', help: 'Days between today and the newest written day', labelNames: ['account'], registers: reg });
  const daysFailed = new Gauge({ name: 'mifit_sync_days_failed', help: 'Days that could not be validated, decoded or written and are waiting for a retry', labelNames: ['account'], registers: reg });
  const running = new Gauge({ name: 'mifit_sync_running', help: '1 while a sync run is in progress', registers: reg });
  const demo = new Gauge({ name: 'mifit_sync_demo_mode', help: '1 when the built-in demo account is synced', registers: reg });
  demo.set(opts.demo ? 1 : 0);
  running.set(0);

  return {
    registry,
    observeResults(results) {
      for (const r of results) {
        runs.inc({ account: r.account, result: r.ok ? 'success' : 'failure' });
        if (r.ok) lastSuccess.set({ account: r.account }, Math.round((toMs(r.finishedAt) ?? Date.now()) / 1000));
        else failures.inc({ account: r.account, code: r.error?.code ?? 'SYNC_FAILED' });
        points.inc({ account: r.account }, r.points);
        daysBehind.set({ account: r.account }, r.daysBehind);
        daysFailed.set({ account: r.account }, r.daysFailed);
        const exp = toMs(r.tokenExpiresAt);
        if (exp !== undefined) tokenExpiry.set({ account: r.account }, Math.round(exp / 1000));
      }
    },
    observeRunFailure(accounts, code) {
      for (const account of accounts) {
        runs.inc({ account, result: 'failure' });
        failures.inc({ account, code });
      }
    },
    observeAborted() {
      runs.inc({ account: '', result: 'aborted' });
    },
    observeHuamiRequest(status) {
      requests.inc({ status: String(status) });
    },
    setTokenExpiry(account, expiresAt) {
      const exp = toMs(expiresAt);
      if (exp !== undefined) tokenExpiry.set({ account }, Math.round(exp / 1000));
    },
    setRunning(r) {
      running.set(r ? 1 : 0);
    },
  };
}
