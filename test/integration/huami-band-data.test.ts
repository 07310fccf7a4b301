// band_data downloads by the real client from the full fake cloud over real HTTP:
// chunking, region selection from `domains`, one refresh on a 401 mid-download, retries
// on 429 (honouring Retry-After), 5xx bursts and resets, and a schema mismatch naming the day.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_USER_ID, startFakeServer, type FakeServer } from '../../src/fake/index.js';
import { HuamiError } from '../../src/fetch/errors.js';
import { demoAccount, makeClient, storedSecrets, tempStateDir } from '../support/auth-client.js';
import { startAuthServer } from '../support/auth-server.js';
import { captureLogs } from '../support/log-capture.js';

const logs = captureLogs();
const secrets: string[] = [DEMO_PASSWORD];
let srv: FakeServer;
const FROM = '2026-01-01';
const TO = '2026-01-10';
const NOW = () => new Date('2026-02-01T12:00:00Z');

beforeEach(async () => {
  srv = await startFakeServer({ seed: 7, from: '2025-12-01', now: NOW, quiet: true });
});
afterEach(async () => {
  await srv.close();
});
afterAll(() => {
  expect(logs.lines().length).toBeGreaterThan(10);
  logs.assertNoSecrets(secrets);
});

const bandCalls = () => srv.requests.filter((r) => r.path === '/v1/data/band_data.json');

const stateDirs: string[] = [];
function client(over: Parameters<typeof makeClient>[3] = {}) {
  const dir = tempStateDir();
  stateDirs.push(dir);
  return makeClient(srv.url, dir, logs, { chunkDays: 4, ...over });
}

afterEach(() => {
  // every token and access code any client held, and the login tokens seen in URLs
  for (const d of stateDirs.splice(0)) secrets.push(...storedSecrets(d));
  for (const r of srv.requests) if (r.query.login_token) secrets.push(r.query.login_token);
});

describe('getBandData', () => {
  it('fetches the range in chunks from the regional data host picked from `domains`', async () => {
    const { client: c, hosts } = client();
    const items = await c.getBandData(FROM, TO, 'summary');
    expect(items.map((i) => i.date_time)).toEqual(['01', '02', '03', '04', '05', '06', '07', '08', '09', '10'].map((d) => `2026-01-${d}`));
    expect(items[0]).toMatchObject({ uid: DEMO_USER_ID, summary: expect.any(String) });
    expect(items[0]).not.toHaveProperty('data_hr');
    expect(bandCalls().map((r) => [r.query.from_date, r.query.to_date])).toEqual([
      ['2026-01-01', '2026-01-04'],
      ['2026-01-05', '2026-01-08'],
      ['2026-01-09', '2026-01-10'],
    ]);
    expect(bandCalls().every((r) => r.query.query_type === 'summary' && r.query.userid === DEMO_USER_ID)).toBe(true);
    expect(new Set(hosts.filter((h) => h.path === '/v1/data/band_data.json').map((h) => h.host))).toEqual(new Set(['api-mifit-de2.huami.com']));
  });

  it('picks the US host for a us-west-2 account', async () => {
    srv.accounts.add({ email: 'us@example.com', password: 'us-password-1', userId: '1000000002', region: 'us-west-2', countryCode: 'US', timezone: 'America/New_York' });
    secrets.push('us-password-1');
    const { client: c, hosts } = client({ account: demoAccount({ name: 'us', email: 'us@example.com', password: 'us-password-1' }) });
    await c.getBandData('2026-01-05', '2026-01-05', 'summary');
    expect(c.tokenStatus()).toMatchObject({ region: 'us-west-2', countryCode: 'US', dataHost: 'api-mifit-us2.huami.com' });
    expect(hosts.find((h) => h.path === '/v1/data/band_data.json')?.host).toBe('api-mifit-us2.huami.com');
  });

  it('detail adds data and data_hr as base64 strings', async () => {
    const { client: c } = client();
    const [d] = await c.getBandData('2026-01-03', '2026-01-03', 'detail');
    expect(d?.date_time).toBe('2026-01-03');
    expect(Buffer.from(d?.data_hr ?? '', 'base64')).toHaveLength(1440);
  });

  it('a 401 mid-download refreshes once from the login token and the data is complete', async () => {
    const reference = await client().client.getBandData(FROM, TO, 'summary');
    srv.requests.length = 0;
    let expired = false;
    const { client: c } = client({
      onRequest: (info) => {
        if (info.path === '/v1/data/band_data.json' && !expired) {
          expired = true;
          srv.accounts.expireAppTokens(DEMO_USER_ID); // dies after the first chunk
        }
      },
    });
    const items = await c.getBandData(FROM, TO, 'summary');
    expect(items).toEqual(reference);
    expect(bandCalls().map((r) => r.status)).toEqual([200, 401, 200, 200]);
    expect(srv.requests.filter((r) => r.path === '/v1/client/app_tokens')).toHaveLength(1);
    expect(c.tokenStatus()?.via).toBe('app-tokens');
  });

  it('a 401 after the one refresh of a download is an error, not a loop', async () => {
    const { client: c } = client({ onRequest: (info) => info.path === '/v1/data/band_data.json' && srv.accounts.expireAppTokens(DEMO_USER_ID) });
    const err = (await c.getBandData(FROM, TO, 'summary').catch((e: unknown) => e)) as HuamiError;
    expect(err.code).toBe('HUAMI_TOKEN_EXPIRED');
    // chunk 1 ok, chunk 2: 401 → one refresh → ok, chunk 3: 401 again → no second refresh
    expect(bandCalls().map((r) => r.status)).toEqual([200, 401, 200, 401]);
    expect(srv.requests.filter((r) => r.path === '/v1/client/app_tokens')).toHaveLength(1);
  });

  it('429 with Retry-After is waited out and retried', async () => {
    srv.faults.rateLimit({ count: 2, retryAfterSeconds: 1, paths: ['/v1/data/band_data.json'] });
    const { client: c } = client();
    const mark = logs.records().length;
    const items = await c.getBandData(FROM, TO, 'summary');
    // The waits the client chose: the server's 1 s each time (read from its own retry lines, not the clock).
    const waits = logs.records().slice(mark).filter((r) => r.msg === 'huami request failed; retrying').map((r) => r.delayMs);
    expect(waits).toEqual([1000, 1000]);
    expect(items).toHaveLength(10);
    expect(bandCalls().map((r) => r.status)).toEqual([429, 429, 200, 200, 200]);
  });

  it('a burst of 5xx and a connection reset are retried with backoff', async () => {
    srv.faults.serverErrors({ count: 2, status: 503, paths: ['/v1/data/band_data.json'] });
    const { client: c } = client();
    expect(await c.getBandData(FROM, TO, 'summary')).toHaveLength(10);
    srv.faults.reset({ count: 1, paths: ['/v1/data/band_data.json'] });
    expect(await c.getBandData(FROM, FROM, 'summary')).toHaveLength(1);
    expect(bandCalls().map((r) => r.status)).toEqual([503, 503, 200, 200, 200, 0, 200]);
  });

  it('a request slower than HUAMI_TIMEOUT_MS times out and is retried', async () => {
    const { client: c } = client({ timeoutMs: 300 });
    await c.ensureCredentials();
    srv.faults.slow({ ms: 1000, count: 1, paths: ['/v1/data/band_data.json'] });
    expect(await c.getBandData(FROM, FROM, 'summary')).toHaveLength(1);
    expect(bandCalls().filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(1);
    expect(logs.records().some((r) => r.msg === 'huami request failed; retrying' && r.status === 'error')).toBe(true);
  });

  it('more 5xx than HUAMI_MAX_RETRIES is a retryable HUAMI_HTTP error with the remote excerpt', async () => {
    srv.faults.serverErrors({ count: 10, status: 502, paths: ['/v1/data/band_data.json'] });
    const { client: c } = client({ maxRetries: 2 });
    const err = (await c.getBandData(FROM, TO, 'summary').catch((e: unknown) => e)) as HuamiError;
    expect(err).toBeInstanceOf(HuamiError);
    expect(err).toMatchObject({ code: 'HUAMI_HTTP', status: 502, retryable: true });
    expect(err.message).toContain('-50000');
    expect(bandCalls()).toHaveLength(3);
  });
});

describe('schema mismatch', () => {
  it('names the day and the field path', async () => {
    const auth = await startAuthServer({}, (_req, res, url) => {
      if (url.pathname !== '/v1/data/band_data.json') return false;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 1, message: 'success', data: [{ date_time: '2026-01-01', summary: 'e30=' }, { date_time: '2026-01-02', summary: { v: 6 } }] }));
      return true;
    });
    try {
      const { client: c } = makeClient(auth.url, tempStateDir(), logs);
      const err = (await c.getBandData(FROM, TO, 'summary').catch((e: unknown) => e)) as HuamiError;
      expect(err.code).toBe('HUAMI_SCHEMA_MISMATCH');
      expect(err.message).toMatch(/day 2026-01-02, data\[1\]\.summary: .*expected string/);
    } finally {
      await auth.close();
    }
  });
});
