// Every panel query and every variable query of the provisioned dashboards, run against a real
// InfluxDB holding a realistic dataset, with Grafana's variables and macros substituted as
// Grafana would: each must succeed and return rows; key panels must show exact numbers.
import { DateTime } from 'luxon';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, influxQuery, rows } from '../support/influxd.js';
import { buildDataset, stressAt, writePoints, FAMILY_MEMBER, PHASE_CODE, type Dataset, type Workout } from '../support/grafana-data.js';
import { loadDashboards, panelQueries, variableQueries } from '../support/grafana-files.js';
import { interpolate } from '../support/grafana-macros.js';
import { panelRunner } from '../support/grafana-panels.js';

const ZONE = 'Europe/Berlin';
const url = inject('influxUrl');
const dashboards = loadDashboards();
let db = '';
let data: Dataset;
let timezone = '';
let track = '';
const nowMs = Math.floor(Date.now() / 1000) * 1000;
const { run: runPanel, panel } = panelRunner({ url, db: () => db, vars: () => ({ user: 'demo', timezone, target_hours: '8', track }), nowMs });

beforeAll(async () => {
  db = await createTestDatabase(url, 'grafana_q');
  data = buildDataset('demo', ZONE, 35, nowMs / 1000);
  const other = buildDataset('other', 'America/New_York', 3, nowMs / 1000);
  await writePoints(url, db, [...data.points, ...other.points]);
  // The selected workout: the newest run (what a click on its table row selects).
  track = data.workouts.filter((w) => w.sport === 'outdoor_run').at(-1)?.track ?? '';
  // The timezone variable's own query decides the zone, as on a dashboard load.
  const tzVar = variableQueries(dashboards).find((v) => v.name === 'timezone');
  const r = rows(await influxQuery(url, interpolate(tzVar?.query ?? '', { fromMs: 0, toMs: nowMs, intervalMs: 60_000, vars: { user: 'demo' } }), db));
  timezone = String(r[0]?.last ?? '');
});

describe('grafana dashboard queries on real data', () => {
  it('variables: user lists every account, timezone defaults to the account zone from sync_run', async () => {
    const userVar = variableQueries(dashboards).find((v) => v.name === 'user');
    // One row per measurement carrying the tag; Grafana shows each value once.
    const users = [...new Set(rows(await influxQuery(url, userVar?.query ?? '', db)).map((r) => r.value))];
    expect(users).toEqual(['demo', 'other']);
    expect(timezone).toBe(ZONE);
    for (const v of variableQueries(dashboards)) {
      const q = interpolate(v.query, { fromMs: 0, toMs: nowMs, intervalMs: 60_000, vars: { user: 'demo' } });
      expect(rows(await influxQuery(url, q, db)).length, `${v.dashboard} $${v.name}`).toBeGreaterThan(0);
    }
  });

  it('every panel query succeeds and returns rows', async () => {
    const queries = panelQueries(dashboards);
    expect(queries.length).toBeGreaterThan(40);
    const empty: string[] = [];
    for (const q of queries) if ((await runPanel(q)).length === 0) empty.push(`${q.dashboard}/${q.panel}/${q.refId}`);
    expect(empty).toEqual([]);
  });

  it("Activity 'Steps per day vs goal' shows each day's steps at its local midnight", async () => {
    const r = await runPanel(panel('mifit-activity', 'Steps per day vs goal'));
    const inRange = data.days.filter((d) => d.midnight * 1000 >= nowMs - 30 * 86_400_000);
    expect(r.map((x) => [x.time, x.steps, x.goal])).toEqual(inRange.map((d) => [d.midnight, d.steps, 8000]));
    // Local midnight, DST-correct: every bucket starts at 00:00 in the account zone.
    for (const x of r) expect(DateTime.fromSeconds(Number(x.time), { zone: ZONE }).toFormat('HH:mm')).toBe('00:00');
  });

  it("Activity 'Steps by hour of day, per day' gives each local hour of a day the sum of its minute steps", async () => {
    const day = data.days.at(-2); // yesterday: complete
    if (!day) throw new Error('dataset has no day');
    const next = DateTime.fromSeconds(day.midnight, { zone: ZONE }).plus({ days: 1 }).toSeconds();
    const heat = await runPanel(panel('mifit-activity', 'Steps by hour of day, per day'), { fromMs: day.midnight * 1000, toMs: (next - 1) * 1000 });
    // One row per hour series (fill(0) on the day bucket), all at the day's local midnight.
    expect(heat.map((r) => r.hour)).toEqual(Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0')));
    for (const r of heat) expect(r.time).toBe(day.midnight);
    // The same hours from activity_minute, grouped by InfluxDB itself in the account zone.
    const minutes = rows(await influxQuery(url, `SELECT sum("steps") FROM "activity_minute" WHERE "user" = 'demo' AND time >= ${day.midnight}s AND time < ${next}s GROUP BY time(1h) fill(0) tz('${ZONE}')`, db));
    const byHour = Object.fromEntries(minutes.map((r) => [DateTime.fromSeconds(Number(r.time), { zone: ZONE }).toFormat('HH'), r.sum]));
    expect(Object.fromEntries(heat.map((r) => [r.hour, r.steps]))).toEqual(byHour);
    expect(byHour).toMatchObject({ '08': 60 * 40, '18': 30 * 120, '12': 0 });
  });

  it("Activity 'Steps by hour of day' sums each local hour of day over the range, as the minute data does", async () => {
    const q = panel('mifit-activity', 'Steps by hour of day');
    // From a local midnight, so no hour is cut in two at the range start.
    const range = { fromMs: (data.days[5]?.midnight ?? 0) * 1000, toMs: nowMs };
    const bars = await runPanel(q, range);
    const minutes = rows(await influxQuery(url, `SELECT "steps" FROM "activity_minute" WHERE "user" = 'demo' AND time >= ${range.fromMs}ms AND time <= ${range.toMs}ms`, db));
    const expected: Record<string, number> = {};
    for (const m of minutes) {
      const hour = DateTime.fromSeconds(Number(m.time), { zone: ZONE }).toFormat('HH');
      expected[hour] = (expected[hour] ?? 0) + Number(m.steps);
    }
    const got = Object.fromEntries(bars.filter((r) => Number(r.steps) > 0).map((r) => [r.hour, r.steps]));
    expect(Object.keys(expected).sort()).toEqual(['08', '18']);
    expect(got).toEqual(expected);
    expect(bars.map((r) => r.hour)).toEqual([...bars.map((r) => r.hour)].sort()); // rows come ordered 00…23
  });

  it("Overview shows the latest day's steps and the days at goal over 30 days", async () => {
    const latest = await runPanel(panel('mifit-overview', 'Steps (latest day)'));
    expect(latest[0]?.steps).toBe(data.days[data.days.length - 1]?.steps);
    const goal = await runPanel(panel('mifit-overview', 'Days at goal, 30 days'));
    const expected = data.days.filter((d) => d.midnight * 1000 >= nowMs - 30 * 86_400_000 && d.steps >= 8000).length;
    expect(expected).toBeGreaterThan(0);
    expect(goal[0]?.days).toBe(expected);
  });

  it("Sleep 'Phase minutes per night' shows each night's phase minutes on its wake day", async () => {
    const r = await runPanel(panel('mifit-sleep', 'Phase minutes per night'));
    const mains = data.nights.filter((n) => n.phases.length > 2 && n.end * 1000 >= nowMs - 14 * 86_400_000);
    expect(r.length).toBe(mains.length);
    for (const n of mains) {
      const day = DateTime.fromSeconds(n.end, { zone: ZONE }).startOf('day').toSeconds();
      const sum = (p: string): number => n.phases.filter((x) => x.phase === p).reduce((a, x) => a + x.minutes, 0);
      expect(r.find((x) => x.time === day)).toEqual({ time: day, deep: sum('deep'), light: sum('light'), REM: sum('rem'), awake: sum('awake') });
    }
  });

  it('Sleep debt over the range equals the sum of (target − asleep) over the nights', async () => {
    const r = await runPanel(panel('mifit-sleep', 'Sleep debt over the range'));
    const mains = data.nights.filter((n) => n.phases.length > 2 && n.end * 1000 >= nowMs - 14 * 86_400_000);
    const asleep = (n: (typeof mains)[number]): number => n.phases.filter((p) => p.phase !== 'awake').reduce((a, p) => a + p.minutes, 0);
    expect(r[0]?.debt).toBe(mains.reduce((a, n) => a + 480 - asleep(n), 0));
  });

  it('Hypnogram shows the phases of a night in order and the last one ends at wake time', async () => {
    const night = data.nights.filter((n) => n.phases.length > 2).at(-2);
    if (!night) throw new Error('dataset has no night');
    const q = panel('mifit-sleep', 'Hypnogram');
    const r = await runPanel(q, { fromMs: (night.start - 3600) * 1000, toMs: (night.end + 3600) * 1000 });
    const main = r.filter((x) => x.sleep === 'main');
    expect(main.map((x) => [x.time, x.phase])).toEqual([
      ...night.phases.map((p) => [p.start, PHASE_CODE[p.phase]]),
      [night.end, PHASE_CODE.end],
    ]);
    const wake = rows(await influxQuery(url, `SELECT "end_s" FROM "sleep_daily" WHERE "user" = 'demo' AND "sleep" = 'main' AND time = ${night.end}s`, db));
    expect(wake[0]?.end_s).toBe(main.at(-1)?.time);
  });

  it('Sync health lists every account with its latest run', async () => {
    const r = await runPanel(panel('mifit-sync-health', 'Accounts (latest run, last 30 days)'));
    expect(r.map((x) => x.user)).toEqual(['demo', 'other']);
    expect(r[0]).toMatchObject({ ok: 1, 'days behind': 0, 'days failed': 2, 'last error': '', 'time zone': ZONE });
    const failed = await runPanel(panel('mifit-sync-health', 'Failed runs'));
    expect(failed.map((x) => x.error)).toEqual(['HUAMI_HTTP']);
  });

  it('Sync health shows the failed days of the latest run and their history', async () => {
    expect((await runPanel(panel('mifit-sync-health', 'Days failing'))).map((x) => x['days failed'])).toEqual([2]);
    const history = await runPanel(panel('mifit-sync-health', 'Failed days and days without data'));
    // Hourly buckets over the last 2 days: only the newest holds failed days; each has 1 without data.
    expect(history.filter((x) => x['days failed'] === 2)).toHaveLength(1);
    expect(history.at(-1)?.['days failed']).toBe(2);
    expect(new Set(history.map((x) => x['days without data']))).toEqual(new Set([1]));
  });

  it("Stress & recovery 'Stress zones per day' shows each day's zone shares at its local midnight, and their means over the range", async () => {
    const r = await runPanel(panel('mifit-stress-recovery', 'Stress zones per day'));
    const inRange = data.days.filter((d) => d.midnight * 1000 >= nowMs - 30 * 86_400_000);
    expect(r).toEqual(inRange.map((d) => {
      const [relaxed, normal, medium, high] = d.events.stress.zones;
      return { time: d.midnight, relaxed, normal, medium, high };
    }));
    for (const x of r) expect(Number(x.relaxed) + Number(x.normal) + Number(x.medium) + Number(x.high)).toBe(100);
    const means = (await runPanel(panel('mifit-stress-recovery', 'Stress zones over the range (mean share per day)')))[0];
    const mean = (k: number): number => inRange.reduce((a, d) => a + (d.events.stress.zones[k] ?? 0), 0) / inRange.length;
    expect(means?.relaxed).toBeCloseTo(mean(0), 9);
    expect(means?.normal).toBeCloseTo(mean(1), 9);
    expect(means?.high).toBe(5);
  });

  it("Stress & recovery 'Stress through the day' gives every 5 minutes of a local day its sample, in both the strip and the line", async () => {
    const day = data.days.at(-2); // yesterday: complete, every 5 minutes
    if (!day) throw new Error('dataset has no day');
    // That local day (5-minute buckets, as in the panel's own 24 h range).
    const next = DateTime.fromSeconds(day.midnight, { zone: ZONE }).plus({ days: 1 }).toSeconds();
    const range = { fromMs: day.midnight * 1000, toMs: (next - 1) * 1000 };
    const strip = await runPanel(panel('mifit-stress-recovery', 'Stress through the day (zones)'), range);
    const withData = strip.filter((x) => x.stress !== null);
    expect(withData.length).toBe((next - day.midnight) / 300); // 276 on a 23-hour DST day, 300 on a 25-hour one
    // Each bucket holds the one sample of its 5 minutes (elapsed minutes since local midnight).
    for (const x of withData) expect(x.stress, `${x.time}`).toBe(stressAt((Number(x.time) - day.midnight) / 60));
    expect(withData.find((x) => DateTime.fromSeconds(Number(x.time), { zone: ZONE }).toFormat('HH:mm') === '08:30')?.stress).toBe(82);
    const lineRows = await runPanel(panel('mifit-stress-recovery', 'Stress through the day'), range);
    expect(lineRows).toEqual(strip);
  });

  it("Stress & recovery 'Sleep HRV vs baseline' and 'Skin temperature vs baseline' show each night on its wake day", async () => {
    const nightsInRange = data.days.filter((d) => d.events.readiness && d.midnight * 1000 >= nowMs - 30 * 86_400_000);
    expect(nightsInRange.length).toBeGreaterThan(25);
    const hrv = await runPanel(panel('mifit-stress-recovery', 'Sleep HRV vs baseline'));
    expect(hrv).toEqual(nightsInRange.map((d) => ({ time: d.midnight, HRV: d.events.readiness?.hrv, baseline: 52 })));
    const skin = await runPanel(panel('mifit-stress-recovery', 'Skin temperature vs baseline'));
    expect(skin.map((x) => [x.time, x['skin temperature']])).toEqual(nightsInRange.map((d) => [d.midnight, d.events.readiness?.skinTemp]));
    const latest = nightsInRange.at(-1);
    expect((await runPanel(panel('mifit-stress-recovery', 'Readiness (last night)')))[0]?.readiness).toBe(latest?.events.readiness?.score);
  });

  it("Stress & recovery 'Nightly ODI' and 'ODI (last night)' show the valid nights' ODI", async () => {
    const r = await runPanel(panel('mifit-stress-recovery', 'Nightly ODI'));
    const inRange = data.days.filter((d) => d.events.odi && d.midnight * 1000 >= nowMs - 30 * 86_400_000);
    expect(r.map((x) => [x.time, x.ODI])).toEqual(inRange.map((d) => [d.midnight, d.events.odi?.perHour]));
    expect(r.filter((x) => Number(x.ODI) > 5).length).toBe(inRange.filter((d) => d.events.odi?.perHour === 6.4).length);
    expect((await runPanel(panel('mifit-stress-recovery', 'ODI (last night)')))[0]?.ODI).toBe(inRange.at(-1)?.events.odi?.perHour);
  });

  it("Stress & recovery 'SpO₂ (latest spot check)' is the newest reading", async () => {
    const spots = data.days.flatMap((d) => d.events.spots);
    expect((await runPanel(panel('mifit-stress-recovery', 'SpO₂ (latest spot check)')))[0]?.SpO2).toBe(spots.at(-1)?.pct);
  });

  it("Overview PAI: each computed day's PAI and 7-day total, and the newest total on the gauge", async () => {
    const r = await runPanel(panel('mifit-overview', 'PAI per day and 7-day total'));
    const computed = data.days.filter((d) => d.events.pai && d.midnight * 1000 >= nowMs - 30 * 86_400_000);
    expect(computed.length).toBeGreaterThan(20);
    expect(r).toEqual(computed.map((d) => ({ time: d.midnight, daily: d.events.pai?.daily, '7-day total': d.events.pai?.total })));
    // The last 2 days are not computed yet: the gauge shows the newest that is.
    expect(data.days.at(-1)?.events.pai).toBeUndefined();
    const newest = data.days.filter((d) => d.events.pai).at(-1);
    expect((await runPanel(panel('mifit-overview', 'PAI (7 days)')))[0]?.PAI).toBe(newest?.events.pai?.total);
  });

  const inLast = (days: number) => (t: number): boolean => t * 1000 >= nowMs - days * 86_400_000;
  const selected = (): Workout => {
    const w = data.workouts.find((x) => x.track === track);
    if (!w) throw new Error('no selected workout');
    return w;
  };
  /** The time range the table row's link sets: from the start to start + duration. */
  const rangeOf = (w: Workout) => ({ fromMs: w.start * 1000, toMs: (w.start + w.durationS) * 1000 });

  it("Workouts 'Workouts' lists every workout of the range with its sport, duration, distance, pace/speed and average heart rate", async () => {
    const r = await runPanel(panel('mifit-workouts', 'Workouts'));
    const expected = data.workouts.filter((w) => inLast(30)(w.start));
    expect(expected.length).toBeGreaterThan(25);
    const byTime = [...r].sort((a, b) => Number(a.time) - Number(b.time));
    expect(byTime).toEqual(expected.map((w) => ({
      time: w.start, sport: w.sport, track: w.track, duration: w.durationS, distance: w.distanceM ?? null,
      'pace /km': w.paceSPerKm ?? null, 'pace /100 m': null, speed: w.speedKmh ?? null, 'avg HR': w.avgHr, 'duration ms': w.durationS * 1000,
    })));
    // A run: 30 min over 5000 + 10·i m; the link's end is start + 1 800 000 ms.
    const run = byTime.find((x) => x.sport === 'outdoor_run');
    expect(Number(run?.['pace /km'])).toBeCloseTo((1800 / Number(run?.distance)) * 1000, 2);
    expect(Number(run?.time) * 1000 + Number(run?.['duration ms'])).toBe((Number(run?.track) + 1800) * 1000);
  });

  it("Workouts: the track variable lists the account's workouts, and the selected one's summary", async () => {
    const v = variableQueries(dashboards).find((x) => x.name === 'track');
    const values = rows(await influxQuery(url, interpolate(v?.query ?? '', { fromMs: 0, toMs: nowMs, intervalMs: 60_000, vars: { user: 'demo' } }), db)).map((x) => x.value);
    expect([...values].sort()).toEqual(data.workouts.map((w) => w.track).sort());
    const w = selected();
    const s = await runPanel(panel('mifit-workouts', 'Selected workout'), rangeOf(w));
    expect(s).toEqual([{ time: w.start, distance: w.distanceM, duration: 1800, moving: 1800, 'avg HR': w.avgHr, 'max HR': null, calories: expect.any(Number), 'training effect': null }]);
  });

  it("Workouts: the selected workout's heart rate, altitude and route are its samples in order", async () => {
    const w = selected();
    const range = rangeOf(w);
    const hr = await runPanel(panel('mifit-workouts', 'Heart rate'), range);
    expect(hr).toEqual(w.samples.map((x) => ({ time: x.t, 'heart rate': x.bpm })));
    const alt = await runPanel(panel('mifit-workouts', 'Altitude'), range);
    expect(alt).toEqual(w.samples.map((x) => ({ time: x.t, altitude: x.altitude })));
    const route = await runPanel(panel('mifit-workouts', 'Route'), range);
    expect(route).toHaveLength(180); // 30 min, a fix every 10 s
    expect(route).toEqual(w.samples.map((x) => ({ time: x.t, lat: x.lat, lon: x.lon })));
    // Another account's or another workout's samples never appear.
    const strength = data.workouts.filter((x) => x.sport === 'strength').at(-1);
    if (!strength) throw new Error('no strength workout');
    track = strength.track;
    try {
      expect(await runPanel(panel('mifit-workouts', 'Route'), rangeOf(strength))).toEqual([]); // indoors: no track
      expect((await runPanel(panel('mifit-workouts', 'Heart rate'), rangeOf(strength))).length).toBe(240);
    } finally {
      track = w.track;
    }
  });

  it("Workouts 'Pace and speed': one sample per 10-second bucket, speed in km/h and pace in s/km", async () => {
    const w = selected();
    const q = panel('mifit-workouts', 'Pace and speed');
    const speed = await runPanel(q, rangeOf(w));
    const pace = await runPanel(panelQueries(dashboards).find((p) => p.panel === 'Pace and speed' && p.refId === 'B') ?? q, rangeOf(w));
    expect(speed.map((x) => x.time)).toEqual(w.samples.map((x) => x.t));
    speed.forEach((x, k) => expect(x.speed, `${x.time}`).toBeCloseTo((w.samples[k]?.speed ?? NaN) * 3.6, 9));
    pace.forEach((x, k) => expect(x.pace, `${x.time}`).toBeCloseTo(1000 / (w.samples[k]?.speed ?? NaN), 9));
    // 2.5 m/s is 9 km/h and 400 s (6:40) per km.
    expect(speed[0]?.speed).toBeCloseTo(9, 9);
    expect(pace[0]?.pace).toBeCloseTo(400, 9);
  });

  it("Workouts 'Weekly distance per sport' and 'Weekly time per sport' sum each sport per local week from Monday", async () => {
    const fromMs = nowMs - 30 * 86_400_000;
    const weekly = (value: (w: Workout) => number | undefined): Map<string, number> => {
      const out = new Map<string, number>();
      for (const w of data.workouts) {
        const v = value(w);
        if (w.start * 1000 < fromMs || v === undefined) continue;
        const monday = DateTime.fromSeconds(w.start, { zone: ZONE }).startOf('week'); // luxon: Monday 00:00
        const key = `${w.sport} ${monday.toSeconds()}`;
        out.set(key, (out.get(key) ?? 0) + v);
      }
      return out;
    };
    // InfluxDB 1.x labels the week that begins just after a DST change an hour off (a Sunday
    // 23:00 after the autumn change; grafana/README.md "Known limits"): key each bucket by the
    // local Monday nearest to its label.
    const monday = (t: unknown): number => DateTime.fromSeconds(Number(t), { zone: ZONE }).plus({ hours: 12 }).startOf('week').toSeconds();
    const distance = await runPanel(panel('mifit-workouts', 'Weekly distance per sport'));
    expect(new Map(distance.map((x) => [`${x.sport} ${monday(x.time)}`, x.distance]))).toEqual(weekly((w) => w.distanceM));
    expect(new Set(distance.map((x) => x.sport))).toEqual(new Set(['outdoor_run', 'outdoor_cycling']));
    const time = await runPanel(panel('mifit-workouts', 'Weekly time per sport'));
    expect(new Map(time.map((x) => [`${x.sport} ${monday(x.time)}`, x.duration]))).toEqual(weekly((w) => w.durationS));
    expect(new Set(time.map((x) => x.sport))).toEqual(new Set(['outdoor_run', 'outdoor_cycling', 'strength']));
    // Buckets begin on a Monday at local midnight (InfluxDB counts weeks from a Thursday), at most
    // an hour off in a week after a DST change.
    for (const x of time) expect(Math.abs(Number(x.time) - monday(x.time)), String(x.time)).toBeLessThanOrEqual(3600);
    const exact = time.filter((x) => DateTime.fromSeconds(Number(x.time), { zone: ZONE }).toFormat('ccc HH:mm') === 'Mon 00:00');
    expect(exact.length).toBeGreaterThanOrEqual(time.length - 3);
  });

  it("Body: latest weight per member, the 7-weigh-in trend and BMI equal the weigh-ins", async () => {
    const inRange = data.weighIns.filter((w) => inLast(90)(w.time));
    const owner = inRange.filter((w) => w.member === 'owner');
    const family = inRange.filter((w) => w.member === FAMILY_MEMBER);
    const latest = await runPanel(panel('mifit-body', 'Weight (latest)'));
    expect(Object.fromEntries(latest.map((x) => [x.member, x.weight]))).toEqual({ owner: owner.at(-1)?.weight, [FAMILY_MEMBER]: family.at(-1)?.weight });
    const trendQ = panelQueries(dashboards).find((p) => p.dashboard === 'mifit-body' && p.panel === 'Weight and trend' && p.refId === 'B');
    if (!trendQ) throw new Error('no trend query');
    const trend = (await runPanel(trendQ)).filter((x) => x.member === 'owner');
    // The moving average of 7 weigh-ins starts at the 7th and is the mean of it and the 6 before.
    expect(trend).toHaveLength(owner.length - 6);
    trend.forEach((x, k) => {
      const window = owner.slice(k, k + 7);
      expect(x.time).toBe(owner[k + 6]?.time);
      expect(x.trend).toBeCloseTo(window.reduce((a, w) => a + w.weight, 0) / 7, 9);
    });
    const change = await runPanel(panel('mifit-body', 'Weight change over the range'));
    expect(change.find((x) => x.member === 'owner')?.change).toBeCloseTo((owner.at(-1)?.weight ?? NaN) - (owner[0]?.weight ?? NaN), 9);
    const bmi = await runPanel(panel('mifit-body', 'BMI'));
    expect(bmi.filter((x) => x.member === FAMILY_MEMBER).map((x) => [x.time, x.BMI])).toEqual(family.map((w) => [w.time, w.bmi]));
    expect(family[0]?.bmi).toBe(Math.round((family[0]?.weight ?? NaN) / 1.65 ** 2 * 10) / 10);
    const fat = await runPanel(panel('mifit-body', 'Body fat'));
    expect(fat.filter((x) => x.member === 'owner').map((x) => x.fat)).toEqual(owner.map((w) => w.fat));
  });
});
