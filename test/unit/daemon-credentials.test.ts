// The daemon's side of the credentials check (src/daemon/credentials.ts): what the checks a
// worker sends back do to the status rows and /metrics, and a check that cannot run at all.
import { describe, expect, it } from 'vitest';
import { createCredentials, type CredentialsCheck } from '../../src/daemon/credentials.js';
import { createMetrics } from '../../src/daemon/metrics.js';
import { createLogger } from '../../src/log.js';
import { T0, statusWith } from '../support/daemon-fixtures.js';
import { captureLogs } from '../support/log-capture.js';

const SECRET = 'hunter2-huami-password';

function setup(check: () => Promise<CredentialsCheck[]>, logger = createLogger('silent')) {
  const status = statusWith(['alice', 'bob']);
  const metrics = createMetrics({ demo: false, defaultMetrics: false });
  const credentials = createCredentials({ status, metrics, logger, now: () => T0, secrets: [SECRET], isRunning: () => false, check });
  return { status, metrics, credentials };
}

describe('credentials check results', () => {
  it('records token times, leaves a network hiccup alone and shows a refused login without its secret', async () => {
    const exp = T0 + 30 * 86_400_000;
    const { status, metrics, credentials } = setup(async () => [
      { row: { name: 'alice', key: 'alice', unidentified: false }, ok: true, obtainedAt: T0 - 60_000, expiresAt: exp },
      { row: { name: 'bob', key: 'bob', unidentified: false }, ok: false, code: 'HUAMI_NETWORK', message: 'ECONNRESET', retryable: true },
    ]);
    await credentials.refresh();
    const [alice, bob] = status.snapshot().accounts;
    expect(alice).toMatchObject({ tokenObtainedAt: T0 - 60_000, tokenExpiresAt: exp });
    expect(alice?.credentialsError).toBeUndefined();
    expect(bob?.credentialsError).toBeUndefined();
    expect(await metrics.registry.metrics()).toContain(`mifit_sync_token_expiry_timestamp_seconds{account="alice"} ${exp / 1000}`);

    const refused = setup(async () => [{ row: { name: 'bob', key: 'bob', unidentified: false }, ok: false, code: 'HUAMI_AUTH_WRONG_PASSWORD', message: `wrong password ${SECRET}`, retryable: false }]);
    await refused.credentials.refresh();
    const row = refused.status.snapshot().accounts.find((a) => a.account === 'bob');
    expect(row?.credentialsError).toEqual({ code: 'HUAMI_AUTH_WRONG_PASSWORD', message: 'wrong password [redacted]', at: T0 });
  });

  it('does not throw when the check cannot run (its worker died): it logs why and records nothing', async () => {
    const cap = captureLogs();
    const died = Object.assign(new Error('the sync worker exited with signal SIGKILL (out of memory?)'), { code: 'SYNC_WORKER_EXITED' });
    const { status, credentials } = setup(() => Promise.reject(died), cap.logger);
    await expect(credentials.refresh()).resolves.toBeUndefined();
    expect(status.snapshot().accounts.every((a) => a.credentialsError === undefined && a.tokenExpiresAt === undefined)).toBe(true);
    expect(cap.records().some((l) => l.code === 'SYNC_WORKER_EXITED' && l.msg === 'credentials check not possible right now')).toBe(true);
  });
});
