// SIGTERM in the middle of a run (the fake cloud answers slowly): the built daemon exits 0
// without finishing the run, every day it recorded as done is complete in InfluxDB, and the
// next start completes the days the interrupted run did not reach; the sync worker running the
// day ends with the daemon. How long the exit takes is a figure of `npm run bench`
// (src/bench/shutdown.ts), not a test.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { DEMO_EMAIL, DEMO_PASSWORD, DEMO_USER_ID, startFakeServer, type FakeServer } from '../../src/fake/index.js';
import { createTestDatabase, freePort } from '../support/influxd.js';
import { ensureBuilt, spawnDaemon, type DaemonProcess } from '../support/daemon-cli.js';
import { countsPerDay, dateRange } from '../support/daemon-influx.js';
import { DEMO_KEY, doneDays as doneDayList, tempStateDir } from '../support/sync-cli.js';
import { descendantsOf, isAlive } from '../../src/bench/proc-tree.js';

const influxUrl = inject('influxUrl');
const start = DateTime.utc().minus({ days: 10 }).toISODate()!;
const yesterday = DateTime.utc().minus({ days: 1 }).toISODate()!;
let fake: FakeServer;
let stateDir: string;
let env: Record<string, string>;
let db: string;
const daemons: DaemonProcess[] = [];
const doneDays = (): string[] => doneDayList(stateDir, DEMO_KEY);

/** What the interrupted run left: taken once in beforeAll, read (never changed) by the tests. */
let atStop: { code: number | null; running: boolean; logs: string; done: string[]; counts: Record<string, number>; workers: number[]; workersLeft: number[] };

beforeAll(async () => {
  ensureBuilt();
  fake = await startFakeServer({ from: start, timezone: 'UTC' });
  db = await createTestDatabase(influxUrl, 'sigterm');
  stateDir = tempStateDir();
  env = {
    ACCOUNT_NAME: 'demo', HUAMI_EMAIL: DEMO_EMAIL, HUAMI_PASSWORD: DEMO_PASSWORD, HUAMI_BASE_URL: fake.url, DEMO_MODE: 'off',
    INFLUX_URL: influxUrl, INFLUX_API_VERSION: '1', INFLUX_DATABASE: db,
    // One day per request and one flush per day, so the run has many "between days" points.
    HUAMI_CHUNK_DAYS: '1', INFLUX_BATCH_SIZE: '500',
    SYNC_START_DATE: start, TIMEZONE: 'UTC', STATE_DIR: stateDir, HTTP_PORT: String(await freePort()), LOG_LEVEL: 'trace', // trace: the suite's secret scan sees every log line
  };
  // The interrupted run: slow answers, SIGTERM once three days are recorded as done.
  fake.faults.slow({ ms: 300, paths: ['/v1/data/band_data.json'] });
  const daemon = await spawnDaemon(env);
  daemons.push(daemon);
  await vi.waitFor(() => expect(doneDays().length, 'days recorded done').toBeGreaterThanOrEqual(3), { timeout: 60_000, interval: 20 });
  const { running } = await daemon.state();
  // The run goes on in the daemon's sync worker (SYNC_WORKER=process, the default).
  const workers = descendantsOf(daemon.child.pid!);
  // 30 s is the daemon's own shutdown grace; past it the helper SIGKILLs and the code is null.
  const { code } = await daemon.stop('SIGTERM');
  const done = doneDays();
  atStop = { code, running, logs: daemon.logs(), done, counts: await countsPerDay(influxUrl, db, 'heart_rate', 'bpm', 'demo', start), workers, workersLeft: workers.filter(isAlive) };
  fake.faults.clear();
}, 90_000);

afterAll(async () => {
  for (const d of daemons) await d.stop('SIGKILL');
  await fake?.close();
});

describe('SIGTERM during a run', () => {
  it('exits 0 before the run is over, leaving only complete days recorded as done', () => {
    expect(atStop.running).toBe(true);
    expect(atStop.code).toBe(0);
    expect(atStop.logs).toMatch(/stop signal received/);
    expect(atStop.logs).toMatch(/daemon stopped/);
    // The worker that ran it ended with the daemon, not after it.
    expect(atStop.workers).toHaveLength(1);
    expect(atStop.workersLeft).toEqual([]);
    expect(atStop.done.length).toBeGreaterThanOrEqual(3);
    expect(atStop.done.length).toBeLessThan(dateRange(start, yesterday).length);
    for (const d of atStop.done) if (fake.data.day(DEMO_USER_ID, d)) expect(atStop.counts[d], `${d} recorded done without its points`).toBeGreaterThan(0);
  });

  it('completes the interrupted days on the next start, leaving the finished ones as they were', async () => {
    const daemon = await spawnDaemon(env);
    daemons.push(daemon);
    await daemon.waitForHealth(200, 60_000);
    const { code } = await daemon.stop('SIGTERM');
    expect(code).toBe(0);
    const all = dateRange(start, yesterday);
    expect(doneDays()).toEqual(expect.arrayContaining(all));
    const served = all.filter((d) => fake.data.day(DEMO_USER_ID, d));
    const counts = await countsPerDay(influxUrl, db, 'heart_rate', 'bpm', 'demo', start);
    expect(Object.keys(counts).filter((d) => d < DateTime.utc().toISODate()!).sort()).toEqual(served);
    // A day recorded as done before the stop already held all its points.
    for (const d of atStop.done) if (atStop.counts[d] !== undefined) expect(counts[d], d).toBe(atStop.counts[d]);
  }, 90_000);
});
