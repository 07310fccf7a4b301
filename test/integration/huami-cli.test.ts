// `mifit-sync login` and `mifit-sync status` as a user runs them: the built CLI
// (npm test builds first; run `tsc -p tsconfig.build.json` before running this alone).
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeServer, type FakeServer } from '../../src/fake/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_EMAIL, DEMO_PASSWORD, DEMO_USER_ID } from '../../src/fake/accounts.js';
import { tempStateDir } from '../support/auth-client.js';
import { archiveLog } from '../support/log-archive.js';
import { accountKey } from '../../src/store/identity.js';
/** The demo account's state folder: named after its e-mail, not its name. */
const DEMO_KEY = accountKey({ email: DEMO_EMAIL, userId: '' });

const CLI = join(import.meta.dirname, '../../dist/cli.js');

function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 30_000 }, (err, stdout, stderr) => {
      archiveLog(args[0] ?? 'cli', stdout + stderr);
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

let srv: FakeServer;
let stateDir: string;
let env: Record<string, string>;
beforeAll(async () => {
  srv = await startFakeServer({ quiet: true });
  stateDir = tempStateDir();
  env = { HUAMI_BASE_URL: srv.url, HUAMI_EMAIL: DEMO_EMAIL, HUAMI_PASSWORD: DEMO_PASSWORD, STATE_DIR: stateDir, ACCOUNT_NAME: 'demo', LOG_LEVEL: 'debug' };
});
afterAll(async () => {
  await srv.close();
});

describe('mifit-sync login / status', () => {
  it('login stores tokens and prints user id, region and token expiry, and no secret', async () => {
    const r = await cli(['login'], env);
    expect(r.stderr).not.toMatch(/login failed/);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`user id:          ${DEMO_USER_ID}`);
    expect(r.stdout).toContain('region:           eu-central-1 (DE), data host api-mifit-de2.huami.com');
    expect(r.stdout).toMatch(/app token expiry: \d{4}-\d{2}-\d{2}T/);
    const tokens = JSON.parse(readFileSync(join(stateDir, DEMO_KEY, 'tokens.json'), 'utf8')) as Record<string, string>;
    for (const secret of [DEMO_PASSWORD, tokens.appToken, tokens.loginToken, tokens.accessCode]) {
      expect(r.stdout + r.stderr).not.toContain(secret);
    }
  });

  it('a second login reuses the stored token (no password login)', async () => {
    const before = srv.accounts.counters.encrypted;
    const r = await cli(['login'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('stored token still valid');
    expect(srv.accounts.counters.encrypted).toBe(before);
  });

  it('status --json shows token age, expiry, backoff and the last written day', async () => {
    mkdirSync(join(stateDir, DEMO_KEY, 'days'), { recursive: true });
    writeFileSync(join(stateDir, DEMO_KEY, 'days', '2026-02-05.json'), JSON.stringify({ writtenAt: 1 }));
    writeFileSync(join(stateDir, DEMO_KEY, 'days', '2026-02-06.json'), JSON.stringify({ fetchedAt: 1 })); // fetched, not written
    const r = await cli(['status', '--json'], env);
    expect(r.code).toBe(0);
    const [s] = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(s).toMatchObject({ account: 'demo', userId: DEMO_USER_ID, region: 'eu-central-1', appTokenSource: 'login', loginBlockedUntil: null, lastWrittenDay: '2026-02-05' });
    expect(s?.appTokenAgeSeconds).toBeGreaterThanOrEqual(0);
    expect(Date.parse(String(s?.appTokenExpiresAt))).toBeGreaterThan(Date.now());
  });

  it("status shows local times in the account's zone, like the status page", async () => {
    const zone = 'America/New_York';
    const json = JSON.parse((await cli(['status', '--json'], { ...env, TIMEZONE: zone })).stdout) as { appTokenExpiresAt: string; timezone: string }[];
    expect(json[0]?.timezone).toBe(zone);
    const r = await cli(['status'], { ...env, TIMEZONE: zone });
    expect(r.code).toBe(0);
    // The expected text from Intl (not the code under test): "2026-02-06 09:03 -05:00".
    const exp = new Date(json[0]!.appTokenExpiresAt);
    const part = (o: Intl.DateTimeFormatOptions): string => new Intl.DateTimeFormat('en-CA', { timeZone: zone, ...o }).format(exp);
    const day = part({ year: 'numeric', month: '2-digit', day: '2-digit' });
    const time = part({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    const offset = part({ timeZoneName: 'longOffset' }).replace(/^.*GMT/, '');
    expect(r.stdout).toContain(`app token:     obtained `);
    expect(r.stdout).toContain(`expires ${day} ${time} ${offset} (in `);
    expect(r.stdout).toContain(`times in ${zone}`);
    expect(r.stdout).not.toContain(json[0]!.appTokenExpiresAt);
  });

  it('status prints a readable block and points to login when nothing is stored', async () => {
    const r = await cli(['status'], { ...env, STATE_DIR: tempStateDir() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no token stored: run "mifit-sync login"');
    expect(r.stdout).toContain('synced up to:  none yet');
  });

  it('login without any configured account and without a terminal exits 2 and says what to set', async () => {
    const r = await cli(['login'], { STATE_DIR: tempStateDir(), HUAMI_BASE_URL: srv.url });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Set HUAMI_EMAIL + HUAMI_PASSWORD');
  });

  it('a wrong password exits 1 with the error code and without the password', async () => {
    const r = await cli(['login'], { ...env, STATE_DIR: tempStateDir(), HUAMI_PASSWORD: 'wrong-password-123' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[HUAMI_AUTH_WRONG_PASSWORD]');
    expect(r.stderr + r.stdout).not.toContain('wrong-password-123');
  });
});
