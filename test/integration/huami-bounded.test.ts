// Bounded answers and cancellable back-off, by the real client against the fake cloud over
// real HTTP: an answer over HUAMI_MAX_RESPONSE_MB is aborted while streaming (announced by
// its Content-Length or only counted), a body cut off half way is retried like a 5xx, and
// the shutdown signal ends a back-off wait at once.
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEMO_PASSWORD, DEMO_USER_ID, startFakeServer, type FakeServer } from '../../src/fake/index.js';
import { HuamiError } from '../../src/fetch/errors.js';
import { makeClient, storedSecrets, tempStateDir } from '../support/auth-client.js';
import { captureLogs } from '../support/log-capture.js';

const logs = captureLogs();
const secrets: string[] = [DEMO_PASSWORD];
const BAND = '/v1/data/band_data.json';
const DAY = '2026-01-05';
const MB = 1024 * 1024;
let srv: FakeServer;
const dirs: string[] = [];

beforeEach(async () => {
  srv = await startFakeServer({ seed: 7, from: '2025-12-01', now: () => new Date('2026-02-01T12:00:00Z'), quiet: true });
});
afterEach(async () => {
  for (const d of dirs.splice(0)) secrets.push(...storedSecrets(d));
  await srv.close();
});
afterAll(() => logs.assertNoSecrets(secrets));

const bandCalls = () => srv.requests.filter((r) => r.path === BAND);
function client(over: Parameters<typeof makeClient>[3] = {}) {
  const dir = tempStateDir();
  dirs.push(dir);
  return makeClient(srv.url, dir, logs, over);
}
const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as HuamiError);

describe('HUAMI_MAX_RESPONSE_MB', () => {
  it('refuses an answer whose Content-Length is over the limit, without retrying', async () => {
    const { client: c, hosts } = client({ maxResponseMb: 2 });
    await c.ensureCredentials();
    srv.faults.oversized({ bytes: 300 * MB, paths: [BAND] });
    const err = await failure(c.getBandData(DAY, DAY, 'detail'));
    expect(err).toBeInstanceOf(HuamiError);
    expect(err).toMatchObject({ code: 'HUAMI_RESPONSE_TOO_LARGE', retryable: false, status: 200 });
    expect(err?.message).toContain('announced 300.0 MB, over the limit of 2 MB (HUAMI_MAX_RESPONSE_MB)');
    expect(err?.message).toContain('HUAMI_CHUNK_DAYS');
    // Not retried; the server saw the download aborted (it logs a request once its connection closes).
    await vi.waitFor(() => expect(bandCalls().map((r) => r.status)).toEqual([0]));
    expect(hosts.filter((h) => h.path === BAND).map((h) => h.status)).toEqual([200]); // counted once, by its status
  });

  it('counts the bytes of an answer without Content-Length and aborts past the limit', async () => {
    const { client: c } = client({ maxResponseMb: 1 });
    await c.ensureCredentials();
    srv.faults.oversized({ bytes: 50 * MB, chunked: true, paths: [BAND] });
    const err = await failure(c.getBandData(DAY, DAY, 'detail'));
    expect(err).toMatchObject({ code: 'HUAMI_RESPONSE_TOO_LARGE', retryable: false });
    expect(err?.message).toContain('sent more than 1 MB, over the limit of 1 MB (HUAMI_MAX_RESPONSE_MB)');
    await vi.waitFor(() => expect(bandCalls().map((r) => r.status)).toEqual([0]));
  });

  it('reads an answer of exactly the limit (which then fails only on its shape)', async () => {
    const { client: c } = client({ maxResponseMb: 1 });
    await c.ensureCredentials();
    srv.faults.oversized({ bytes: MB, count: 1, chunked: true, paths: [BAND] });
    const err = await failure(c.getBandData(DAY, DAY, 'detail'));
    expect(err?.code).toBe('HUAMI_SCHEMA_MISMATCH');
  });

  it('the default limit lets a 30-day detail chunk through', async () => {
    const { client: c } = client();
    const items = await c.getBandData('2026-01-01', '2026-01-30', 'detail');
    const served = Array.from({ length: 30 }, (_, i) => `2026-01-${String(i + 1).padStart(2, '0')}`).filter((d) => srv.data.day(DEMO_USER_ID, d));
    expect(items.map((i) => i.date_time)).toEqual(served);
  });
});

describe('truncated answers and resets', () => {
  it('a body cut off before its Content-Length is retried like a 5xx', async () => {
    const { client: c } = client();
    await c.ensureCredentials();
    srv.faults.truncated({ count: 2, paths: [BAND] });
    expect(await c.getBandData(DAY, DAY, 'summary')).toHaveLength(1);
    expect(bandCalls().map((r) => r.status)).toEqual([0, 0, 200]);
    expect(logs.records().some((r) => r.msg === 'huami request failed; retrying' && r.status === 'error')).toBe(true);
  });

  it('more truncated bodies than HUAMI_MAX_RETRIES is a retryable HUAMI_NETWORK error naming the cause', async () => {
    const { client: c } = client({ maxRetries: 1 });
    await c.ensureCredentials();
    srv.faults.truncated({ count: 5, paths: [BAND] });
    const err = await failure(c.getBandData(DAY, DAY, 'summary'));
    expect(err).toMatchObject({ code: 'HUAMI_NETWORK', retryable: true });
    expect(err?.message).toContain('ERR_HTTP_CONTENT_LENGTH_MISMATCH');
    expect(bandCalls()).toHaveLength(2);
  });
});

describe('the shutdown signal', () => {
  it('ends a back-off wait at once: the request fails retryable, with no further attempt', async () => {
    const ctl = new AbortController();
    // 30 s (the cap) before the next attempt: only the signal can end this wait within the test's timeout.
    const { client: c } = client({ retryBaseMs: 3_600_000, signal: ctl.signal });
    await c.ensureCredentials();
    srv.faults.serverErrors({ count: 10, status: 503, paths: [BAND] });
    const pending = failure(c.getBandData(DAY, DAY, 'summary'));
    await vi.waitFor(() => expect(logs.records().some((r) => r.msg === 'huami request failed; retrying' && r.delayMs === 30_000)).toBe(true));
    ctl.abort();
    const err = await pending;
    expect(err).toMatchObject({ code: 'HUAMI_HTTP', status: 503, retryable: true });
    expect(err?.message).toContain('stopped retrying: shutting down');
    expect(bandCalls()).toHaveLength(1);
  }, 10_000);
});
