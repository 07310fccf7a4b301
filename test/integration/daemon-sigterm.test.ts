// SIGTERM in the middle of a run (the fake cloud answers slowly): the built daemon exits 0
// within seconds, every day it recorded as done is complete in InfluxDB, and the next
// start completes the days the interrupted run did not reach.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_EMAIL, DEMO_PASSWORD, DEMO_USER_ID, startFakeServer, type FakeServer } from '../../src/fake/index.js';
import { createTestDatabase, freePort } from '../support/influxd.js';
import { ensureBuilt, spawnDaemon, type DaemonProcess } from '../support/daemon-cli.js';
import { countsPerDay, dateRange } from '../support/daemon-influx.js';
import { accountKey } from '../../src/huami/token-store.js';
/** The demo account's state folder: named after its e-mail, not its name. */
const DEMO_KEY = accountKey({ email: DEMO_EMAIL, userId: '' });

const influxUrl = inject('influxUrl');
const start = DateTime.utc().minus({ days: 10 }).toISODate()!;
const yesterday = DateTime.utc().minus({ days: 1 }).toISODate()!;
let fake: FakeServer;
let stateDir: string;
let env: Record<string, string>;
let db: string;
let daemon: DaemonProcess | undefined;
const daysDir = (): string => join(stateDir, DEMO_KEY, 'days');
const doneDays = (): string[] => (existsSync(daysDir()) ? readdirSync(daysDir()).filter((f) => /^\d{4}-\d{2}-\d{2}\.json$/.test(f)).map((f) => f.slice(0, 10)).sort() : []);

beforeAll(async () => {
  ensureBuilt();
  fake = await startFakeServer({ from: start, timezone: 'UTC' });
  db = await createTestDatabase(influxUrl, 'sigterm');
  stateDir = mkdtempSync(join(tmpdir(), 'mifit-sigterm-'));
  env = {
    ACCOUNT_NAME: 'demo', HUAMI_EMAIL: DEMO_EMAIL, HUAMI_PASSWORD: DEMO_PASSWORD, HUAMI_BASE_URL: fake.url, DEMO_MODE: 'off',
    INFLUX_URL: influxUrl, INFLUX_API_VERSION: '1', INFLUX_DATABASE: db,
    // One day per request and one flush per day, so the run has many "between days" points.
    HUAMI_CHUNK_DAYS: '1', INFLUX_BATCH_SIZE: '500',
    SYNC_START_DATE: start, TIMEZONE: 'UTC', STATE_DIR: stateDir, HTTP_PORT: String(await freePort()), LOG_LEVEL: 'trace', // trace: the suite's secret scan sees every log line
  };
}, 60_000);

afterAll(async () => {
  await daemon?.stop('SIGKILL');
  await fake?.close();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('SIGTERM during a run', () => {
  let doneAtStop: string[] = [];
  let countsAtStop: Record<string, number> = {};

  it('exits 0 within a few seconds, leaving only complete days recorded as done', async () => {
    fake.faults.slow({ ms: 1_000, paths: ['/v1/data/band_data.json'] });
    daemon = await spawnDaemon(env);
    const end = Date.now() + 60_000;
    while (doneDays().length < 3 && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    expect((await daemon.state()).running).toBe(true);
    const { code, ms } = await daemon.stop('SIGTERM');
    console.info(`SIGTERM during a run: exit code ${code} after ${ms} ms`);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(8_000);
    expect(daemon.logs()).toMatch(/stop signal received/);
    expect(daemon.logs()).toMatch(/daemon stopped/);
    doneAtStop = doneDays();
    expect(doneAtStop.length).toBeGreaterThanOrEqual(3);
    expect(doneAtStop.length).toBeLessThan(dateRange(start, yesterday).length);
    countsAtStop = await countsPerDay(influxUrl, db, 'heart_rate', 'bpm', 'demo', start);
    for (const d of doneAtStop) if (fake.data.day(DEMO_USER_ID, d)) expect(countsAtStop[d], `${d} recorded done without its points`).toBeGreaterThan(0);
  }, 90_000);

  it('completes the interrupted days on the next start, leaving the finished ones as they were', async () => {
    fake.faults.clear();
    daemon = await spawnDaemon(env);
    await daemon.waitForHealth(200, 60_000);
    const { code } = await daemon.stop('SIGTERM');
    expect(code).toBe(0);
    const all = dateRange(start, yesterday);
    expect(doneDays()).toEqual(expect.arrayContaining(all));
    const served = all.filter((d) => fake.data.day(DEMO_USER_ID, d));
    const counts = await countsPerDay(influxUrl, db, 'heart_rate', 'bpm', 'demo', start);
    expect(Object.keys(counts).filter((d) => d < DateTime.utc().toISODate()!).sort()).toEqual(served);
    // A day recorded as done before the stop already held all its points.
    for (const d of doneAtStop) if (countsAtStop[d] !== undefined) expect(counts[d], d).toBe(countsAtStop[d]);
  }, 90_000);
});
