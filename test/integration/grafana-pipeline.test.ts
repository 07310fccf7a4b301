// The dashboards on data produced by the real pipeline: the fake Huami cloud over HTTP →
// decodeResponse / decodeEvents → toLines → a real InfluxDB. Every panel query must succeed; the key panels
// must match the fake's ground truth (a day's steps, a night's phase minutes, the hypnogram).
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { decodeResponse } from '../../src/decode/index.js';
import { EVENT_TYPES, decodeEvents } from '../../src/decode/events/index.js';
import { decodeWorkout } from '../../src/decode/workouts/index.js';
import { decodeWeighIn } from '../../src/decode/weight.js';
import { DEMO_USER_ID, startFakeServer, type FakeServer } from '../../src/fake/index.js';
import { OWNER_HEIGHT_CM } from '../../src/fake/data/weights.js';
import type { Point } from '../../src/schema/point.js';
import { buildDataset, writePoints } from '../support/grafana-data.js';
import { createTestDatabase, influxQuery, rows } from '../support/influxd.js';
import { loadDashboards, panelQueries } from '../support/grafana-files.js';
import { panelRunner } from '../support/grafana-panels.js';

const ZONE = 'Europe/Berlin';
const url = inject('influxUrl');
const dashboards = loadDashboards();
const nowMs = Math.floor(Date.now() / 1000) * 1000;
let server: FakeServer;
let db = '';
let points: Point[] = [];
let track = '';
/** Start of the fetched days (epoch s). */
let fromS = 0;
/** The sport names of the type codes the fake generates (docs/metrics.md "Mappings"). */
const SPORT: Record<number, string> = { 1: 'outdoor_run', 6: 'walking', 8: 'treadmill', 9: 'outdoor_cycling', 10: 'indoor_cycling', 14: 'pool_swim', 16: 'free_training', 52: 'strength' };

const { run, panel } = panelRunner({ url, db: () => db, vars: () => ({ user: 'demo', timezone: ZONE, target_hours: '8', track }), nowMs });

beforeAll(async () => {
  // The fake's clock stands still at nowMs: today's partial day must not grow between the fetch and the comparisons.
  server = await startFakeServer({ quiet: true, timezone: ZONE, now: () => new Date(nowMs) });
  const token = server.accounts.issueAppToken(DEMO_USER_ID);
  const to = DateTime.fromMillis(nowMs, { zone: ZONE }).toISODate() ?? '';
  const from = DateTime.fromMillis(nowMs, { zone: ZONE }).minus({ days: 34 }).toISODate() ?? '';
  const q = new URLSearchParams({ query_type: 'detail', userid: DEMO_USER_ID, from_date: from, to_date: to, device_type: 'android_phone' });
  const res = await fetch(`${server.url}/v1/data/band_data.json?${q}`, { headers: { apptoken: token } });
  expect(res.status).toBe(200);
  const decoded = decodeResponse(await res.json(), { timeZone: ZONE, user: 'demo' });
  points = decoded.days.flatMap((d) => d.points);
  // Health events: each event type over the same days (one answer: fewer items than `limit`).
  const fromMs = DateTime.fromISO(from, { zone: ZONE }).toMillis();
  fromS = fromMs / 1000;
  for (const eventType of EVENT_TYPES) {
    const eq = new URLSearchParams({ eventType, from: String(fromMs), to: String(nowMs), limit: '2000', timeZone: ZONE });
    const er = await fetch(`${server.url}/users/${DEMO_USER_ID}/events?${eq}`, { headers: { apptoken: token } });
    expect(er.status).toBe(200);
    const body = (await er.json()) as { items: unknown[]; next?: unknown };
    expect(body.next).toBeUndefined();
    points.push(...decodeEvents(eventType, body, { timeZone: ZONE, user: 'demo' }).days.flatMap((d) => d.points));
  }
  // Workouts: every history page (newest first, `next` -1 on the last), each workout's detail;
  // weigh-ins of each scale member, paged backwards by `next`.
  const get = async (path: string): Promise<Record<string, any>> => {
    const r = await fetch(`${server.url}${path}`, { headers: { apptoken: token } });
    expect(r.status, path).toBe(200);
    return (await r.json()) as Record<string, any>;
  };
  const history: Record<string, unknown>[] = [];
  for (let next: number | undefined; next !== -1; ) {
    const page = await get(`/v1/sport/run/history.json${next === undefined ? '' : `?trackid=${next}`}`);
    history.push(...(page.data.summary as Record<string, unknown>[]));
    next = page.data.next as number;
  }
  for (const item of history.filter((h) => Number(h.trackid) * 1000 >= fromMs)) {
    const detail = await get(`/v1/sport/run/detail.json?trackid=${String(item.trackid)}&source=${String(item.source)}`);
    points.push(...decodeWorkout(item, detail, { timeZone: ZONE, user: 'demo' }).points);
  }
  for (const m of server.data.members(DEMO_USER_ID)) {
    for (let toTime: number | undefined; ; ) {
      const page = await get(`/users/${DEMO_USER_ID}/members/${m.id}/weightRecords?fromTime=${fromMs / 1000}&limit=200${toTime === undefined ? '' : `&toTime=${toTime}`}`);
      for (const rec of page.items as unknown[]) points.push(...decodeWeighIn(rec, { timeZone: ZONE, user: 'demo', heightCm: OWNER_HEIGHT_CM }).points);
      if (!page.next) break;
      toTime = page.next as number;
    }
  }
  // The selected workout: the newest one with a GPS track.
  track = String(server.data.workouts(DEMO_USER_ID).find((w) => w.track.length > 0)?.trackid ?? '');
  // sync_run points are written by the sync itself, not the decoder: add realistic ones.
  const runs = buildDataset('demo', ZONE, 1, nowMs / 1000).points.filter((p) => p.measurement === 'sync_run');
  db = await createTestDatabase(url, 'grafana_pipe');
  await writePoints(url, db, [...points, ...runs]);
});
afterAll(async () => server?.close());

describe('grafana dashboards on fake-cloud data through the real decoder', () => {
  it('every panel query succeeds and returns rows', async () => {
    const empty: string[] = [];
    for (const q of panelQueries(dashboards)) if ((await run(q)).length === 0) empty.push(`${q.dashboard}/${q.panel}`);
    expect(empty).toEqual([]);
  });

  it("Activity 'Steps per day vs goal' equals the fake's stp.ttl per local day", async () => {
    const r = await run(panel('mifit-activity', 'Steps per day vs goal'));
    expect(r.length).toBeGreaterThan(25);
    for (const x of r) {
      const date = DateTime.fromSeconds(Number(x.time), { zone: ZONE }).toISODate() ?? '';
      expect(x.steps, date).toBe(server.data.day(DEMO_USER_ID, date)?.summary.stp.ttl);
    }
  });

  it("Activity 'Steps by hour of day, per day': every local hour of 30 complete days equals InfluxDB's hourly sum of the decoded minutes", async () => {
    const today = DateTime.fromMillis(nowMs, { zone: ZONE }).startOf('day');
    const range = { fromMs: today.minus({ days: 30 }).toMillis(), toMs: today.toMillis() - 1000 };
    const heat = await run(panel('mifit-activity', 'Steps by hour of day, per day'), range);
    // InfluxDB groups the minute points by local hour itself (tz), independently of the decoder's
    // hour tag; a repeated fall-back hour adds up under its one name, a skipped one stays absent (0).
    const minutes = rows(await influxQuery(url, `SELECT sum("steps") FROM "activity_minute" WHERE "user" = 'demo' AND time >= ${range.fromMs}ms AND time <= ${range.toMs}ms GROUP BY time(1h) fill(0) tz('${ZONE}')`, db));
    const expected = new Map<string, number>();
    for (const r of minutes) {
      const local = DateTime.fromSeconds(Number(r.time), { zone: ZONE });
      const key = `${local.toISODate()} ${local.toFormat('HH')}`;
      expected.set(key, (expected.get(key) ?? 0) + Number(r.sum ?? 0));
    }
    expect(heat).toHaveLength(30 * 24);
    let total = 0;
    for (const r of heat) {
      const key = `${DateTime.fromSeconds(Number(r.time), { zone: ZONE }).toISODate()} ${String(r.hour)}`;
      expect(r.steps, key).toBe(expected.get(key) ?? 0);
      total += Number(r.steps);
    }
    expect(total).toBeGreaterThan(30 * 1000); // the fake walks every day
  });

  it("Sleep 'Phase minutes per night' and the hypnogram match the decoded night", async () => {
    const nights = points.filter((p) => p.measurement === 'sleep_daily' && p.tags.sleep === 'main' && p.time * 1000 < nowMs - 86_400_000);
    const night = nights.at(-1);
    if (!night) throw new Error('the fake served no night');
    const r = await run(panel('mifit-sleep', 'Phase minutes per night'));
    const day = DateTime.fromSeconds(night.time, { zone: ZONE }).startOf('day').toSeconds();
    expect(r.find((x) => x.time === day)).toEqual({ time: day, deep: night.fields.deep_min, light: night.fields.light_min, REM: night.fields.rem_min, awake: night.fields.awake_min });
    const start = Number(night.fields.start_s);
    const end = Number(night.fields.end_s);
    const h = (await run(panel('mifit-sleep', 'Hypnogram'), { fromMs: (start - 60) * 1000, toMs: (end + 60) * 1000 })).filter((x) => x.sleep === 'main');
    const stages = points.filter((p) => p.measurement === 'sleep_stage' && p.tags.sleep === 'main' && p.time >= start && p.time <= end).sort((a, b) => a.time - b.time);
    expect(h.map((x) => [x.time, x.phase])).toEqual(stages.map((p) => [p.time, p.fields.phase_code]));
    expect(h[0]?.time).toBe(start);
    expect(h.at(-1)).toMatchObject({ time: end, phase: 0 });
    // Phase minutes add up: the sum of the phases' durations is the whole sleep window.
    expect(stages.reduce((a, p) => a + Number(p.fields.duration_min), 0)).toBe(night.fields.in_bed_min);
  });

  it("Stress & recovery 'Stress zones per day' and 'Nightly ODI' equal the fake's events per local day", async () => {
    const zones = await run(panel('mifit-stress-recovery', 'Stress zones per day'));
    expect(zones.length).toBeGreaterThan(25);
    for (const x of zones) {
      const date = DateTime.fromSeconds(Number(x.time), { zone: ZONE }).toISODate() ?? '';
      const truth = server.events.stress(DEMO_USER_ID, date);
      expect([x.relaxed, x.normal, x.medium, x.high], date).toEqual(truth?.proportions);
    }
    const odi = await run(panel('mifit-stress-recovery', 'Nightly ODI'));
    expect(odi.length).toBeGreaterThan(20);
    for (const x of odi) {
      const date = DateTime.fromSeconds(Number(x.time), { zone: ZONE }).toISODate() ?? '';
      expect(x.ODI, date).toBe(server.events.night(DEMO_USER_ID, date, ZONE)?.odi.odi);
    }
  });

  it("Overview 'PAI per day and 7-day total' and 'Sleep HRV vs baseline' equal the fake's events", async () => {
    const pai = await run(panel('mifit-overview', 'PAI per day and 7-day total'));
    expect(pai.length).toBeGreaterThan(20);
    for (const x of pai) {
      const date = DateTime.fromSeconds(Number(x.time), { zone: ZONE }).toISODate() ?? '';
      const truth = server.events.pai(DEMO_USER_ID, date);
      expect([x.daily, x['7-day total']], date).toEqual([truth?.dailyPai, truth?.totalPai]);
    }
    const hrv = await run(panel('mifit-stress-recovery', 'Sleep HRV vs baseline'));
    expect(hrv.length).toBeGreaterThan(20);
    for (const x of hrv) {
      const date = DateTime.fromSeconds(Number(x.time), { zone: ZONE }).toISODate() ?? '';
      const shown = server.events.night(DEMO_USER_ID, date, ZONE)?.shown;
      expect(x.HRV, date).toBe(shown?.sleepHRV);
      // 255 is "baseline still building": no baseline point (docs/metrics.md "Health events").
      expect(x.baseline ?? 255, date).toBe(shown?.hrvBaseline);
    }
  });

  it("Workouts 'Workouts' shows each of the fake's workouts with its duration, distance and average heart rate", async () => {
    const r = await run(panel('mifit-workouts', 'Workouts'));
    const truth = server.data.workouts(DEMO_USER_ID).filter((w) => w.trackid * 1000 >= nowMs - 30 * 86_400_000);
    expect(truth.length).toBeGreaterThan(15);
    expect(r.map((x) => x.track).sort()).toEqual(truth.map((w) => String(w.trackid)).sort());
    for (const w of truth) {
      const row = r.find((x) => x.track === String(w.trackid));
      expect(row, String(w.trackid)).toMatchObject({ time: w.trackid, sport: SPORT[w.type], duration: w.end - w.trackid, 'avg HR': w.avgHr, distance: w.distance > 0 ? w.distance : null });
    }
  });

  it("Workouts: the selected workout's route is every fix of its track, its heart rate every sample", async () => {
    const w = server.data.workouts(DEMO_USER_ID).find((x) => String(x.trackid) === track);
    if (!w) throw new Error('the fake has no outdoor workout');
    const range = { fromMs: w.trackid * 1000, toMs: w.end * 1000 };
    const route = await run(panel('mifit-workouts', 'Route'), range);
    // A dropout (sentinel) repeats the last position: one row per track point, all placed.
    expect(route.map((x) => x.time)).toEqual(w.track.map((p) => p.t));
    const known = w.track.filter((p) => p.lat !== null);
    expect([route[0]?.lat, route[0]?.lon]).toEqual([(w.track[0]?.lat ?? NaN) / 1e8, (w.track[0]?.lon ?? NaN) / 1e8]);
    expect(route.at(-1)?.lat).toBeCloseTo((known.at(-1)?.lat ?? NaN) / 1e8, 8);
    const hr = await run(panel('mifit-workouts', 'Heart rate'), range);
    const last = new Map<number, number>();
    for (const s of w.hr) last.set(s.t, s.bpm); // a Δt-0 sample replaces the one before
    expect(hr.map((x) => [x.time, x['heart rate']])).toEqual([...last].sort((a, b) => a[0] - b[0]));
  });

  it("Workouts 'Weekly distance per sport' sums the fake's distances per local week", async () => {
    const monday = (t: number): number => DateTime.fromSeconds(t, { zone: ZONE }).plus({ hours: 12 }).startOf('week').toSeconds();
    const expected = new Map<string, number>();
    for (const w of server.data.workouts(DEMO_USER_ID)) {
      if (w.trackid * 1000 < nowMs - 30 * 86_400_000 || w.distance <= 0) continue;
      const key = `${SPORT[w.type]} ${DateTime.fromSeconds(w.trackid, { zone: ZONE }).startOf('week').toSeconds()}`;
      expected.set(key, (expected.get(key) ?? 0) + w.distance);
    }
    const r = await run(panel('mifit-workouts', 'Weekly distance per sport'));
    expect(r.length).toBeGreaterThan(3);
    const got = new Map(r.map((x) => [`${x.sport} ${monday(Number(x.time))}`, Number(x.distance)]));
    expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [k, v] of expected) expect(got.get(k), k).toBeCloseTo(v, 6);
  });

  it("Body 'Weight (latest)' and 'Body fat' are the fake's weigh-ins of each member (broken records left out)", async () => {
    const latest = await run(panel('mifit-body', 'Weight (latest)'));
    const fat = await run(panel('mifit-body', 'Body fat'));
    const from = fromS; // the weigh-ins fetched (the panel's 90 days hold them all)
    for (const m of server.data.members(DEMO_USER_ID)) {
      const member = m.id === '-1' ? 'owner' : m.id;
      const valid = server.data.weighIns(DEMO_USER_ID, m.id).filter((w) => w.weightType !== 3 && w.generatedTime >= from);
      expect(valid.length, member).toBeGreaterThan(3);
      expect(latest.find((x) => x.member === member)?.weight, member).toBe(valid.at(-1)?.summary.weight);
      const withFat = valid.filter((w) => Number(w.summary.fatRate) > 0);
      expect(fat.filter((x) => x.member === member).map((x) => [x.time, x.fat]), member).toEqual(withFat.map((w) => [w.generatedTime, w.summary.fatRate]));
    }
  });
});
