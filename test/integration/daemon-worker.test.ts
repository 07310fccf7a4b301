// The built daemon with its sync in a worker process (SYNC_WORKER=process, the default) against
// the fake Huami cloud over real HTTP and the real InfluxDB: the status and /metrics show what a
// daemon syncing in its own process (SYNC_WORKER=inline) shows; the worker exits once idle; a
// worker killed mid-run fails that run with a message naming the signal, loses nothing, and
// the next run starts a fresh worker; a worker whose daemon is killed ends too.
import { DateTime } from 'luxon';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { DEMO_EMAIL, DEMO_PASSWORD, DEMO_USER_ID, startFakeServer, type FakeServer } from '../../src/fake/index.js';
import { descendantsOf, isAlive } from '../../src/bench/proc-tree.js';
import { createTestDatabase, freePort } from '../support/influxd.js';
import { ensureBuilt, metricValue, spawnDaemon, type DaemonProcess } from '../support/daemon-cli.js';
import { countsPerDay, dateRange } from '../support/daemon-influx.js';
import { DEMO_KEY, doneDays, tempStateDir } from '../support/sync-cli.js';

const influxUrl = inject('influxUrl');
const start = DateTime.utc().minus({ days: 12 }).toISODate()!;
const yesterday = DateTime.utc().minus({ days: 1 }).toISODate()!;
let fake: FakeServer;
const daemons: DaemonProcess[] = [];

beforeAll(async () => {
  ensureBuilt();
  // The fake's clock stands still: today's data grows with every 10-minute upload, and two
  // daemons run one after the other must be served the same days (a run on each side of an
  // upload differed by its points and lastDataAt).
  const now = new Date();
  fake = await startFakeServer({ from: start, timezone: 'UTC', now: () => now });
});
afterEach(() => fake.faults.clear());
afterAll(async () => {
  for (const d of daemons) await d.stop('SIGKILL');
  await fake?.close();
});

async function envFor(name: string, over: Record<string, string> = {}): Promise<{ env: Record<string, string>; db: string; stateDir: string }> {
  const db = await createTestDatabase(influxUrl, name);
  const stateDir = tempStateDir();
  const env = {
    ACCOUNT_NAME: 'demo', HUAMI_EMAIL: DEMO_EMAIL, HUAMI_PASSWORD: DEMO_PASSWORD, HUAMI_BASE_URL: fake.url, DEMO_MODE: 'off',
    INFLUX_URL: influxUrl, INFLUX_API_VERSION: '1', INFLUX_DATABASE: db, HUAMI_CHUNK_DAYS: '1',
    SYNC_START_DATE: start, TIMEZONE: 'UTC', STATE_DIR: stateDir, HTTP_PORT: String(await freePort()), LOG_LEVEL: 'info',
    // No scheduled tick during the test: only the start-up run and "Sync now".
    SYNC_SCHEDULE: '0 0 1 1 *', REFRESH_SCHEDULE: '0 0 1 1 *',
    ...over,
  };
  return { env, db, stateDir };
}

async function daemonWith(env: Record<string, string>): Promise<DaemonProcess> {
  const d = await spawnDaemon(env);
  daemons.push(d);
  return d;
}

/** The status of the one account, without what differs from run to run (times). */
function stable(account: Record<string, unknown>): Record<string, unknown> {
  const lastRun = account.lastRun as Record<string, unknown>;
  const { startedAt: _s, finishedAt: _f, tokenExpiresAt: _t, ...run } = lastRun;
  return { account: account.account, key: account.key, runs: account.runs, failures: account.failures, lastWrittenDay: account.lastWrittenDay, daysBehind: account.daysBehind, failedDays: account.failedDays, lastError: account.lastError, run };
}

const METRICS = ['mifit_sync_runs_total', 'mifit_sync_failures_total', 'mifit_sync_points_written_total', 'mifit_sync_days_behind', 'mifit_sync_days_failed', 'mifit_sync_huami_requests_total', 'mifit_sync_running', 'mifit_sync_demo_mode'];

describe('SYNC_WORKER=process', () => {
  it('shows the same status and metrics as a daemon syncing in its own process, and its worker exits once idle', async () => {
    const seen: Record<string, { account: Record<string, unknown>; metrics: Record<string, number>; counts: Record<string, number> }> = {};
    for (const mode of ['inline', 'process'] as const) {
      const { env, db } = await envFor(`worker-${mode}`, { SYNC_WORKER: mode });
      const d = await daemonWith(env);
      await vi.waitFor(async () => expect((await d.state()).runCount).toBe(1), { timeout: 60_000, interval: 100 });
      const state = await d.state();
      const text = await d.metrics();
      seen[mode] = {
        account: stable(state.accounts[0] as Record<string, unknown>),
        metrics: Object.fromEntries(METRICS.map((m) => [m, metricValue(text, m)])),
        counts: await countsPerDay(influxUrl, db, 'heart_rate', 'bpm', 'demo', start),
      };
      expect(state.accounts[0]).toMatchObject({ account: 'demo' });
      expect(state.accounts[0]!.lastError).toBeUndefined();
      expect((state.accounts[0] as { tokenExpiresAt?: number }).tokenExpiresAt, 'token times reach the status').toBeGreaterThan(Date.now());
      if (mode === 'process') {
        // The worker goes WORKER_IDLE_MS (10 s) after the run; nothing but the daemon is left.
        await vi.waitFor(() => expect(descendantsOf(d.child.pid!)).toEqual([]), { timeout: 30_000, interval: 250 });
        expect((await d.health()).status).toBe(200);
      }
      expect((await d.stop('SIGTERM')).code).toBe(0);
    }
    expect(seen.process!.account).toEqual(seen.inline!.account);
    expect(seen.process!.metrics).toEqual(seen.inline!.metrics);
    // Independent of the daemon: every day up to yesterday that the fake serves has points, in both.
    const served = dateRange(start, yesterday).filter((day) => fake.data.day(DEMO_USER_ID, day));
    expect(served.length).toBeGreaterThan(3);
    for (const mode of ['inline', 'process']) expect(Object.keys(seen[mode]!.counts).filter((day) => day <= yesterday).sort(), mode).toEqual(served);
    expect(seen.process!.metrics.mifit_sync_huami_requests_total, 'each Huami request is counted once').toBeGreaterThan(served.length);
    expect(seen.process!.metrics.mifit_sync_runs_total).toBe(1);
  }, 150_000);

  it('records a killed worker as a failed run naming the signal, and the next run syncs every day with a new worker', async () => {
    const { env, stateDir, db } = await envFor('worker-kill');
    fake.faults.slow({ ms: 600, paths: ['/v1/data/band_data.json'] });
    const d = await daemonWith(env);
    // Mid-run: a day recorded done, and the worker that runs it.
    await vi.waitFor(() => expect(doneDays(stateDir, DEMO_KEY).length).toBeGreaterThanOrEqual(1), { timeout: 60_000, interval: 20 });
    const [worker] = descendantsOf(d.child.pid!);
    expect(worker).toBeDefined();
    process.kill(worker!, 'SIGKILL');
    await vi.waitFor(async () => expect((await d.state()).runCount).toBe(1), { timeout: 30_000, interval: 100 });
    const failed = (await d.state()).accounts[0] as { lastError?: { code: string; message: string } };
    expect(failed.lastError?.code).toBe('SYNC_WORKER_EXITED');
    expect(failed.lastError?.message).toMatch(/the sync worker exited with signal SIGKILL/);
    expect(metricValue(await d.metrics(), 'mifit_sync_failures_total', 'code="SYNC_WORKER_EXITED"')).toBe(1);
    expect((await d.health()).status).toBe(503);
    // Killed before the end: days are left for the next run.
    expect(doneDays(stateDir, DEMO_KEY)).not.toEqual(expect.arrayContaining(dateRange(start, yesterday)));
    fake.faults.clear();
    // "Sync now" starts a fresh worker.
    expect((await fetch(`${d.url}/sync`, { method: 'POST' })).status).toBe(202);
    await vi.waitFor(async () => expect((await d.state()).runCount).toBe(2), { timeout: 60_000, interval: 100 });
    const ok = (await d.state()).accounts[0] as { lastError?: unknown; lastRun?: { ok: boolean } };
    expect(ok.lastRun?.ok).toBe(true);
    expect(ok.lastError).toBeUndefined();
    await d.waitForHealth(200, 10_000);
    expect(doneDays(stateDir, DEMO_KEY)).toEqual(expect.arrayContaining(dateRange(start, yesterday)));
    const counts = await countsPerDay(influxUrl, db, 'heart_rate', 'bpm', 'demo', start);
    for (const day of dateRange(start, yesterday)) if (fake.data.day(DEMO_USER_ID, day)) expect(counts[day], day).toBeGreaterThan(0);
    expect((await d.stop('SIGTERM')).code).toBe(0);
  }, 150_000);

  it('ends its worker when the daemon itself is killed', async () => {
    const { env, stateDir } = await envFor('worker-orphan');
    fake.faults.slow({ ms: 400, paths: ['/v1/data/band_data.json'] });
    const d = await daemonWith(env);
    await vi.waitFor(() => expect(descendantsOf(d.child.pid!).length).toBe(1), { timeout: 30_000, interval: 20 });
    const [worker] = descendantsOf(d.child.pid!);
    await vi.waitFor(() => expect(doneDays(stateDir, DEMO_KEY).length).toBeGreaterThanOrEqual(1), { timeout: 60_000, interval: 20 });
    await d.stop('SIGKILL');
    await vi.waitFor(() => expect(isAlive(worker!)).toBe(false), { timeout: 30_000, interval: 100 });
  }, 120_000);
});
