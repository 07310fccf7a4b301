// The stack's roles run natively, wired by docker-compose.yml's own environment: a real
// InfluxDB (1.6.7 behind the /api/v2 translation of test/support/v2-proxy.ts, as 1.8+ has
// it) in the role of the `influxdb` service, and the built daemon in demo mode in the role
// of `mifit-sync`, exactly as a fresh clone with no .env would configure it.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, influxQuery, rows, startInfluxd, type InfluxProcess } from '../support/influxd.js';
import { startV2Proxy, type V2Proxy } from '../support/v2-proxy.js';
import { serviceEnv } from '../support/daemon-compose.js';
import { ensureBuilt, metricValue, spawnDaemon, type DaemonProcess } from '../support/daemon-cli.js';
import { dateRange, daysWithData } from '../support/daemon-influx.js';
import { DEMO_PASSWORD, DEMO_USER_ID, startFakeServer } from '../../src/fake/index.js';
import { tempDir } from '../support/tmp.js';

let influx: InfluxProcess;
let proxy: V2Proxy;
let daemon: DaemonProcess;
let stateDir: string;
let env: Record<string, string>;
/** The days the demo account really has (the fake cloud omits some, like a band left off). */
let served: string[];
const today = DateTime.utc().toISODate()!;
const start = DateTime.utc().minus({ days: 5 }).toISODate()!;
const yesterday = DateTime.utc().minus({ days: 1 }).toISODate()!;
const MEASURED = [
  ['activity_daily', 'steps'],
  ['activity_minute', 'steps'],
  ['heart_rate', 'bpm'],
] as const;

beforeAll(async () => {
  ensureBuilt();
  // The same deterministic generator the daemon runs in-process (seed 1, same zone and start).
  const truth = await startFakeServer({ from: start, timezone: 'UTC' });
  served = dateRange(start, yesterday).filter((d) => truth.data.day(DEMO_USER_ID, d) !== undefined);
  await truth.close();
  influx = await startInfluxd();
  stateDir = tempDir('mifit-stack-');
  env = serviceEnv('mifit-sync', {}); // no .env: the fresh-clone values
  // What the `influxdb` service's setup mode creates: the bucket (= InfluxQL database via DBRP).
  await influxQuery(influx.url, `CREATE DATABASE "${env.INFLUX_BUCKET}"`);
  proxy = await startV2Proxy({ influxUrl: influx.url });
  const port = await freePort();
  env = {
    ...env,
    // Hostnames of the compose network → loopback ports of the native processes.
    INFLUX_URL: env.INFLUX_URL!.replace('http://influxdb:8086', proxy.url),
    STATE_DIR: stateDir,
    HTTP_PORT: String(port),
    // Test speed: a week instead of the default year, a tick every 2 s instead of 30 min,
    // and a write that fails in an outage fails at once instead of after ~30 s of back-off.
    SYNC_START_DATE: start,
    SYNC_SCHEDULE: '*/2 * * * * *',
    INFLUX_MAX_RETRIES: '0',
  };
  daemon = await spawnDaemon(env);
}, 120_000);

// Each test brings the stack into the state it starts from, so none depends on another
// having run before it: the daemon running (again, on the same state) and InfluxDB up or down.
async function daemonRunning(): Promise<DaemonProcess> {
  if (daemon.child.exitCode === null && daemon.child.signalCode === null) return daemon;
  daemon = await spawnDaemon(env);
  return daemon;
}
async function influxDown(): Promise<void> {
  if (!influx.running()) return;
  await influx.stop();
  await (await daemonRunning()).waitForHealth(503, 60_000, (b) => b.status === 'failing');
}

afterAll(async () => {
  await daemon?.stop();
  await proxy?.close();
  await influx?.destroy();
});

describe('the stack roles, wired by docker-compose.yml', () => {
  it('uses the bundled InfluxDB 2 settings and demo mode when there is no .env', () => {
    const fresh = serviceEnv('mifit-sync', {});
    expect(fresh).toMatchObject({ INFLUX_URL: 'http://influxdb:8086', INFLUX_API_VERSION: '2', DEMO_MODE: 'auto', HUAMI_EMAIL: '' });
  });

  it('becomes healthy, says it runs in demo mode, and writes data tagged user=demo', async () => {
    await influx.start();
    const daemon = await daemonRunning();
    await daemon.waitForHealth(200, 90_000);
    expect(daemon.logs()).toMatch(/DEMO MODE/);
    expect((await daemon.state()).demo).toBe(true);
    const users = rows(await influxQuery(influx.url, 'SHOW TAG VALUES FROM "activity_daily" WITH KEY = "user"', env.INFLUX_BUCKET));
    expect(users.map((r) => r.value)).toEqual(['demo']);
    for (const [m, f] of MEASURED) {
      const days = await daysWithData(influx.url, env.INFLUX_BUCKET!, m, f, 'demo', start);
      expect(served.length).toBeGreaterThanOrEqual(3);
      expect(days, m).toEqual(expect.arrayContaining(served));
    }
    const metrics = await daemon.metrics();
    expect(metricValue(metrics, 'mifit_sync_huami_requests_total', 'status="200"')).toBeGreaterThan(0);
    expect(metricValue(metrics, 'mifit_sync_points_written_total', 'account="demo"')).toBeGreaterThan(1000);
    expect(metricValue(metrics, 'mifit_sync_last_success_timestamp_seconds', 'account="demo"')).toBeGreaterThan(Date.now() / 1000 - 600);
    expect(metricValue(metrics, 'mifit_sync_token_expiry_timestamp_seconds', 'account="demo"')).toBeGreaterThan(Date.now() / 1000);
    expect(metricValue(metrics, 'mifit_sync_demo_mode')).toBe(1);
    const runs = rows(await influxQuery(influx.url, `SELECT success, error_code FROM sync_run WHERE "user"='demo'`, env.INFLUX_BUCKET));
    expect(runs.length).toBeGreaterThan(0);
    expect(runs.at(-1)?.success).toBe(1);
  }, 120_000);

  it('turns /healthz 503 with a reason and counts the failure on /metrics while InfluxDB is down', async () => {
    await influx.start();
    const daemon = await daemonRunning();
    const before = metricValue(await daemon.metrics(), 'mifit_sync_failures_total', 'account="demo"');
    await influx.stop();
    await daemon.waitForHealth(503, 60_000, (b) => b.status === 'failing');
    const h = await daemon.health();
    expect(h.body.reasons.join('\n')).toMatch(/account "demo": last sync failed \(INFLUX_[A-Z_]+\)/);
    const metrics = await daemon.metrics();
    expect(metricValue(metrics, 'mifit_sync_failures_total', 'account="demo"')).toBeGreaterThan(before);
    expect(metrics).toMatch(/mifit_sync_failures_total\{account="demo",code="INFLUX_[A-Z_]+"\} [1-9]/);
  }, 90_000);

  it('recovers after InfluxDB comes back, with no day missing in any measurement', async () => {
    await influxDown();
    const daemon = await daemonRunning();
    const failedAt = Date.now();
    await influx.start();
    await daemon.waitForHealth(200, 90_000);
    for (const [m, f] of MEASURED) {
      const days = await daysWithData(influx.url, env.INFLUX_BUCKET!, m, f, 'demo', start);
      expect(days.filter((d) => d < today), m).toEqual(served);
    }
    // The recovery run wrote its own sync_run point after the outage.
    const ok = rows(await influxQuery(influx.url, `SELECT success FROM sync_run WHERE "user"='demo' AND time >= ${Math.floor(failedAt / 1000)}s`, env.INFLUX_BUCKET));
    expect(ok.some((r) => r.success === 1)).toBe(true);
  }, 120_000);

  it('exits 0 on SIGTERM, having logged no secret', async () => {
    const daemon = await daemonRunning();
    // The helper SIGKILLs after 30 s (code null); the exit time is a figure of `npm run bench`.
    const { code } = await daemon.stop('SIGTERM');
    expect(code).toBe(0);
    for (const secret of [env.INFLUX_TOKEN!, DEMO_PASSWORD]) expect(daemon.logs()).not.toContain(secret);
  }, 30_000);
});
