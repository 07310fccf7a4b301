// SIGTERM while InfluxDB is down and a write is retrying: the shutdown signal ends the
// writer's retries at once (src/write/retry.ts), so the daemon exits 0 without another
// attempt instead of waiting out ~30 s of back-off, and the unconfirmed day is not recorded
// as done. How long the exit takes is a figure of `npm run bench` (src/bench/shutdown.ts).
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_EMAIL, DEMO_PASSWORD, DEMO_USER_ID, startFakeServer, type FakeServer } from '../../src/fake/index.js';
import { freePort, influxQuery, startInfluxd, type InfluxProcess } from '../support/influxd.js';
import { ensureBuilt, spawnDaemon, type DaemonProcess } from '../support/daemon-cli.js';
import { countsPerDay } from '../support/daemon-influx.js';
import { DEMO_KEY, doneDays as doneDayList, tempStateDir } from '../support/sync-cli.js';

const start = DateTime.utc().minus({ days: 12 }).toISODate()!;
const RETRYING = /InfluxDB request failed, retrying/g;
let fake: FakeServer;
let influx: InfluxProcess;
let stateDir: string;
let daemon: DaemonProcess | undefined;
const doneDays = (): string[] => doneDayList(stateDir, DEMO_KEY);

beforeAll(async () => {
  ensureBuilt();
  influx = await startInfluxd();
  await influxQuery(influx.url, 'CREATE DATABASE outage');
  fake = await startFakeServer({ from: start, timezone: 'UTC' });
  stateDir = tempStateDir();
}, 60_000);

afterAll(async () => {
  await daemon?.stop('SIGKILL');
  await fake?.close();
  await influx?.destroy();
});

describe('SIGTERM during an InfluxDB outage', () => {
  it('exits 0 without another write attempt and leaves the unwritten days pending', async () => {
    fake.faults.slow({ ms: 300, paths: ['/v1/data/band_data.json'] });
    daemon = await spawnDaemon({
      ACCOUNT_NAME: 'demo', HUAMI_EMAIL: DEMO_EMAIL, HUAMI_PASSWORD: DEMO_PASSWORD, HUAMI_BASE_URL: fake.url, DEMO_MODE: 'off',
      INFLUX_URL: influx.url, INFLUX_API_VERSION: '1', INFLUX_DATABASE: 'outage',
      HUAMI_CHUNK_DAYS: '1', INFLUX_BATCH_SIZE: '500',
      SYNC_START_DATE: start, TIMEZONE: 'UTC', STATE_DIR: stateDir, HTTP_PORT: String(await freePort()), LOG_LEVEL: 'trace', // trace: the suite's secret scan sees every log line
    });
    const d = daemon;
    await vi.waitFor(() => expect(doneDays().length, 'days recorded done').toBeGreaterThanOrEqual(2), { timeout: 60_000, interval: 20 });
    await influx.stop();
    // Wait until a write has failed and the writer is in its back-off (the first wait is 1-1.2 s).
    await vi.waitFor(() => expect(d.logs()).toMatch(/InfluxDB request failed, retrying/), { timeout: 30_000, interval: 20 });
    const doneBefore = doneDays();
    const retriesBefore = d.logs().match(RETRYING)?.length ?? 0;
    // The helper SIGKILLs after 30 s (code null): waiting out the back-off would take ~31 s.
    const { code } = await d.stop('SIGTERM');
    expect(code).toBe(0);
    expect(d.logs()).toMatch(/stop signal received/);
    // The signal ended the back-off: no further attempt was logged after it.
    const afterSignal = d.logs().slice(d.logs().indexOf('stop signal received'));
    expect(afterSignal.match(RETRYING) ?? []).toHaveLength(0);
    expect(d.logs().match(RETRYING)).toHaveLength(retriesBefore);
    expect(doneDays()).toEqual(doneBefore);
    // Every day recorded as done has its points; the rest is fetched again next start.
    await influx.start();
    const counts = await countsPerDay(influx.url, 'outage', 'heart_rate', 'bpm', 'demo', start);
    for (const day of doneBefore) if (fake.data.day(DEMO_USER_ID, day)) expect(counts[day], `${day} recorded done without its points`).toBeGreaterThan(0);
  });
});
