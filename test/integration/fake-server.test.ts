// The fake Huami cloud over real HTTP: band_data.json envelope and items exactly as the
// docs/huami-api.md "Response envelope" describes them, the ground truth behind them, 401/400/404 answers, devices and
// profile, and determinism of the served bytes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER_ID, startFakeServer, type FakeServer } from '../../src/fake/index.js';
import { decodeBlob, decodeSummary } from '../support/fake-helpers.js';

const NOW = () => new Date('2026-01-20T12:00:00Z');
let srv: FakeServer;
let token: string;

async function bandData(s: FakeServer, params: Record<string, string>, tok: string | undefined = token): Promise<Response> {
  const q = new URLSearchParams({ query_type: 'summary', userid: DEMO_USER_ID, device_type: 'android_phone', ...params });
  return fetch(`${s.url}/v1/data/band_data.json?${q}`, { headers: tok === undefined ? {} : { apptoken: tok, appPlatform: 'web', appname: 'com.xiaomi.hm.health' } });
}

beforeAll(async () => {
  srv = await startFakeServer({ seed: 1, from: '2025-10-01', now: NOW, quiet: true });
  token = srv.accounts.issueAppToken(DEMO_USER_ID);
});
afterAll(() => srv.close());

describe('fake server: band_data.json', () => {
  it('listens on 127.0.0.1 only', () => {
    expect(srv.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers summary queries with the exact envelope and item keys, summary = ground truth', async () => {
    const res = await bandData(srv, { from_date: '2025-12-01', to_date: '2025-12-31' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as { code: number; message: string; data: Record<string, unknown>[] };
    expect(Object.keys(body)).toEqual(['code', 'message', 'data']);
    expect([body.code, body.message]).toEqual([1, 'success']);
    expect(body.data.length).toBeGreaterThan(20);
    for (const item of body.data) {
      expect(Object.keys(item)).toEqual(['uid', 'data_type', 'date_time', 'source', 'summary', 'device_id', 'uuid']);
      expect(item.uid).toBe(DEMO_USER_ID); // a string, like the real API
      expect(item.data_type).toBe(0);
      const summary = decodeSummary(item.summary as string);
      expect(summary).toEqual(srv.data.day(DEMO_USER_ID, item.date_time as string)?.summary);
      expect(typeof summary.tz).toBe('string');
      expect(summary.v).toBe(6);
    }
  });

  it('adds base64 data (1440×3 bytes) and data_hr (1440 bytes) to detail items, equal to the ground truth', async () => {
    const body = (await (await bandData(srv, { query_type: 'detail', from_date: '2025-12-10', to_date: '2025-12-12' })).json()) as { data: Record<string, string>[] };
    for (const item of body.data) {
      expect(Object.keys(item)).toEqual(['uid', 'data_type', 'date_time', 'source', 'summary', 'device_id', 'uuid', 'data', 'data_hr']);
      const truth = srv.data.day(DEMO_USER_ID, item.date_time as string);
      expect(decodeBlob(item.data as string)).toEqual(Buffer.from(truth?.data ?? []));
      expect(decodeBlob(item.data_hr as string)).toEqual(Buffer.from(truth?.hr ?? []));
      expect(decodeBlob(item.data as string).length).toBe(4320);
    }
  });

  it('omits days without data, days before `from` and future days', async () => {
    const body = (await (await bandData(srv, { from_date: '2025-09-01', to_date: '2026-02-28' })).json()) as { data: { date_time: string }[] };
    const dates = body.data.map((d) => d.date_time);
    expect(dates[0]! >= '2025-10-01').toBe(true);
    expect(dates.at(-1)).toBe('2026-01-20'); // today (server clock) is the last day
    expect(dates.length).toBeLessThan(112); // 2025-10-01..2026-01-20 = 112 days, some not worn
    expect(dates).toEqual(srv.data.days(DEMO_USER_ID, '2025-09-01', '2026-02-28').map((d) => d.date));
  });

  it("serves today's record with a trailing block of 254 in data_hr", async () => {
    const body = (await (await bandData(srv, { query_type: 'detail', from_date: '2026-01-20', to_date: '2026-01-20' })).json()) as { data: Record<string, string>[] };
    const hr = decodeBlob(body.data[0]?.data_hr as string);
    expect(hr.length).toBe(1440);
    expect([...hr.subarray(13 * 60)].every((b) => b === 254)).toBe(true); // after 12:50 local nothing is synced
  });

  it('serves the same bytes for the same seed and different bytes for another seed', async () => {
    const same = await startFakeServer({ seed: 1, from: '2025-10-01', now: NOW });
    const other = await startFakeServer({ seed: 2, from: '2025-10-01', now: NOW });
    try {
      const q = { query_type: 'detail', from_date: '2025-11-01', to_date: '2025-11-07' };
      const a = await (await bandData(srv, q)).text();
      const b = await (await bandData(same, q, same.accounts.issueAppToken(DEMO_USER_ID))).text();
      const c = await (await bandData(other, q, other.accounts.issueAppToken(DEMO_USER_ID))).text();
      expect(b).toBe(a);
      expect(c).not.toBe(a);
    } finally {
      await same.close();
      await other.close();
    }
  });

  it('shows an upstream change made through server.data', async () => {
    srv.data.override(DEMO_USER_ID, '2025-12-05', (day) => { day.summary.stp.ttl = 31_337; });
    try {
      const body = (await (await bandData(srv, { from_date: '2025-12-05', to_date: '2025-12-05' })).json()) as { data: { summary: string }[] };
      expect(decodeSummary(body.data[0]?.summary as string).stp.ttl).toBe(31_337);
    } finally {
      srv.data.reset();
    }
  });

  it('logs every request with method, path, status and query', async () => {
    await bandData(srv, { from_date: '2025-12-01', to_date: '2025-12-01' });
    expect(srv.requests.at(-1)).toMatchObject({ method: 'GET', path: '/v1/data/band_data.json', status: 200, query: { from_date: '2025-12-01', query_type: 'summary' } });
  });
});

describe('fake server: errors', () => {
  it('answers 401 without, with an unknown and with an expired apptoken', async () => {
    const s = await startFakeServer({ now: NOW });
    try {
      const t = s.accounts.issueAppToken(DEMO_USER_ID);
      const q = { from_date: '2026-01-01', to_date: '2026-01-02' };
      expect((await bandData(s, q, t)).status).toBe(200);
      expect((await bandData(s, q, undefined)).status).toBe(401);
      const unknown = await bandData(s, q, 'AT_not_a_token');
      expect([unknown.status, await unknown.json()]).toEqual([401, { code: 0, message: 'invalid token', data: { code: '0102' } }]);
      s.accounts.expireAppTokens(DEMO_USER_ID);
      expect((await bandData(s, q, t)).status).toBe(401);
    } finally {
      await s.close();
    }
  });

  it('plays an empty 401 body and a 200-empty answer for a foreign userid when switched', async () => {
    const s = await startFakeServer({ now: NOW, unauthorizedBody: 'empty', userMismatch: 'empty' });
    try {
      const t = s.accounts.issueAppToken(DEMO_USER_ID);
      const res = await bandData(s, { from_date: '2026-01-01', to_date: '2026-01-02' }, 'nope');
      expect([res.status, await res.text()]).toEqual([401, '']);
      const foreign = await bandData(s, { userid: '1000000099', from_date: '2026-01-01', to_date: '2026-01-02' }, t);
      expect([foreign.status, await foreign.json()]).toEqual([200, { code: 1, message: 'success', data: [] }]);
    } finally {
      await s.close();
    }
  });

  it("answers 401 by default when userid is not the token's user", async () => {
    expect((await bandData(srv, { userid: '1000000099', from_date: '2026-01-01', to_date: '2026-01-02' })).status).toBe(401);
  });

  it.each([
    [{ query_type: 'weekly' }, 'query_type'],
    [{ from_date: '2026-13-01' }, 'from_date'],
    [{ to_date: 'yesterday' }, 'to_date'],
    [{ from_date: '2026-01-05', to_date: '2026-01-01' }, 'to_date'],
    [{ userid: '' }, 'userid'],
  ])('answers 400 naming the bad parameter for %o', async (params, name) => {
    const res = await bandData(srv, { from_date: '2026-01-01', to_date: '2026-01-02', ...params });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ code: 0, message: `invalid parameter: ${name}` });
  });

  it('answers 404 with the routes-not-found body for unknown paths', async () => {
    const res = await fetch(`${srv.url}/v1/nothing/here`, { headers: { apptoken: token } });
    expect([res.status, await res.json()]).toEqual([404, { code: 404, message: 'routes not found' }]);
  });
});

describe('fake server: devices, profile, getUserInfo', () => {
  it('lists the band with additionalInfo as a JSON string and the id band_data uses', async () => {
    const res = await fetch(`${srv.url}/users/${DEMO_USER_ID}/devices?enableMultiDevice=true`, { headers: { apptoken: token } });
    const body = (await res.json()) as { items: Record<string, unknown>[] };
    const dev = body.items[0] as Record<string, unknown>;
    expect(typeof dev.additionalInfo).toBe('string');
    expect(JSON.parse(dev.additionalInfo as string)).toHaveProperty('hardwareVersion');
    for (const k of ['deviceType', 'deviceSource', 'macAddress', 'sn', 'bindingStatus', 'firmwareVersion', 'displayName', 'activeStatus']) expect(dev).toHaveProperty(k);
    expect(dev.deviceId).toBe(srv.data.day(DEMO_USER_ID, '2026-01-10')?.device.deviceId);
  });

  it("serves the profile, and 401 for another user's profile", async () => {
    const me = (await (await fetch(`${srv.url}/users/${DEMO_USER_ID}`, { headers: { apptoken: token } })).json()) as Record<string, unknown>;
    expect(me).toMatchObject({ userId: DEMO_USER_ID, nickName: 'Demo', birthday: '1990-05' });
    expect((await fetch(`${srv.url}/users/1000000099`, { headers: { apptoken: token } })).status).toBe(401);
  });

  it('answers getUserInfo with the success envelope (the cheap token check)', async () => {
    const res = await fetch(`${srv.url}/huami.health.getUserInfo.json?userid=${DEMO_USER_ID}`, { headers: { apptoken: token } });
    expect(await res.json()).toMatchObject({ code: 1, message: 'success', data: { userid: DEMO_USER_ID } });
    expect((await fetch(`${srv.url}/huami.health.getUserInfo.json?userid=${DEMO_USER_ID}`)).status).toBe(401);
  });
});

describe('fake server: 8-byte records (uncertain layout)', () => {
  it('serves 1440×8 bytes of data and byteLength 8 when switched', async () => {
    const s = await startFakeServer({ now: NOW, recordWidth: 8 });
    try {
      const body = (await (await bandData(s, { query_type: 'detail', from_date: '2026-01-10', to_date: '2026-01-12' }, s.accounts.issueAppToken(DEMO_USER_ID))).json()) as { data: Record<string, string>[] };
      expect(decodeBlob(body.data[0]?.data as string).length).toBe(11_520);
      expect(decodeSummary(body.data[0]?.summary as string).byteLength).toBe(8);
    } finally {
      await s.close();
    }
  });
});
