// SIGTERM while InfluxDB is down and a write is retrying: the shutdown signal ends the
// writer's retries at once (src/write/retry.ts), so the daemon exits 0 quickly instead of
// waiting out ~30 s of back-off, and the unconfirmed day is not recorded as done.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_EMAIL, DEMO_PASSWORD, DEMO_USER_ID, startFakeServer, type FakeServer } from '../../src/fake/index.js';
import { freePort, influxQuery, startInfluxd, type InfluxProcess } from '../support/influxd.js';
import { ensureBuilt, spawnDaemon, type DaemonProcess } from '../support/daemon-cli.js';
import { countsPerDay } from '../support/daemon-influx.js';
import { accountKey } from '../../src/huami/token-store.js';
/** The demo account's state folder: named after its e-mail, not its name. */
const DEMO_KEY = accountKey({ email: DEMO_EMAIL, userId: '' });

const start = DateTime.utc().minus({ days: 12 }).toISODate()!;
let fake: FakeServer;
let influx: InfluxProcess;
let stateDir: string;
let daemon: DaemonProcess | undefined;
const daysDir = (): string => join(stateDir, DEMO_KEY, 'days');
const doneDays = (): string[] => (existsSync(daysDir()) ? readdirSync(daysDir()).filter((f) => /^\d{4}-\d{2}-\d{2}\.json$/.test(f)).map((f) => f.slice(0, 10)).sort() : []);

beforeAll(async () => {
  ensureBuilt();
  influx = await startInfluxd();
  await influxQuery(influx.url, 'CREATE DATABASE outage');
  fake = await startFakeServer({ from: start, timezone: 'UTC' });
  stateDir = mkdtempSync(join(tmpdir(), 'mifit-sigterm-outage-'));
}, 60_000);

afterAll(async () => {
  await daemon?.stop('SIGKILL');
  await fake?.close();
  await influx?.destroy();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('SIGTERM during an InfluxDB outage', () => {
  it('exits 0 within seconds and leaves the unwritten days pending', async () => {
    fake.faults.slow({ ms: 700, paths: ['/v1/data/band_data.json'] });
    daemon = await spawnDaemon({
      ACCOUNT_NAME: 'demo', HUAMI_EMAIL: DEMO_EMAIL, HUAMI_PASSWORD: DEMO_PASSWORD, HUAMI_BASE_URL: fake.url, DEMO_MODE: 'off',
      INFLUX_URL: influx.url, INFLUX_API_VERSION: '1', INFLUX_DATABASE: 'outage',
      HUAMI_CHUNK_DAYS: '1', INFLUX_BATCH_SIZE: '500',
      SYNC_START_DATE: start, TIMEZONE: 'UTC', STATE_DIR: stateDir, HTTP_PORT: String(await freePort()), LOG_LEVEL: 'trace', // trace: the suite's secret scan sees every log line
    });
    const end = Date.now() + 60_000;
    while (doneDays().length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    await influx.stop();
    // Wait until a write has failed and the writer is in its back-off.
    const until = Date.now() + 30_000;
    while (!/InfluxDB request failed, retrying/.test(daemon.logs()) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(daemon.logs()).toMatch(/InfluxDB request failed, retrying/);
    const doneBefore = doneDays();
    const { code, ms } = await daemon.stop('SIGTERM');
    console.info(`SIGTERM during an InfluxDB outage: exit code ${code} after ${ms} ms`);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(6_000);
    expect(doneDays()).toEqual(doneBefore);
    // Every day recorded as done has its points; the rest is fetched again next start.
    await influx.start();
    const counts = await countsPerDay(influx.url, 'outage', 'heart_rate', 'bpm', 'demo', start);
    for (const d of doneBefore) if (fake.data.day(DEMO_USER_ID, d)) expect(counts[d], `${d} recorded done without its points`).toBeGreaterThan(0);
  }, 120_000);
});
