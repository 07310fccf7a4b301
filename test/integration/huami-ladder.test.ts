// The real client against the fake auth endpoints over real HTTP: each login flow, wrong
// password, login 429 with its long backoff, and every rung of the refresh ladder.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_USER_ID } from '../../src/fake/accounts.js';
import { HuamiError } from '../../src/fetch/errors.js';
import { demoAccount, makeClient, storedSecrets, tempStateDir } from '../support/auth-client.js';
import { useFakeServer } from '../support/fake-server.js';
import { captureLogs } from '../support/log-capture.js';
import { accountKey } from '../../src/store/identity.js';
import { DEMO_EMAIL } from '../../src/fake/accounts.js';
/** The demo account's state folder: named after its e-mail, not its name. */
const DEMO_KEY = accountKey({ email: DEMO_EMAIL, userId: '' });

const logs = captureLogs();
const seenSecrets: string[] = [DEMO_PASSWORD];
const srv = useFakeServer('test', { quiet: true });
let stateDir: string;

beforeEach(() => {
  stateDir = tempStateDir();
});
afterEach(() => {
  seenSecrets.push(...storedSecrets(stateDir));
});
afterAll(() => {
  // No password, token or access code in any log line of these tests (trace level).
  expect(logs.lines().length).toBeGreaterThan(20);
  logs.assertNoSecrets(seenSecrets);
});

async function rejection(p: Promise<unknown>): Promise<HuamiError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HuamiError);
  return err as HuamiError;
}

describe('login flows', () => {
  it('logs in with the encrypted flow first and stores the token set', async () => {
    const { client } = makeClient(srv.url, stateDir, logs);
    const status = await client.ensureCredentials();
    expect(status).toMatchObject({ userId: DEMO_USER_ID, via: 'password', region: 'eu-central-1', countryCode: 'DE', dataHost: 'api-mifit-de2.huami.com' });
    expect(srv.accounts.counters).toMatchObject({ encrypted: 1, legacy: 0, clientLogin: 1 });
    expect(status.appTokenExpiresAt).toBeGreaterThan(Date.now() + 29 * 86_400_000);
  });

  it('falls back to the legacy flow when the encrypted one is refused', async () => {
    srv.accounts.failFlow.encrypted = 400;
    const { client } = makeClient(srv.url, stateDir, logs);
    expect((await client.ensureCredentials()).via).toBe('password');
    expect(srv.accounts.counters).toMatchObject({ encrypted: 0, legacy: 1, clientLogin: 1 });
  });

  it('HUAMI_LOGIN_FLOW=encrypted does not fall back', async () => {
    srv.accounts.failFlow.encrypted = 400;
    const { client } = makeClient(srv.url, stateDir, logs, { loginFlow: 'encrypted' });
    expect((await rejection(client.ensureCredentials())).code).toBe('HUAMI_LOGIN_FAILED');
    expect(srv.accounts.counters.legacy).toBe(0);
  });

  it('a wrong password is a clear error, tried on one flow only', async () => {
    const { client } = makeClient(srv.url, stateDir, logs, { account: demoAccount({ password: 'not-the-password' }) });
    const err = await rejection(client.ensureCredentials());
    expect(err.code).toBe('HUAMI_AUTH_WRONG_PASSWORD');
    expect(err.message).toMatch(/e-mail or password rejected \(error=401, region eu-central-1\)/);
    expect(err.message).not.toContain('not-the-password');
    expect(srv.accounts.counters).toMatchObject({ encrypted: 1, legacy: 0 });
  });

  it('uses a supplied app token + user id without any login', async () => {
    const token = srv.accounts.issueAppToken(DEMO_USER_ID);
    seenSecrets.push(token);
    const { client } = makeClient(srv.url, stateDir, logs, { account: demoAccount({ email: '', password: '', appToken: token, userId: DEMO_USER_ID }) });
    expect(await client.ensureCredentials()).toMatchObject({ via: 'configured', userId: DEMO_USER_ID, appTokenSource: 'configured', dataHost: 'api-mifit.huami.com' });
    expect(srv.accounts.counters).toMatchObject({ encrypted: 0, legacy: 0, clientLogin: 0 });
  });

  it('a rejected supplied app token without a password says how to get a new one', async () => {
    const { client } = makeClient(srv.url, stateDir, logs, { account: demoAccount({ email: '', password: '', appToken: 'AT_stale_token', userId: DEMO_USER_ID }) });
    const err = await rejection(client.ensureCredentials());
    expect(err.code).toBe('HUAMI_TOKEN_EXPIRED');
    expect(err.message).toContain('Obtaining a token');
  });
});

describe('login rate limit (429)', () => {
  it('stores a backoff of HUAMI_LOGIN_BACKOFF_HOURS and makes no second attempt within it', async () => {
    srv.accounts.loginRateLimit = { max: 0, windowSeconds: 3600 };
    const { client } = makeClient(srv.url, stateDir, logs);
    const before = Date.now();
    const err = await rejection(client.ensureCredentials());
    expect(err.code).toBe('HUAMI_LOGIN_RATE_LIMITED');
    const stored = JSON.parse(readFileSync(join(stateDir, DEMO_KEY, 'tokens.json'), 'utf8')) as { loginBlockedUntil: number };
    expect(stored.loginBlockedUntil).toBeGreaterThanOrEqual(before + 6 * 3_600_000);
    expect(err.message).toContain(`rate limited until ${new Date(stored.loginBlockedUntil).toISOString()}`);
    // The other flow shares the IP limit: not tried.
    expect(srv.accounts.rateLimited).toBe(1);

    const again = makeClient(srv.url, stateDir, logs).client; // a new run, e.g. after a restart
    const err2 = await rejection(again.ensureCredentials());
    expect(err2.code).toBe('HUAMI_LOGIN_RATE_LIMITED');
    expect(err2.message).toContain(new Date(stored.loginBlockedUntil).toISOString());
    expect(again.requestCount).toBe(0);
    expect(srv.accounts.rateLimited).toBe(1);

    // After the window the next run logs in again.
    const later = makeClient(srv.url, stateDir, logs, { now: () => stored.loginBlockedUntil + 1 }).client;
    srv.accounts.loginRateLimit = undefined;
    expect((await later.ensureCredentials()).via).toBe('password');
  });
});

describe('refresh ladder', () => {
  async function loggedIn() {
    await makeClient(srv.url, stateDir, logs).client.ensureCredentials();
    srv.accounts.counters.encrypted = srv.accounts.counters.clientLogin = 0;
    return makeClient(srv.url, stateDir, logs); // the next run: tokens from the store only
  }

  it('reuses a working stored app token with zero logins', async () => {
    const { client, hosts } = await loggedIn();
    expect((await client.ensureCredentials()).via).toBe('stored');
    expect(srv.accounts.counters).toMatchObject({ encrypted: 0, legacy: 0, clientLogin: 0, appTokens: 0 });
    expect(hosts.map((h) => `${h.host}${h.path}`)).toEqual([`api-mifit-de2.huami.com/users/${DEMO_USER_ID}/devices`]);
  });

  it('expired app token → new one from the login token, no login', async () => {
    const { client, hosts } = await loggedIn();
    srv.accounts.expireAppTokens(DEMO_USER_ID);
    expect((await client.ensureCredentials()).via).toBe('app-tokens');
    expect(srv.accounts.counters).toMatchObject({ encrypted: 0, clientLogin: 0, appTokens: 1 });
    // app_tokens goes to the regional account host from `domains`
    expect(hosts.map((h) => h.host)).toContain('account-de2.huami.com');
    const again = makeClient(srv.url, stateDir, logs).client;
    expect((await again.ensureCredentials()).via).toBe('stored');
  });

  it('renews the app token from the login token ahead of its expiry, and not earlier', async () => {
    await loggedIn();
    const stored = JSON.parse(readFileSync(join(stateDir, DEMO_KEY, 'tokens.json'), 'utf8')) as { appToken: string; appTokenObtainedAt: number; appTokenExpiresAt: number };
    const early = makeClient(srv.url, stateDir, logs, { now: () => stored.appTokenObtainedAt + 3_600_000 }).client;
    expect((await early.ensureCredentials()).via).toBe('stored');
    expect(srv.accounts.counters.appTokens).toBe(0);
    const late = makeClient(srv.url, stateDir, logs, { now: () => stored.appTokenExpiresAt - 3_600_000 }).client;
    const status = await late.ensureCredentials();
    expect(status.via).toBe('app-tokens');
    expect(srv.accounts.counters).toMatchObject({ encrypted: 0, legacy: 0, clientLogin: 0, appTokens: 1 });
    const renewed = JSON.parse(readFileSync(join(stateDir, DEMO_KEY, 'tokens.json'), 'utf8')) as { appToken: string; appTokenExpiresAt: number };
    expect(renewed.appToken).not.toBe(stored.appToken);
    expect(renewed.appTokenExpiresAt).toBeGreaterThan(stored.appTokenExpiresAt);
  });

  it('invalid login token → the stored access code is exchanged again, no password', async () => {
    const { client } = await loggedIn();
    srv.accounts.expireAppTokens(DEMO_USER_ID);
    srv.accounts.expireLoginTokens(DEMO_USER_ID);
    expect((await client.ensureCredentials()).via).toBe('access-code');
    expect(srv.accounts.counters).toMatchObject({ encrypted: 0, legacy: 0, clientLogin: 1 });
  });

  it('expired access code → a full password login', async () => {
    const { client } = await loggedIn();
    srv.accounts.revoke(DEMO_USER_ID);
    expect((await client.ensureCredentials()).via).toBe('password');
    expect(srv.accounts.counters).toMatchObject({ encrypted: 1, clientLogin: 1 });
  });

  it('an access code past its stored expiration is not even tried', async () => {
    await loggedIn();
    srv.accounts.revoke(DEMO_USER_ID);
    const later = makeClient(srv.url, stateDir, logs, { now: () => Date.now() + 11 * 86_400_000 }).client;
    expect((await later.ensureCredentials()).via).toBe('password');
    expect(srv.accounts.counters.clientLogin).toBe(1); // only the login's own exchange
  });

  it('the daemon app name leaves the phone app session alone; the phone app name kicks it', async () => {
    const phone = srv.accounts.issueAppToken(DEMO_USER_ID, 'com.huami.midong');
    await makeClient(srv.url, stateDir, logs).client.ensureCredentials();
    expect(srv.accounts.checkAppToken(phone)).toEqual({ userId: DEMO_USER_ID });
    await makeClient(srv.url, tempStateDir(), logs, { appName: 'com.huami.midong' }).client.ensureCredentials();
    expect(srv.accounts.checkAppToken(phone)).toBe('expired');
  });
});
