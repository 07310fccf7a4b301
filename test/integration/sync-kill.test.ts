// Kill-safety and outages with the real CLI: SIGKILL mid-run, and InfluxDB stopped in the
// middle of a run. Afterwards every day must hold exactly what a clean sync writes.
import { beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { DEMO_EMAIL, DEMO_PASSWORD, DEMO_USER_ID } from '../../src/fake/index.js';
import { addDays, todayIn } from '../../src/sync/dates.js';
import { useFakeServer } from '../support/fake-server.js';
import { createTestDatabase, startInfluxd } from '../support/influxd.js';
import { servedDays } from '../support/sync-fake.js';
import { DEMO_KEY, doneDays as doneDayList, runCli, spawnCli, summaryNumber, syncEnv, tempStateDir as stateDir, userRows } from '../support/sync-cli.js';

const ZONE = 'Europe/Berlin';
const NOW = new Date();
const TODAY = todayIn(ZONE, NOW);
const FROM = addDays(TODAY, -19);
const DAYS = 20;

const fake = useFakeServer('file', { from: FROM, timezone: ZONE, now: () => NOW, quiet: true });
// One day per request and per write, so a kill or an outage lands between days. No
// InfluxDB retries: the outage below fails the run at once instead of after ~30 s of back-off.
const env = (influxUrl: string, db: string, dir: string): Record<string, string> =>
  syncEnv({ influxUrl, db, stateDir: dir, fakeUrl: fake.url, from: FROM, email: DEMO_EMAIL, password: DEMO_PASSWORD, extra: { HUAMI_CHUNK_DAYS: '1', INFLUX_BATCH_SIZE: '1000', INFLUX_TIMEOUT_MS: '2000', INFLUX_MAX_RETRIES: '0' } });

// What a clean, uninterrupted sync writes: made once (by whichever test asks first) into
// the suite's InfluxDB, compared with by both tests.
let clean: Promise<Record<string, Record<string, unknown>[]>> | undefined;
const cleanRows = (): Promise<Record<string, Record<string, unknown>[]>> =>
  (clean ??= (async () => {
    const influxUrl = inject('influxUrl');
    const fresh = await createTestDatabase(influxUrl, 'killref');
    expect((await runCli(['sync'], env(influxUrl, fresh, stateDir()))).code).toBe(0);
    return userRows(influxUrl, fresh, 'anna');
  })());

const doneDays = (dir: string): number => doneDayList(dir, DEMO_KEY).length;
/** Wait until the running sync has recorded `n` days as done (the process's own signal of progress). */
const daysDone = (dir: string, n: number): Promise<void> =>
  vi.waitFor(() => expect(doneDays(dir), 'days recorded done').toBeGreaterThanOrEqual(n), { timeout: 60_000, interval: 20 });

beforeEach(() => {
  fake.faults.clear();
});

describe('mifit-sync sync when interrupted', () => {
  it('after SIGKILL mid-run, the next run leaves every day complete and none doubled', async () => {
    const influxUrl = inject('influxUrl');
    const db = await createTestDatabase(influxUrl, 'kill');
    const dir = stateDir();
    fake.faults.slow({ ms: 150, paths: [/band_data/] });
    const child = spawnCli(['sync'], env(influxUrl, db, dir));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_c, s) => resolve(s)));
    await daysDone(dir, 4);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const before = doneDays(dir);
    expect(before).toBeLessThan(DAYS);
    fake.faults.clear();

    const r = await runCli(['sync'], env(influxUrl, db, dir));
    expect(r.code).toBe(0);
    // Days are done in date order, so the rest are the served days after the done prefix.
    expect(summaryNumber(r.stdout, 'anna', 'days written')).toBe(servedDays(fake, DEMO_USER_ID, addDays(FROM, before), TODAY));
    expect(doneDays(dir)).toBe(DAYS);
    expect(await userRows(influxUrl, db, 'anna')).toEqual(await cleanRows());
  });

  it('loses nothing when InfluxDB goes down for part of a run', async () => {
    const influx = await startInfluxd();
    try {
      const db = await createTestDatabase(influx.url, 'outage');
      const dir = stateDir();
      fake.faults.slow({ ms: 250, paths: [/band_data/] });
      const child = spawnCli(['sync'], env(influx.url, db, dir));
      const exited = new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
      await daysDone(dir, 3);
      await influx.stop();
      const code = await exited;
      expect(code).toBe(1);
      expect(child.output.stdout).toMatch(/sync anna: failed in /);
      expect(child.output.stdout).toContain('INFLUX_UNREACHABLE');
      const written = doneDays(dir);
      expect(written).toBeLessThan(DAYS);

      await influx.start();
      fake.faults.clear();
      const r = await runCli(['sync'], env(influx.url, db, dir));
      expect(r.code).toBe(0);
      expect(doneDays(dir)).toBe(DAYS);
      expect(await userRows(influx.url, db, 'anna')).toEqual(await cleanRows());
    } finally {
      await influx.destroy();
    }
  });
});
