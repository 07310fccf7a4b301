// The dashboards on data produced by the real pipeline: the fake Huami cloud over HTTP →
// decodeResponse / decodeEvents → toLines → a real InfluxDB. Every panel query must succeed; the key panels
// must match the fake's ground truth (a day's steps, a night's phase minutes, the hypnogram).
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { decodeResponse } from '../../src/decode/index.js';
import { EVENT_TYPES, decodeEvents } from '../../src/decode/events/index.js';
import { DEMO_USER_ID, startFakeServer, type FakeServer } from '../../src/fake/index.js';
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

const { run, panel } = panelRunner({ url, db: () => db, vars: () => ({ user: 'demo', timezone: ZONE, target_hours: '8' }), nowMs });

beforeAll(async () => {
  server = await startFakeServer({ quiet: true, timezone: ZONE });
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
  for (const eventType of EVENT_TYPES) {
    const eq = new URLSearchParams({ eventType, from: String(fromMs), to: String(nowMs), limit: '2000', timeZone: ZONE });
    const er = await fetch(`${server.url}/users/${DEMO_USER_ID}/events?${eq}`, { headers: { apptoken: token } });
    expect(er.status).toBe(200);
    const body = (await er.json()) as { items: unknown[]; next?: unknown };
    expect(body.next).toBeUndefined();
    points.push(...decodeEvents(eventType, body, { timeZone: ZONE, user: 'demo' }).days.flatMap((d) => d.points));
  }
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
});
