// The daemon's HTTP contract over real HTTP: /healthz, /metrics, the status page, and the
// "Sync now" button's token and rate limit. runSync is a controllable stand-in here.
import { afterEach, describe, expect, it } from 'vitest';
import { result } from '../support/daemon-fixtures.js';
import { startStubDaemon, type StubDaemon } from '../support/daemon-stub.js';

const PASSWORD = 'hunter2-huami-password';
const AUTH = 'auth-token-9f8e7d';
const INFLUX_TOKEN = 'influx-token-abcdef123';
const ENV = { ACCOUNT_NAME: 'alice', HUAMI_EMAIL: 'alice@example.com', HUAMI_PASSWORD: PASSWORD, INFLUX_TOKEN, INFLUX_BUCKET: 'b', INFLUX_ORG: 'o', HTTP_AUTH_TOKEN: AUTH };

let stub: StubDaemon | undefined;
afterEach(async () => {
  stub?.finish([]);
  await stub?.daemon.stop();
  stub = undefined;
});

const post = (url: string, headers: Record<string, string> = {}, body?: string) => fetch(`${url}/sync`, { method: 'POST', headers, ...(body ? { body } : {}) });
const bearer = { authorization: `Bearer ${AUTH}` };
const get = (url: string, path: string, headers: Record<string, string> = bearer) => fetch(`${url}${path}`, { headers });
const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });
/** Let the start-up run end, so that "Sync now" is not refused as busy. */
async function idle(s: StubDaemon): Promise<void> {
  await s.waitForCalls(1);
  s.finish([result('alice', Date.now())]);
  await expect.poll(() => s.daemon.runner.isRunning()).toBe(false);
}

describe('daemon HTTP', () => {
  it('answers /healthz 503 "starting" until the first run ends, then 200', async () => {
    stub = await startStubDaemon(ENV);
    const { url } = stub.daemon;
    await stub.waitForCalls(1); // the start-up sync
    const before = await fetch(`${url}/healthz`);
    expect(before.status).toBe(503);
    expect(await before.json()).toEqual({ status: 'starting', reasons: ['the first sync has not finished yet'] });
    stub.finish([result('alice', Date.now())]);
    await expect.poll(async () => (await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it('answers /healthz 503 with the reason when the last run failed', async () => {
    stub = await startStubDaemon(ENV);
    await stub.waitForCalls(1);
    stub.finish([result('alice', Date.now(), { error: { code: 'INFLUX_UNREACHABLE', message: 'connect ECONNREFUSED' } })]);
    await expect.poll(async () => (await fetch(`${stub!.daemon.url}/healthz`)).status).toBe(503);
    const body = (await (await fetch(`${stub.daemon.url}/healthz`)).json()) as { status: string; reasons: string[] };
    expect(body.status).toBe('failing');
    expect(body.reasons[0]).toMatch(/alice.*INFLUX_UNREACHABLE/);
  });

  it('serves Prometheus text on /metrics with runs, failures by code and points', async () => {
    stub = await startStubDaemon(ENV);
    await stub.waitForCalls(1);
    stub.finish([result('alice', Date.now(), { error: { code: 'HUAMI_HTTP', message: '502' }, points: 7 })]);
    await expect.poll(() => stub!.daemon.runner.isRunning()).toBe(false);
    const res = await get(stub.daemon.url, '/metrics');
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain('mifit_sync_runs_total{account="alice",result="failure"} 1');
    expect(text).toContain('mifit_sync_failures_total{account="alice",code="HUAMI_HTTP"} 1');
    expect(text).toContain('mifit_sync_points_written_total{account="alice"} 7');
    expect(text).toContain('mifit_sync_demo_mode 0');
    expect(text).toMatch(/# TYPE mifit_sync_huami_requests_total counter/);
  });

  it('"Sync now" needs the bearer token, refuses while a run is going, then allows one press per interval', async () => {
    stub = await startStubDaemon(ENV);
    const { url } = stub.daemon;
    await stub.waitForCalls(1);
    expect((await post(url)).status).toBe(401);
    expect((await post(url, { authorization: 'Bearer wrong' })).status).toBe(401);
    const busy = await post(url, { authorization: `Bearer ${AUTH}` });
    expect(busy.status).toBe(409);
    stub.finish([result('alice', Date.now())]);
    await expect.poll(() => stub!.daemon.runner.isRunning()).toBe(false);
    const ok = await post(url, { authorization: `Bearer ${AUTH}` });
    expect(ok.status).toBe(202);
    expect(await ok.json()).toMatchObject({ status: 'started' });
    await stub.waitForCalls(2);
    stub.finish([result('alice', Date.now())]);
    await expect.poll(() => stub!.daemon.runner.isRunning()).toBe(false);
    const limited = await post(url, { authorization: `Bearer ${AUTH}` });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(50);
    expect(stub.calls()).toBe(2);
  });

  it('accepts the token from the page\'s form field and answers the browser with HTML', async () => {
    stub = await startStubDaemon(ENV, 0);
    await stub.waitForCalls(1);
    stub.finish([result('alice', Date.now())]);
    await expect.poll(() => stub!.daemon.runner.isRunning()).toBe(false);
    const res = await post(stub.daemon.url, { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, new URLSearchParams({ token: AUTH }).toString());
    expect(res.status).toBe(202);
    expect(await res.text()).toContain('data-field="sync-answer" data-status="202"');
    await stub.waitForCalls(2);
  });

  it('never shows a secret on any page, even when an error message carries one', async () => {
    stub = await startStubDaemon(ENV);
    await stub.waitForCalls(1);
    stub.finish([result('alice', Date.now(), { error: { code: 'HUAMI_AUTH_WRONG_PASSWORD', message: `login with ${PASSWORD} failed; influx ${INFLUX_TOKEN}` } })]);
    await expect.poll(() => stub!.daemon.runner.isRunning()).toBe(false);
    for (const path of ['/', '/api/status', '/metrics', '/healthz']) {
      const res = await get(stub.daemon.url, path);
      expect(res.status, path).not.toBe(401);
      const text = await res.text();
      for (const secret of [PASSWORD, AUTH, INFLUX_TOKEN]) expect(text, `${path} shows a secret`).not.toContain(secret);
    }
    const page = await (await get(stub.daemon.url, '/')).text();
    expect(page).toContain('HUAMI_AUTH_WRONG_PASSWORD');
    expect(page).toContain('[redacted]');
  });

  it('answers 404 for unknown paths and 405 for GET /sync', async () => {
    stub = await startStubDaemon(ENV);
    expect((await get(stub.daemon.url, '/nope')).status).toBe(404);
    expect((await get(stub.daemon.url, '/sync')).status).toBe(405);
  });

  it('stops serving after stop()', async () => {
    stub = await startStubDaemon(ENV);
    const { url } = stub.daemon;
    stub.finish([]);
    await stub.daemon.stop();
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});

describe('daemon HTTP: same origin for "Sync now"', () => {
  const OPEN = { ACCOUNT_NAME: 'alice', HUAMI_EMAIL: 'alice@example.com', HUAMI_PASSWORD: PASSWORD }; // no HTTP_AUTH_TOKEN

  it.each([
    ['a cross-site form post (Origin of another site)', { origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' }],
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site', origin: 'http://evil.example' }],
    ['Sec-Fetch-Site: same-site (another port of this host, e.g. Grafana)', { 'sec-fetch-site': 'same-site' }],
    ['Origin: null (sandboxed frame, file:)', { origin: 'null' }],
    ['an Origin with this host but another port', { origin: 'http://127.0.0.1:1' }],
  ])('refuses %s with 403 and starts nothing, without a token configured', async (_name, headers) => {
    stub = await startStubDaemon(OPEN, 0);
    await idle(stub);
    const res = await post(stub.daemon.url, headers);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ status: 'cross_site' });
    expect(stub.calls()).toBe(1);
  });

  it('refuses a cross-site post even when the browser carries the right credentials', async () => {
    stub = await startStubDaemon(ENV, 0);
    await idle(stub);
    const res = await post(stub.daemon.url, { ...basic('me', AUTH), origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' });
    expect(res.status).toBe(403);
    expect(stub.calls()).toBe(1);
  });

  it.each([
    ['a same-origin fetch() (Sec-Fetch-Site: same-origin)', (_u: string) => ({ 'sec-fetch-site': 'same-origin' })],
    ['a form post whose Origin is the page (older browsers without Sec-Fetch-Site)', (u: string) => ({ origin: u })],
    ['a non-browser client (neither header)', (_u: string) => ({})],
  ])('accepts %s', async (_name, headers) => {
    stub = await startStubDaemon(OPEN, 0);
    await idle(stub);
    const res = await post(stub.daemon.url, headers(stub.daemon.url));
    expect(res.status).toBe(202);
    await stub.waitForCalls(2);
  });
});

describe('daemon HTTP: HTTP_AUTH_TOKEN guards every path but /healthz', () => {
  it('refuses /, /api/status and /metrics without the token, with a basic and a bearer challenge', async () => {
    stub = await startStubDaemon(ENV);
    for (const path of ['/', '/api/status', '/metrics']) {
      const res = await get(stub.daemon.url, path, {});
      expect(res.status, path).toBe(401);
      expect(res.headers.get('www-authenticate'), path).toMatch(/^Basic realm="mifit-sync".*, Bearer realm="mifit-sync"$/);
      expect((await get(stub.daemon.url, path, { authorization: 'Bearer wrong-token-0000000' })).status, path).toBe(401);
    }
    expect((await get(stub.daemon.url, '/healthz', {})).status).toBe(503); // open: "starting"
  });

  it('accepts the token as a bearer token (Prometheus) and as the basic-auth password (browsers, any user name)', async () => {
    stub = await startStubDaemon(ENV);
    expect((await get(stub.daemon.url, '/metrics')).status).toBe(200);
    expect((await get(stub.daemon.url, '/api/status')).status).toBe(200);
    const page = await get(stub.daemon.url, '/', basic('anyone', AUTH));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Sync now');
    expect((await get(stub.daemon.url, '/', basic('anyone', 'wrong'))).status).toBe(401);
  });

  it('limits failed authentications on their own: wrong tokens end in 429, the right one still starts a sync', async () => {
    stub = await startStubDaemon(ENV);
    await idle(stub);
    const codes: number[] = [];
    for (let i = 0; i < 22; i++) codes.push((await post(stub.daemon.url, { authorization: `Bearer wrong-${i}` })).status);
    expect(codes.slice(0, 20)).toEqual(Array(20).fill(401));
    expect(codes.slice(20)).toEqual([429, 429]);
    const ok = await post(stub.daemon.url, bearer);
    expect(ok.status).toBe(202);
    await stub.waitForCalls(2);
  });
});

describe('daemon HTTP: the address', () => {
  it('binds HTTP_HOST and reports the address really bound', async () => {
    stub = await startStubDaemon({ ...ENV, HTTP_HOST: '0.0.0.0' });
    expect(stub.daemon.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
    const port = new URL(stub.daemon.url).port;
    expect((await fetch(`http://127.0.0.2:${port}/healthz`)).status).toBe(503);
  });

  it('binds 127.0.0.1 by default (the CLI daemon outside Docker)', async () => {
    stub = await startStubDaemon(ENV);
    expect(stub.daemon.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const port = new URL(stub.daemon.url).port;
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(503);
    // 127.0.0.2 is this machine too, but another address: bound to 0.0.0.0 it would answer.
    await expect(fetch(`http://127.0.0.2:${port}/healthz`)).rejects.toThrow();
  });
});
