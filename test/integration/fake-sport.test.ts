// The fake cloud's workout and body-scale endpoints over real HTTP (docs/huami-api.md
// "Workouts", "Weight records"): history paging with both cursor names, details in the real
// stream encodings, consistency with the day's band minutes, detail throttling, weight records
// paged backwards. Expected values come from the fake's ground truth (server.data) and from
// summing the delta strings by hand.
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER_ID, type FakeWorkout } from '../../src/fake/index.js';
import { localDate } from '../../src/fake/data/clock.js';
import { useFakeServer } from '../support/fake-server.js';
import { cumulative, parseRecords } from '../support/sport-wire.js';

const NOW = new Date('2026-01-20T12:00:00Z');
const ZONE = 'Europe/Berlin';
const fake = useFakeServer('file', { now: () => NOW, from: '2025-08-01', timezone: ZONE });
let token = '';
let truth: FakeWorkout[] = [];
type Json = Record<string, unknown>;

const get = async (path: string): Promise<{ status: number; body: Json; headers: Headers }> => {
  const res = await fetch(`${fake.url}${path}`, { headers: { apptoken: token } });
  return { status: res.status, body: (await res.json()) as Json, headers: res.headers };
};

async function allHistory(cursorName: 'trackid' | 'stopTrackId'): Promise<{ items: Json[]; pages: number }> {
  const items: Json[] = [];
  let next: number | undefined;
  let pages = 0;
  for (;;) {
    const r = await get(`/v1/sport/run/history.json${next === undefined ? '' : `?${cursorName}=${next}`}`);
    expect(r.status).toBe(200);
    const data = r.body.data as { next: number; summary: Json[] };
    items.push(...data.summary);
    pages++;
    if (data.next === -1) return { items, pages };
    next = data.next;
  }
}

beforeAll(() => {
  token = fake.accounts.issueAppToken(DEMO_USER_ID);
  fake.sport.historyPageSize = 25;
  truth = fake.data.workouts(DEMO_USER_ID);
});

describe('workout history', () => {
  it('pages newest first with data.next and -1, the same with trackid or stopTrackId, every workout once', async () => {
    const a = await allHistory('trackid');
    const b = await allHistory('stopTrackId');
    expect(a.pages).toBeGreaterThan(2);
    expect(a.items.map((i) => i.trackid)).toEqual(b.items.map((i) => i.trackid));
    expect(a.items.map((i) => Number(i.trackid))).toEqual(truth.map((w) => w.trackid));
    const ids = a.items.map((i) => Number(i.trackid));
    expect([...ids].sort((x, y) => y - x)).toEqual(ids);
  });

  it('holds every sport the issue names, strings where the service sends strings, and a paused workout', () => {
    const types = new Set(truth.map((w) => w.type));
    for (const t of [1, 6, 9, 10, 14]) expect(types.has(t), `type ${t}`).toBe(true);
    expect(types.has(16) || types.has(52)).toBe(true);
    expect(truth.some((w) => w.pauses.length > 0)).toBe(true);
  });

  it('serves item fields as the captures show them', async () => {
    const first = ((await get('/v1/sport/run/history.json')).body.data as { summary: Json[] }).summary[0] as Json;
    for (const k of ['trackid', 'dis', 'calorie', 'end_time', 'run_time', 'avg_pace', 'avg_heart_rate']) expect(typeof first[k], k).toBe('string');
    expect(typeof first.type).toBe('number');
  });

  it('answers 401 without a token and 404 for another sport segment', async () => {
    expect((await fetch(`${fake.url}/v1/sport/run/history.json`)).status).toBe(401);
    expect((await get('/v1/sport/walking/history.json')).status).toBe(404);
  });
});

describe('workout detail', () => {
  const detail = async (w: FakeWorkout) => (await get(`/v1/sport/run/detail.json?trackid=${w.trackid}&source=${w.source}`)).body.data as Json;

  it('needs both trackid and source', async () => {
    const w = truth[0] as FakeWorkout;
    expect((await get(`/v1/sport/run/detail.json?trackid=${w.trackid}`)).status).toBe(400);
    expect((await get(`/v1/sport/run/detail.json?source=${w.source}`)).status).toBe(400);
  });

  it('encodes an outdoor track as deltas: the first and last point summed by hand are the ground truth', async () => {
    const w = truth.find((x) => x.type === 1 && x.track.some((p) => p.lat === null)) as FakeWorkout;
    const d = await detail(w);
    expect(d.trackid).toBe(w.trackid); // an integer here, a string in history
    for (const k of ['time', 'longitude_latitude', 'altitude', 'heart_rate']) expect(String(d[k]).endsWith(';'), k).toBe(true);
    const times = cumulative(parseRecords(String(d.time)), 0, w.trackid);
    const pos = parseRecords(String(d.longitude_latitude));
    const lats = cumulative(pos, 0), lons = cumulative(pos, 1);
    const alts = parseRecords(String(d.altitude)).map((r) => r[0]);
    expect(times.length).toBe(w.track.length);
    const first = w.track[0]!, last = w.track[w.track.length - 1]!;
    expect([times[0], lats[0], lons[0]]).toEqual([first.t, first.lat, first.lon]);
    expect(times.at(-1)).toBe(last.t);
    const lastReal = [...w.track].reverse().find((p) => p.lat !== null)!;
    expect([lats.at(-1), lons.at(-1)]).toEqual([lastReal.lat, lastReal.lon]);
    expect(pos.some((r) => r[0] === -2_000_000)).toBe(true); // a dropout is sent as the sentinel
    expect(alts[1]).toBe(w.track[1]!.alt ?? -2_000_000); // absolute centimetres
  });

  it('encodes heart rate as dt,dhr pairs: first pair absolute, empty dt = 1, dt 0 occurs', async () => {
    const w = truth.find((x) => x.hr.some((s, i) => i > 0 && s.t === x.hr[i - 1]!.t)) as FakeWorkout;
    const raw = String((await detail(w)).heart_rate);
    const pairs = raw.split(';').filter(Boolean).map((p) => p.split(','));
    expect(pairs.some((p) => p[0] === '')).toBe(true);
    expect(pairs.slice(1).some((p) => p[0] === '0')).toBe(true);
    expect(pairs[0]![1]).toBe(String(w.hr[0]!.bpm));
    let t = w.trackid, bpm = 0;
    const decoded = pairs.map(([dt, dhr]) => ({ t: (t += dt === '' ? 1 : Number(dt)), bpm: (bpm += Number(dhr)) }));
    expect(decoded).toEqual(w.hr);
  });

  it('sends no track for indoor sports and the pause stream for a paused workout', async () => {
    const indoor = truth.find((x) => x.type === 10) as FakeWorkout;
    const d = await detail(indoor);
    expect([d.longitude_latitude, d.time, d.altitude]).toEqual(['', '', '']);
    expect(String(d.heart_rate).length).toBeGreaterThan(0);
    const paused = truth.find((x) => x.pauses.length > 0) as FakeWorkout;
    const p = paused.pauses[0]!;
    expect((await detail(paused)).pause).toBe(`${p.start},${p.duration},-1,-1,1;`);
  });

  it('throttles detail calls when switched on: 429 with Retry-After, then serves again once off', async () => {
    const w = truth[0] as FakeWorkout;
    fake.sport.throttleDetail({ calls: 2, windowSeconds: 60, retryAfterSeconds: 2 });
    const path = `/v1/sport/run/detail.json?trackid=${w.trackid}&source=${w.source}`;
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await get(path)).status);
    const refused = await get(path);
    fake.sport.throttleDetail(undefined);
    expect([...statuses, refused.status]).toEqual([200, 200, 429, 429]);
    expect(refused.headers.get('retry-after')).toBe('2');
    expect((await get(path)).status).toBe(200);
  });
});

describe('workouts agree with the day\'s band data', () => {
  it('a run\'s minutes carry its steps and the heart rate at each minute start', async () => {
    const run = truth.find((x) => x.type === 1) as FakeWorkout;
    const date = localDate(run.trackid * 1000, ZONE);
    const res = await get(`/v1/data/band_data.json?query_type=detail&userid=${DEMO_USER_ID}&from_date=${date}&to_date=${date}`);
    const item = (res.body.data as Json[])[0] as Json;
    const hr = Buffer.from(String(item.data_hr), 'base64');
    const data = Buffer.from(String(item.data), 'base64');
    let steps = 0;
    for (let i = run.firstMinute; i <= run.lastMinute; i++) steps += data[i * 3 + 2]!;
    expect(steps).toBe(run.steps);
    const atMinute = new Map(run.hr.map((s) => [s.t, s.bpm]));
    for (let i = run.firstMinute; i <= run.lastMinute; i++) {
      const t = run.trackid + (i - run.firstMinute) * 60;
      expect(hr[i], `minute ${i}`).toBe(atMinute.get(t));
    }
  });
});

describe('weight records', () => {
  const owner = () => fake.data.weighIns(DEMO_USER_ID, '-1');

  it('pages backwards with toTime and next; the last page has no next', async () => {
    const seen: Json[] = [];
    let toTime: number | undefined;
    let lastBody: Json = {};
    for (let n = 0; n < 50; n++) {
      const r = await get(`/users/${DEMO_USER_ID}/members/-1/weightRecords?limit=40${toTime === undefined ? '' : `&toTime=${toTime}`}`);
      expect(r.status).toBe(200);
      seen.push(...(r.body.items as Json[]));
      lastBody = r.body;
      if (!('next' in r.body)) break;
      toTime = r.body.next as number;
    }
    expect('next' in lastBody).toBe(false);
    expect(seen.map((i) => i.generatedTime)).toEqual(owner().map((w) => w.generatedTime).reverse());
    expect(new Set(seen.map((i) => i.weightType))).toEqual(new Set([0, 1, 3, 7]));
  });

  it('lists the family member, whose records are served under their id', async () => {
    const res = await fetch(`${fake.url}/huami.health.scale.familymember.get.json`, {
      method: 'POST', headers: { apptoken: token, 'content-type': 'application/x-www-form-urlencoded' }, body: `fuid=all&userid=${DEMO_USER_ID}`,
    });
    const list = ((await res.json()) as { data: { list: Json[] } }).data.list;
    expect(list.length).toBe(1);
    const fuid = String(list[0]!.fuid);
    const r = await get(`/users/${DEMO_USER_ID}/members/${fuid}/weightRecords?limit=200`);
    expect((r.body.items as Json[]).length).toBe(fake.data.weighIns(DEMO_USER_ID, fuid).length);
    expect((r.body.items as Json[]).every((i) => i.memberId === fuid)).toBe(true);
  });

  it('keeps fat + bone + muscle mass = weight in full readings', () => {
    const full = owner().filter((w) => w.weightType === 0);
    expect(full.length).toBeGreaterThan(20);
    for (const w of full) {
      const s = w.summary as Record<string, number>;
      expect(s.weight! * s.fatRate! / 100 + s.boneMass! + s.muscleRate!).toBeCloseTo(s.weight!, 1);
    }
  });
});
