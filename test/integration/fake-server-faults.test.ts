// Fault injection of the fake Huami cloud over real HTTP: 429 with Retry-After, 5xx bursts,
// slow answers, connection resets, oversized and truncated bodies, and each kind of malformed day.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_USER_ID, MALFORMED_KINDS, startFakeServer, type FakeServer } from '../../src/fake/index.js';
import type { Faults } from '../../src/fake/faults.js';
import { decodeBlob, decodeSummary } from '../support/fake-helpers.js';

const BAND = '/v1/data/band_data.json';
let srv: FakeServer;
let token: string;

function get(path: string, query = 'query_type=summary&userid=1000000001&from_date=2026-01-10&to_date=2026-01-12'): Promise<Response> {
  return fetch(`${srv.url}${path}?${query}`, { headers: { apptoken: token } });
}

beforeAll(async () => {
  srv = await startFakeServer({ seed: 4, from: '2025-12-01', now: () => new Date('2026-01-20T12:00:00Z') });
  token = srv.accounts.issueAppToken(DEMO_USER_ID);
});
afterEach(() => srv.faults.clear());
afterAll(() => srv.close());

describe('fake server faults', () => {
  it('answers 429 with Retry-After for `count` requests on matching paths, then recovers', async () => {
    srv.faults.rateLimit({ count: 2, retryAfterSeconds: 7, paths: [BAND] });
    expect((await get(`/users/${DEMO_USER_ID}`)).status).toBe(200); // other paths untouched
    for (let i = 0; i < 2; i++) {
      const res = await get(BAND);
      expect([res.status, res.headers.get('retry-after'), await res.json()]).toEqual([429, '7', { code: 12, message: 'too many requests' }]);
    }
    expect((await get(BAND)).status).toBe(200);
  });

  it('answers a burst of the chosen 5xx status', async () => {
    srv.faults.serverErrors({ count: 2, status: 503, paths: [/band_data/] });
    expect((await get(BAND)).status).toBe(503);
    expect((await get(BAND)).status).toBe(503);
    expect((await get(BAND)).status).toBe(200);
    srv.faults.serverErrors({ count: 1 });
    expect((await get(`/users/${DEMO_USER_ID}`)).status).toBe(500); // default status, every path
  });

  it('delays answers by `ms`', async () => {
    // What the server decided per request (its delay), not the time it took: no test measures time.
    const take = vi.spyOn(srv.faults as Faults, 'take');
    try {
      srv.faults.slow({ ms: 300, count: 1 });
      expect((await get(BAND)).status).toBe(200);
      expect(take.mock.results.at(-1)?.value).toEqual({ delayMs: 300 });
      expect((await get(BAND)).status).toBe(200);
      // count: 1 is used up: the second answer is not delayed at all.
      expect(take.mock.results.at(-1)?.value).toEqual({ delayMs: 0 });
    } finally {
      take.mockRestore();
    }
  });

  it('destroys the connection without an answer, logged with status 0', async () => {
    srv.faults.reset({ count: 1, paths: [BAND] });
    await expect(get(BAND)).rejects.toThrow();
    expect(srv.requests.at(-1)).toMatchObject({ path: BAND, status: 0 });
    expect((await get(BAND)).status).toBe(200);
  });

  it('streams an oversized answer of exactly `bytes` bytes, announced or chunked', async () => {
    srv.faults.oversized({ bytes: 3_000_000, count: 1, paths: [BAND] });
    const res = await get(BAND);
    expect([res.status, res.headers.get('content-length')]).toEqual([200, '3000000']);
    const body = await res.text();
    expect(body.length).toBe(3_000_000);
    expect(body.startsWith('{"code":1,"message":"success","data":"AAAA')).toBe(true);
    expect(JSON.parse(body)).toMatchObject({ code: 1 }); // a well-formed answer, only too large

    srv.faults.oversized({ bytes: 200_000, count: 1, chunked: true });
    const chunked = await get(BAND);
    expect(chunked.headers.get('content-length')).toBeNull();
    expect((await chunked.arrayBuffer()).byteLength).toBe(200_000);
    expect((await get(BAND)).headers.get('content-length')).not.toBe('200000'); // count used up
  });

  it('stops streaming an oversized answer when the client goes away', async () => {
    srv.faults.oversized({ bytes: 300 * 1024 * 1024, count: 1, paths: [BAND] });
    const ctl = new AbortController();
    const res = await fetch(`${srv.url}${BAND}?query_type=summary`, { headers: { apptoken: token }, signal: ctl.signal });
    expect(res.headers.get('content-length')).toBe(String(300 * 1024 * 1024));
    ctl.abort();
    await vi.waitFor(() => expect(srv.requests.at(-1)).toMatchObject({ path: BAND, status: 0 }));
    expect((await get(BAND)).status).toBe(200);
  });

  it('announces a Content-Length and closes the connection half way', async () => {
    srv.faults.truncated({ count: 1, paths: [BAND] });
    const res = await get(BAND);
    expect(res.status).toBe(200);
    const announced = Number(res.headers.get('content-length'));
    await expect(res.text()).rejects.toThrow();
    expect(announced).toBeGreaterThan(0);
    expect(srv.requests.at(-1)).toMatchObject({ path: BAND, status: 0 });
    expect((await get(BAND)).status).toBe(200);
  });

  it('clear() switches every fault off', async () => {
    srv.faults.rateLimit({ count: 5, retryAfterSeconds: 1 });
    srv.faults.malformedDay('2026-01-11', 'bad-json');
    srv.faults.clear();
    const body = (await (await get(BAND)).json()) as { data: { summary: string }[] };
    expect(() => body.data.map((d) => decodeSummary(d.summary))).not.toThrow();
  });
});

describe('fake server malformed days', () => {
  async function items(): Promise<Record<string, string>[]> {
    const res = await get(BAND, 'query_type=detail&userid=1000000001&from_date=2026-01-10&to_date=2026-01-12');
    return ((await res.json()) as { data: Record<string, string>[] }).data;
  }
  const day = (list: Record<string, string>[], date: string) => list.find((i) => i.date_time === date) as Record<string, string>;

  it.each(MALFORMED_KINDS)('corrupts only the chosen day for %s', async (kind) => {
    const truth = srv.data.day(DEMO_USER_ID, '2026-01-11');
    expect(truth).toBeDefined();
    srv.faults.malformedDay('2026-01-11', kind);
    const list = await items();
    expect(decodeSummary(day(list, '2026-01-12').summary as string)).toEqual(srv.data.day(DEMO_USER_ID, '2026-01-12')?.summary);
    const bad = day(list, '2026-01-11');
    const parse = () => decodeSummary(bad.summary as string) as unknown as Record<string, Record<string, unknown> & { stage: { start: number; stop: number }[] }>;
    switch (kind) {
      case 'bad-base64':
        expect(() => decodeBlob(bad.summary as string)).toThrow();
        expect(() => decodeBlob(bad.data_hr as string)).toThrow();
        break;
      case 'bad-json':
        expect(() => decodeSummary(bad.summary as string)).toThrow(SyntaxError);
        break;
      case 'missing-keys':
        expect(parse().slp).toBeUndefined();
        expect(parse().stp).not.toHaveProperty('ttl');
        break;
      case 'string-numbers':
        expect([typeof parse().stp?.ttl, typeof parse().slp?.st]).toEqual(['string', 'string']);
        break;
      case 'negative-stage':
        expect([...(parse().slp?.stage ?? []), ...(parse().stp?.stage ?? [])].some((s) => s.start < 0)).toBe(true);
        break;
      case 'overlapping-stages': {
        const overlaps = (st: { start: number; stop: number }[]) => st.some((s, i) => i > 0 && s.start <= (st[i - 1] as { stop: number }).stop);
        expect(overlaps(parse().slp?.stage ?? []) || overlaps(parse().stp?.stage ?? [])).toBe(true);
        break;
      }
    }
    // the ground truth itself is untouched: corruption happens in responses only
    expect(srv.data.day(DEMO_USER_ID, '2026-01-11')).toEqual(truth);
  });

  it('limits a malformed day to one user when a userId is given', async () => {
    srv.faults.malformedDay('2026-01-11', 'bad-json', '1000000099');
    const list = await items();
    expect(() => decodeSummary(day(list, '2026-01-11').summary as string)).not.toThrow();
  });
});
