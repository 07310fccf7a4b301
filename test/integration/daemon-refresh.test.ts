// The credentials check that REFRESH_SCHEDULE runs, against the fake Huami cloud over real
// HTTP: a good account gets its token times on the status, a wrong password turns /healthz
// 503 with the plain error code, and neither the password nor a token reaches any page; the same
// with the check in the sync worker process (SYNC_WORKER=process, over IPC) and in the daemon's own.
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { startDaemon, type Daemon } from '../../src/daemon/index.js';
import { DEMO_EMAIL, DEMO_PASSWORD, startFakeServer, type FakeServer } from '../../src/fake/index.js';
import { createLogger } from '../../src/log.js';
import { createTestDatabase } from '../support/influxd.js';
import { tempDir } from '../support/tmp.js';
import { ensureBuilt, ROOT } from '../support/daemon-cli.js';

let fake: FakeServer | undefined;
let daemon: Daemon | undefined;
let stateDir: string | undefined;
beforeAll(() => ensureBuilt()); // the worker process runs the built dist/daemon/worker.js
afterEach(async () => {
  await daemon?.stop();
  await fake?.close();
  daemon = fake = stateDir = undefined;
});

async function start(password: string, worker: 'process' | 'inline'): Promise<Daemon> {
  fake = await startFakeServer({ timezone: 'UTC' });
  stateDir = tempDir('mifit-refresh-');
  const db = await createTestDatabase(inject('influxUrl'), 'refresh');
  const config = loadConfig({
    ACCOUNT_NAME: 'demo', HUAMI_EMAIL: DEMO_EMAIL, HUAMI_PASSWORD: password, HUAMI_BASE_URL: fake.url,
    INFLUX_URL: inject('influxUrl'), INFLUX_API_VERSION: '1', INFLUX_DATABASE: db, STATE_DIR: stateDir,
    // Only the credentials check matters here: no sync tick, a start-up run of one day.
    SYNC_START_DATE: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10), SYNC_DETAIL: 'false', HTTP_PORT: '0', SYNC_WORKER: worker,
  });
  daemon = await startDaemon({ config, logger: createLogger('silent'), host: '127.0.0.1', workerEntry: join(ROOT, 'dist/daemon/worker.js'), workerIdleMs: 100 });
  await expect.poll(() => daemon!.snapshot().runCount, { timeout: 30_000 }).toBe(1);
  return daemon;
}

describe.each(['process', 'inline'] as const)('credentials refresh job, SYNC_WORKER=%s', (worker) => {
  it('records the token age and expiry of a working account and stays healthy', async () => {
    const d = await start(DEMO_PASSWORD, worker);
    await d.refreshCredentials();
    const a = d.snapshot().accounts.find((x) => x.account === 'demo');
    expect(a?.credentialsError).toBeUndefined();
    expect(a?.tokenObtainedAt).toBeLessThanOrEqual(Date.now());
    expect(a?.tokenExpiresAt).toBeGreaterThan(Date.now());
    expect((await fetch(`${d.url}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${d.url}/metrics`)).text()).toMatch(/mifit_sync_token_expiry_timestamp_seconds\{account="demo"\} \d{10}/);
    // The worker the check started is let go once idle; inline there is none.
    await vi.waitFor(() => expect(d.workerPid()).toBeUndefined(), { timeout: 10_000, interval: 50 });
  });

  it('turns /healthz 503 with the error code when the password is wrong, without showing it', async () => {
    const wrong = 'definitely-wrong-password';
    const d = await start(wrong, worker);
    await d.refreshCredentials();
    expect(d.snapshot().accounts.find((x) => x.account === 'demo')?.credentialsError?.code).toBe('HUAMI_AUTH_WRONG_PASSWORD');
    const h = (await (await fetch(`${d.url}/healthz`)).json()) as { status: string; reasons: string[] };
    expect(h.status).toBe('failing');
    expect(h.reasons.join('\n')).toMatch(/HUAMI_AUTH_WRONG_PASSWORD/);
    for (const path of ['/', '/api/status', '/metrics', '/healthz']) expect(await (await fetch(`${d.url}${path}`)).text()).not.toContain(wrong);
  });
});
