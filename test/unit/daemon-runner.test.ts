import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/log.js';
import { createMetrics } from '../../src/daemon/metrics.js';
import { createRunner } from '../../src/daemon/runner.js';
import type { AccountRunResult } from '../../src/sync/types.js';
import { T0, result, statusWith } from '../support/daemon-fixtures.js';

function setup(sync: (signal: AbortSignal) => Promise<AccountRunResult[]>, secrets: string[] = []) {
  const status = statusWith(['alice']);
  const metrics = createMetrics({ demo: false, defaultMetrics: false });
  const runner = createRunner({ sync, status, metrics, logger: createLogger('silent'), now: () => T0, secrets });
  const metric = async (name: string): Promise<string[]> => (await metrics.registry.metrics()).split('\n').filter((l) => l.startsWith(name));
  return { status, metrics, runner, metric };
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('runner', () => {
  it('skips a tick while a run is going instead of starting a second one', async () => {
    const gate = deferred<AccountRunResult[]>();
    let calls = 0;
    const { runner } = setup(() => {
      calls++;
      return gate.promise;
    });
    const first = runner.trigger('startup');
    expect(runner.isRunning()).toBe(true);
    expect(await runner.trigger('schedule')).toBe('skipped');
    gate.resolve([result('alice', T0)]);
    expect(await first).toBe('ran');
    expect(calls).toBe(1);
    expect(runner.isRunning()).toBe(false);
    expect(await runner.trigger('manual')).toBe('ran');
    expect(calls).toBe(2);
  });

  it('records results in the status and in the Prometheus counters', async () => {
    const { runner, status, metric } = setup(async () => [result('alice', T0, { points: 500, daysBehind: 3 })]);
    await runner.trigger('startup');
    await runner.trigger('manual');
    const s = status.snapshot();
    expect(s.runCount).toBe(2);
    expect(s.accounts[0]).toMatchObject({ account: 'alice', runs: 2, failures: 0, daysBehind: 3, lastSuccessAt: T0 });
    expect(await metric('mifit_sync_runs_total')).toEqual(['mifit_sync_runs_total{account="alice",result="success"} 2']);
    expect(await metric('mifit_sync_points_written_total')).toEqual(['mifit_sync_points_written_total{account="alice"} 1000']);
    expect(await metric('mifit_sync_days_behind')).toEqual(['mifit_sync_days_behind{account="alice"} 3']);
    expect(await metric('mifit_sync_last_success_timestamp_seconds')).toEqual([`mifit_sync_last_success_timestamp_seconds{account="alice"} ${T0 / 1000}`]);
  });

  it('counts a failed account by its error code', async () => {
    const { runner, metric, status } = setup(async () => [result('alice', T0, { error: { code: 'INFLUX_UNREACHABLE', message: 'down' } })]);
    await runner.trigger('startup');
    expect(await metric('mifit_sync_failures_total')).toEqual(['mifit_sync_failures_total{account="alice",code="INFLUX_UNREACHABLE"} 1']);
    expect(status.snapshot().accounts[0]?.lastError?.code).toBe('INFLUX_UNREACHABLE');
  });

  it('turns a thrown error into a failure of every account, with secrets scrubbed from the message', async () => {
    const secret = 's3cr3t-influx-token';
    const { runner, status, metric } = setup(async () => {
      throw Object.assign(new Error(`unauthorized with token ${secret} at http://u:pw@influx/write?token=abc`), { code: 'INFLUX_UNAUTHORIZED' });
    }, [secret]);
    expect(await runner.trigger('startup')).toBe('failed');
    const err = status.snapshot().accounts[0]?.lastError;
    expect(err?.code).toBe('INFLUX_UNAUTHORIZED');
    expect(err?.message).not.toContain(secret);
    expect(err?.message).not.toContain('pw@');
    expect(err?.message).not.toContain('token=abc');
    expect(await metric('mifit_sync_failures_total')).toEqual(['mifit_sync_failures_total{account="alice",code="INFLUX_UNAUTHORIZED"} 1']);
  });

  it('on stop aborts the running sync through its signal, waits for it and refuses new runs', async () => {
    let seen: AbortSignal | undefined;
    const { runner, metric } = setup(
      (signal) =>
        new Promise((resolve) => {
          seen = signal;
          signal.addEventListener('abort', () => setTimeout(() => resolve([result('alice', T0)]), 50));
        }),
    );
    const run = runner.trigger('startup');
    expect(await runner.stop(5_000)).toBe(true);
    expect(seen?.aborted).toBe(true);
    expect(await run).toBe('aborted');
    expect(await runner.trigger('schedule')).toBe('skipped');
    // An aborted run is neither a success nor a failure of the account.
    expect(await metric('mifit_sync_failures_total')).toEqual([]);
  });

  it('gives up waiting after the shutdown timeout when the run does not stop', async () => {
    vi.useFakeTimers();
    try {
      const { runner } = setup(() => new Promise(() => {}));
      void runner.trigger('startup');
      const t = Date.now();
      const stopped = runner.stop(200);
      await vi.advanceTimersByTimeAsync(200);
      expect(await stopped).toBe(false);
      expect(Date.now() - t).toBeLessThan(2_000);
      expect(Date.now() - t).toBe(200); // on the fake clock: exactly the timeout, not a moment longer
    } finally {
      vi.useRealTimers();
    }
  });

  it('fails only the accounts of a per-account run that throws (its worker died), on the page and in /metrics', async () => {
    const status = statusWith(['alice', 'bob']);
    const metrics = createMetrics({ demo: false, defaultMetrics: false });
    const died = Object.assign(new Error('the sync worker exited with signal SIGKILL (out of memory?)'), { code: 'SYNC_WORKER_EXITED' });
    const runner = createRunner({ sync: () => Promise.reject(died), status, metrics, logger: createLogger('silent'), now: () => T0, secrets: [], accountKeys: () => ['alice', 'bob'] });
    expect(await runner.trigger('schedule', 'alice')).toBe('failed');
    const [alice, bob] = status.snapshot().accounts;
    expect(alice).toMatchObject({ account: 'alice', runs: 1, failures: 1, lastError: { code: 'SYNC_WORKER_EXITED', message: died.message, at: T0 } });
    expect(bob).toMatchObject({ account: 'bob', runs: 0, failures: 0 });
    expect(bob?.lastError).toBeUndefined();
    const text = await metrics.registry.metrics();
    expect(text).toContain('mifit_sync_failures_total{account="alice",code="SYNC_WORKER_EXITED"} 1');
    expect(text).not.toContain('account="bob"');
    // A whole run (no key) still fails every account.
    expect(await runner.trigger('manual')).toBe('failed');
    expect(status.snapshot().accounts.map((a) => a.failures)).toEqual([2, 1]);
  });
});
