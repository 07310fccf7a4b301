// One account, one identity, from the first request (built CLI and daemon, fake Huami server,
// real InfluxDB): an InfluxDB outage before the first login leaves one status row and no
// placeholder sync_run, /healthz recovers with the next good run; `--account` takes the
// e-mail or the user id; renaming ACCOUNT_NAME neither logs in nor backfills again, and
// `reprocess` moves the old days to the new `user` tag.
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_EMAIL, DEMO_PASSWORD, DEMO_USER_ID, startFakeServer, type FakeServer } from '../../src/fake/index.js';
import { addDays, todayIn } from '../../src/sync/dates.js';
import { ensureBuilt, spawnDaemon, type DaemonProcess } from '../support/daemon-cli.js';
import { createTestDatabase, freePort, influxQuery, rows, startInfluxd, type InfluxProcess } from '../support/influxd.js';
import { servedDays } from '../support/sync-fake.js';
import { DEMO_KEY, runCli, syncEnv, userCounts } from '../support/sync-cli.js';
import { tempDir } from '../support/tmp.js';

const ZONE = 'Europe/Berlin';
const NOW = new Date();
const TODAY = todayIn(ZONE, NOW);
const FROM = addDays(TODAY, -9);
const LOGIN_PATHS = new Set(['/v2/registrations/tokens', '/v2/client/login']);
const influxUrl = inject('influxUrl');
let fake: FakeServer;

beforeAll(async () => {
  ensureBuilt();
  fake = await startFakeServer({ from: FROM, timezone: ZONE, now: () => NOW, quiet: true });
});
afterAll(async () => {
  await fake?.close();
});

const env = (db: string, dir: string, name: string): Record<string, string> =>
  syncEnv({ influxUrl, db, stateDir: dir, fakeUrl: fake.url, from: FROM, email: DEMO_EMAIL, password: DEMO_PASSWORD, name });
const users = async (url: string, db: string): Promise<string[]> =>
  rows(await influxQuery(url, 'SHOW TAG VALUES FROM "sync_run" WITH KEY = "user"', db)).map((r) => String(r.value)).sort();

describe('account identity', () => {
  it('--account takes the name, the e-mail or the Huami user id; renaming ACCOUNT_NAME keeps the state', async () => {
    const db = await createTestDatabase(influxUrl, 'ident');
    const dir = tempDir('mifit-ident-');
    expect((await runCli(['sync', '--account', DEMO_EMAIL.toUpperCase()], env(db, dir, 'anna'))).code).toBe(0);
    const byId = await runCli(['sync', '--account', DEMO_USER_ID], env(db, dir, 'anna'));
    expect(byId.code).toBe(0);
    expect(byId.stdout).toContain('sync anna:');
    const nobody = await runCli(['sync', '--account', 'nobody'], env(db, dir, 'anna'));
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toMatch(/no account "nobody".*name, e-mail or Huami user id/);
    const served = servedDays(fake, DEMO_USER_ID, FROM, TODAY);
    expect((await userCounts(influxUrl, db, 'anna')).activity_daily).toBe(served);

    // Renamed: the same folder, no login, only the lookback days fetched (one chunk).
    const before = fake.requests.length;
    const renamed = await runCli(['sync'], env(db, dir, 'bob'));
    expect(renamed.code).toBe(0);
    const sent = fake.requests.slice(before);
    expect(sent.filter((r) => LOGIN_PATHS.has(r.path))).toEqual([]);
    expect(sent.filter((r) => r.path === '/v1/data/band_data.json').length).toBe(1);
    // The lookback days (SYNC_LOOKBACK_DAYS) were fetched again and rewritten under the new
    // tag, each day under one tag only; the older days keep "anna" until reprocess.
    const bob = (await userCounts(influxUrl, db, 'bob')).activity_daily ?? 0;
    expect(bob).toBeGreaterThan(0);
    expect(bob).toBeLessThan(served);
    expect((await userCounts(influxUrl, db, 'anna')).activity_daily).toBe(served - bob);

    const re = await runCli(['reprocess'], env(db, dir, 'bob'));
    expect(re.code).toBe(0);
    expect((await userCounts(influxUrl, db, 'bob')).activity_daily).toBe(served);
    expect(Object.values(await userCounts(influxUrl, db, 'anna')).every((n) => n === 0)).toBe(true);
    expect(fake.requests.length).toBe(before + sent.length); // reprocess asks Huami nothing
  }, 120_000);

  it('moves a state folder named after ACCOUNT_NAME (older versions) to the e-mail key without a new login', async () => {
    const db = await createTestDatabase(influxUrl, 'legacy');
    const dir = tempDir('mifit-legacy-');
    expect((await runCli(['sync'], env(db, dir, 'anna'))).code).toBe(0);
    renameSync(join(dir, DEMO_KEY), join(dir, 'anna')); // the layout an older version left
    const before = fake.requests.length;
    expect((await runCli(['sync'], env(db, dir, 'anna'))).code).toBe(0);
    expect(fake.requests.slice(before).filter((r) => LOGIN_PATHS.has(r.path))).toEqual([]);
    expect(existsSync(join(dir, 'anna'))).toBe(false);
    expect(existsSync(join(dir, DEMO_KEY, 'tokens.json'))).toBe(true);
  }, 60_000);
});

describe('an unnamed account during an InfluxDB outage (daemon)', () => {
  let influx: InfluxProcess | undefined;
  let daemon: DaemonProcess | undefined;
  afterAll(async () => {
    await daemon?.stop('SIGKILL');
    await influx?.destroy();
  });

  it('keeps one row, writes no placeholder sync_run, and /healthz recovers with the next good run', async () => {
    influx = await startInfluxd();
    await influxQuery(influx.url, 'CREATE DATABASE outage');
    await influx.stop();
    const dir = tempDir('mifit-ident-outage-');
    daemon = await spawnDaemon({
      HUAMI_EMAIL: DEMO_EMAIL, HUAMI_PASSWORD: DEMO_PASSWORD, HUAMI_BASE_URL: fake.url, DEMO_MODE: 'off',
      INFLUX_URL: influx.url, INFLUX_API_VERSION: '1', INFLUX_DATABASE: 'outage', INFLUX_TIMEOUT_MS: '2000',
      SYNC_START_DATE: FROM, TIMEZONE: ZONE, STATE_DIR: dir, HTTP_PORT: String(await freePort()), LOG_LEVEL: 'info',
    });
    // The start-up run fails before any login: InfluxDB is down.
    await expect.poll(async () => (await daemon!.state()).runCount, { timeout: 90_000, interval: 250 }).toBe(1);
    let accounts = (await daemon.state()).accounts;
    expect(accounts).toHaveLength(1);
    expect(accounts[0]).toMatchObject({ account: 'd***@example.com', key: DEMO_KEY, unidentified: true });
    expect(accounts[0]?.lastError).toMatchObject({ code: expect.stringMatching(/^INFLUX_/) });
    expect(await daemon.metrics()).not.toMatch(/account="(email-|d\*\*\*)/);
    expect((await daemon.health()).status).toBe(503);

    await influx.start();
    const pressed = await fetch(`${daemon.url}/sync`, { method: 'POST', headers: { accept: 'application/json' } });
    expect(pressed.status).toBe(202);
    await daemon.waitForHealth(200, 90_000);
    accounts = (await daemon.state()).accounts;
    expect(accounts).toHaveLength(1);
    expect(accounts[0]).toMatchObject({ account: DEMO_USER_ID, key: DEMO_KEY });
    expect(accounts[0]?.unidentified).toBeUndefined();
    expect(await users(influx.url, 'outage')).toEqual([DEMO_USER_ID]);
    expect(await daemon.metrics()).toContain(`mifit_sync_runs_total{account="${DEMO_USER_ID}",result="success"} 1`);
    expect(await daemon.metrics()).not.toMatch(/account="(email-|d\*\*\*)/);
  }, 240_000);
});
