// The health events end to end: the fake Huami cloud over HTTP, a real InfluxDB, the sync on a
// fake clock shared by both. Expected values are computed here by hand from the fake's own
// ground truth (server.events.stress/pai/clicks/night), never by the decoder under test.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { DEMO_EMAIL, DEMO_PASSWORD, DEMO_USER_ID, startFakeServer, type FakeServer, type FakeServerOptions } from '../../src/fake/index.js';
import { createHuamiClient } from '../../src/fetch/from-config.js';
import { createLogger } from '../../src/log.js';
import { captureLogs } from '../support/log-capture.js';
import { dateRange } from '../../src/sync/dates.js';
import { runReprocess, runSync, type AccountRunResult, type SyncOptions } from '../../src/sync/index.js';
import { createWriter, writerOptions } from '../../src/write/index.js';
import { toLines } from '../../src/schema/line-protocol.js';
import { createTestDatabase, influxQuery, rows } from '../support/influxd.js';
import { DEMO_KEY } from '../support/sync-cli.js';
import { expectedHeartRatePoints } from '../support/sync-fake.js';
import { tempDir } from '../support/tmp.js';

const ZONE = 'Europe/Berlin';
const FROM = '2026-09-01';
const T0 = Date.parse('2026-09-20T03:00:00Z'); // 05:00 in Berlin: yesterday's PAI is not computed yet
const H = 3_600_000;
const influxUrl = inject('influxUrl');
const UID = DEMO_USER_ID;
const EVENT_PATH = /\/events$/;
const MEASUREMENTS = ['stress_daily', 'stress_sample', 'blood_oxygen_spot', 'blood_oxygen_sample', 'blood_oxygen_odi', 'blood_oxygen_desaturation', 'pai_daily', 'readiness'] as const;

let fake: FakeServer | undefined;
let clock = T0;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c().catch(() => undefined);
  await fake?.close();
  fake = undefined;
  clock = T0;
});

async function setup(fakeOpts: FakeServerOptions = {}, clientExtra: { eventsLimit?: number } = {}) {
  const f = await startFakeServer({ seed: 5, from: FROM, now: () => new Date(clock), timezone: ZONE, quiet: true, ...fakeOpts });
  fake = f;
  const db = await createTestDatabase(influxUrl, 'events');
  const dir = tempDir('mifit-events-');
  const config = loadConfig({
    INFLUX_URL: influxUrl, INFLUX_DATABASE: db, INFLUX_API_VERSION: '1', STATE_DIR: dir, HUAMI_BASE_URL: f.url,
    HUAMI_EMAIL: DEMO_EMAIL, HUAMI_PASSWORD: DEMO_PASSWORD, ACCOUNT_NAME: 'anna', TIMEZONE: ZONE, SYNC_START_DATE: FROM,
    HUAMI_MAX_RETRIES: '0', SYNC_LOOKBACK_DAYS: '3', DEMO_MODE: 'off', LOG_LEVEL: 'silent',
    SYNC_WORKOUTS: 'false', // workouts have tests of their own
  });
  const logs = captureLogs('debug');
  const logger = logs.logger;
  const writer = createWriter(writerOptions(config.raw), createLogger('silent'));
  closers.push(() => writer.close());
  // Every span the sync asks InfluxDB to delete (one DELETE statement each).
  const deleted: { measurement: string; start: number; end: number }[] = [];
  const deleteSpans = writer.deleteSpans.bind(writer);
  writer.deleteSpans = (user, spans) => {
    deleted.push(...spans);
    return deleteSpans(user, spans);
  };
  // Per write call, its pai_daily lines (a day holds one PAI value).
  const paiWrites: number[] = [];
  const write = writer.write.bind(writer);
  writer.write = (data) => {
    const text = 'chunks' in data ? data.chunks.map((c) => c.bytes.toString('utf8')).join('') : toLines(data);
    const pai = text.split('\n').filter((l) => l.startsWith('pai_daily,')).length;
    if (pai) paiWrites.push(pai);
    return write(data);
  };
  const deps = { config, logger, writer, now: () => new Date(clock), clientFor: (a: (typeof config.accounts)[number]) => createHuamiClient(config.raw, a, logger, { now: () => clock, retryBaseMs: 1, ...clientExtra }) };
  const sync = async (opts: SyncOptions = {}): Promise<AccountRunResult & { eventRequests: number }> => {
    const mark = f.requests.length;
    const [r] = await runSync(deps, opts);
    if (!r) throw new Error('no result');
    return { ...r, eventRequests: f.requests.slice(mark).filter((q) => EVENT_PATH.test(q.path)).length };
  };
  const reprocess = async (): Promise<AccountRunResult> => {
    const [r] = await runReprocess(deps, {});
    if (!r) throw new Error('no result');
    return r;
  };
  const select = async (m: string): Promise<Record<string, unknown>[]> => rows(await influxQuery(influxUrl, `SELECT * FROM "${m}" WHERE "user"='anna'`, db));
  const counts = async (): Promise<Record<string, number>> => {
    const out: Record<string, number> = {};
    for (const m of MEASUREMENTS) out[m] = (await select(m)).length;
    return out;
  };
  return { f, db, dir, sync, reprocess, select, counts, deleted, logs, paiWrites };
}

const midnight = (d: string): number => DateTime.fromISO(d, { zone: ZONE }).toSeconds();
const today = (): string => DateTime.fromMillis(clock, { zone: ZONE }).toISODate() as string;
const byTime = (list: Record<string, unknown>[]): Map<number, Record<string, unknown>> => new Map(list.map((x) => [Number(x.time), x]));

/** The points every measurement should hold for [FROM, today], from the fake's truth, by hand. */
function expected(f: FakeServer) {
  const days = dateRange(FROM, today());
  const first = midnight(FROM);
  const stress = days.map((d) => f.events.stress(UID, d)).filter((t) => t !== undefined);
  const pai = days.map((d) => f.events.pai(UID, d)).filter((t) => t !== undefined);
  const clicks = days.flatMap((d) => f.events.clicks(UID, d, ZONE));
  const nights = days.map((d) => f.events.night(UID, d, ZONE)).filter((n) => n !== undefined);
  const osa = new Map<number, number>();
  for (const n of nights) for (const o of n.osa) if (o.time / 1000 >= first) osa.set(Math.floor(o.time / 1000), o.drop);
  // A click's history is its readings in the seconds before it (trailing zeros are padding);
  // two clicks close together report some of the same seconds, which are one point each.
  const sampleTimes = new Set<number>();
  for (const c of clicks) {
    let end = c.history.length;
    while (end > 0 && c.history[end - 1] === 0) end--;
    for (let i = 0; i < end; i++) if ((c.history[i] as number) > 0) sampleTimes.add(Math.floor(c.time / 1000) - (end - 1 - i));
  }
  const spo2Samples = sampleTimes.size;
  return { stress, pai, clicks, nights, osa, spo2Samples };
}

async function expectTruth(s: Awaited<ReturnType<typeof setup>>): Promise<void> {
  const e = expected(s.f);
  expect(e.stress.length).toBeGreaterThan(10);
  expect(e.nights.length).toBeGreaterThan(10);
  expect(e.clicks.length).toBeGreaterThan(0);
  const daily = byTime(await s.select('stress_daily'));
  expect(daily.size).toBe(e.stress.length);
  for (const t of e.stress) {
    const [relax, normal, medium, high] = t.proportions;
    expect(daily.get(midnight(t.date))).toMatchObject({ stress_avg: t.avg, stress_min: t.min, stress_max: t.max, relaxed_pct: relax, normal_pct: normal, medium_pct: medium, high_pct: high, samples: t.samples.length });
  }
  const samples = byTime(await s.select('stress_sample'));
  const wantSamples = new Map(e.stress.flatMap((t) => t.samples.map((x) => [Math.floor(x.time / 1000), x.value] as const)));
  expect(samples.size).toBe(wantSamples.size);
  for (const [t, v] of wantSamples) expect(samples.get(t)?.stress).toBe(v);
  const spot = byTime(await s.select('blood_oxygen_spot'));
  expect(spot.size).toBe(e.clicks.length);
  for (const c of e.clicks) {
    const n = c.history.filter((v) => v > 0).length;
    expect(spot.get(Math.floor(c.time / 1000))).toMatchObject({ saturation_pct: c.spo2, auto: c.isAuto ? 1 : 0, ...(n ? { history_samples: n } : {}) });
  }
  expect((await s.select('blood_oxygen_sample')).length).toBe(e.spo2Samples);
  const odi = byTime(await s.select('blood_oxygen_odi'));
  expect(odi.size).toBe(e.nights.length);
  for (const n of e.nights) {
    expect(odi.get(midnight(n.wakeDate))).toMatchObject({ desaturations: n.odi.odiNum, odi_per_h: n.odi.odi, sleep_s: n.ed - n.st, score: n.odi.score, valid: 1 });
  }
  const desat = byTime(await s.select('blood_oxygen_desaturation'));
  expect(desat.size).toBe(e.osa.size);
  for (const [t, drop] of e.osa) expect(desat.get(t)?.drop_pct).toBe(drop);
  const pai = byTime(await s.select('pai_daily'));
  expect(pai.size).toBe(e.pai.length);
  for (const p of e.pai) {
    expect(pai.get(midnight(p.date))).toMatchObject({ pai: p.dailyPai, total_pai: p.totalPai, low_zone_min: p.zoneMinutes[0], medium_zone_min: p.zoneMinutes[1], high_zone_min: p.zoneMinutes[2], resting_hr_bpm: p.restHr, max_hr_bpm: p.maxHr });
  }
  const ready = byTime(await s.select('readiness'));
  expect(ready.size).toBe(e.nights.length);
  for (const n of e.nights) {
    const shown = n.shown;
    const row = ready.get(midnight(n.wakeDate));
    expect(row).toMatchObject({ sleep_hrv_ms: shown.sleepHRV, computed_s: Math.floor((shown.timestampUpdate as number) / 1000), skin_temp_delta_c: (shown.skinTempCalibrated as number) / 100 });
    // 255 is "not computed yet" (docs/metrics.md "Health events"): no field, never the sentinel.
    expect(row?.readiness_score).toBe(shown.rdnsScore === 255 ? null : shown.rdnsScore);
  }
}

describe('health events sync', () => {
  it('asks PAI and readiness (about one item a day) in ranges of 180 and 150 days, stress and SpO₂ in ranges of 60, and loses nothing', async () => {
    clock = T0 + 300 * 86_400_000; // a first backfill of 320 days: 2 PAI ranges, 3 readiness ranges, 6 of the others
    const s = await setup();
    const mark = s.f.requests.length;
    const first = await s.sync();
    expect(first.ok).toBe(true);
    const days = dateRange(FROM, today()).length;
    expect(days).toBe(320); // 2026-09-01 … 2027-07-17
    const asked = (type: string): number => s.f.requests.slice(mark).filter((q) => EVENT_PATH.test(q.path) && q.query.eventType === type).length;
    // ceil(days / size) ranges, none of them paged (the fake pages at more items than a range holds).
    expect(asked('PaiHealthInfo')).toBe(Math.ceil(days / 180));
    expect(asked('readiness')).toBe(Math.ceil(days / 150));
    expect(asked('all_day_stress')).toBe(Math.ceil(days / 60));
    expect(asked('blood_oxygen')).toBe(Math.ceil(days / 60));
    // A group holds at most 60 days, however few points they have (memory, and a first write
    // after the first answer): 320 PAI days take at least six writes of at most 60 days, not one.
    expect(s.paiWrites.length).toBeGreaterThanOrEqual(Math.ceil(days / 60));
    expect(Math.max(...s.paiWrites)).toBeLessThanOrEqual(60);
    await expectTruth(s);
  });

  it('fills every event measurement with the fake\'s values; a second run doubles nothing; an incremental run costs at most 6 requests', async () => {
    const s = await setup();
    const first = await s.sync();
    expect(first.ok).toBe(true);
    expect(first.daysFailed).toBe(0);
    expect(first.events?.daysWritten).toBeGreaterThan(0);
    await expectTruth(s);
    // Readiness scores still being built are 255, the documented "no value" marker: expected,
    // so logged at debug only and not counted as warnings.
    const building = expected(s.f).nights.filter((n) => n.shown.rdnsScore === 255).length;
    expect(building).toBeGreaterThan(0);
    const records = s.logs.records();
    expect(records.filter((r) => r.code === 'SENTINEL' && r.level === 20).length).toBeGreaterThanOrEqual(building);
    expect(records.filter((r) => r.code === 'SENTINEL' && Number(r.level) >= 40)).toEqual([]);
    expect(first.warnings).toBe(records.filter((r) => Number(r.level) === 40 && typeof r.day === 'string' && typeof r.code === 'string').length);
    const before = await s.counts();
    // Same clock: nothing changed upstream, nothing is written again.
    const again = await s.sync();
    expect(again.ok).toBe(true);
    expect(again.events?.daysWritten).toBe(0);
    expect(await s.counts()).toEqual(before);
    // The daemon's next run, half an hour later: credentials, band_data and one request per event type.
    clock += H / 2;
    const next = await s.sync();
    expect(next.ok).toBe(true);
    expect(next.eventRequests).toBe(4);
    // Workouts and weigh-ins are counted apart (their own budget of 2).
    expect(next.requests - (next.workouts?.requests ?? 0)).toBeLessThanOrEqual(6);
    await expectTruth(s);
    const now = await s.counts();
    // The raw answers are kept per stream, and reprocess replays them to the same points.
    expect(existsSync(join(s.dir, DEMO_KEY, 'raw', 'events', 'all_day_stress'))).toBe(true);
    const re = await s.reprocess();
    expect(re.ok).toBe(true);
    expect(re.daysFailed).toBe(0);
    await expectTruth(s);
    expect(await s.counts()).toEqual(now);
  });

  it('writes PAI that the service computes a day late', async () => {
    const s = await setup();
    const late = dateRange('2026-09-17', today()).filter((d) => s.f.events.pai(UID, d) === undefined && s.f.data.days(UID, d, d).length > 0);
    expect(late.length).toBeGreaterThan(0);
    expect((await s.sync()).ok).toBe(true);
    const paiAt = async (d: string) => byTime(await s.select('pai_daily')).get(midnight(d));
    for (const d of late) expect(await paiAt(d)).toBeUndefined();
    clock += 30 * H;
    const r = await s.sync();
    expect(r.ok).toBe(true);
    for (const d of late) {
      const truth = s.f.events.pai(UID, d);
      expect(truth).toBeDefined();
      expect(await paiAt(d)).toMatchObject({ pai: truth?.dailyPai, total_pai: truth?.totalPai });
    }
    await expectTruth(s);
  });

  it('asks a band-only account for events once a day only, and starts when the watch arrives', async () => {
    const s = await setup();
    s.f.events.setBandOnly(UID, true);
    const first = await s.sync();
    expect(first.ok).toBe(true);
    expect(first.eventRequests).toBe(4); // the first backfill asks every stream once
    // Nothing found: no event day state, no points.
    expect(existsSync(join(s.dir, DEMO_KEY, 'events', 'all_day_stress', 'days'))).toBe(false);
    clock += H / 2;
    const next = await s.sync();
    expect(next.ok).toBe(true);
    expect(next.eventRequests).toBe(0);
    expect(next.requests - (next.workouts?.requests ?? 0)).toBe(2); // credentials and band_data: no more than without events
    expect(next.events?.skipped).toHaveLength(4);
    clock += 24 * H;
    const probe = await s.sync();
    expect(probe.eventRequests).toBe(4); // one probe per stream, a day later
    clock += H / 2;
    expect((await s.sync()).eventRequests).toBe(0);
    // The account gets a watch: the next day's probe finds items and brings in the whole range.
    s.f.events.setBandOnly(UID, false);
    clock += 24 * H;
    const found = await s.sync();
    expect(found.ok).toBe(true);
    await expectTruth(s);
    expect(Object.values(await s.counts()).every((n) => n > 0)).toBe(true);
  });

  it.each([
    { eventsPaging: 'next' as const, readinessShape: 'flat' as const },
    { eventsPaging: 'truncate' as const, readinessShape: 'value' as const },
    { eventsPaging: 'truncate' as const, readinessShape: 'flat' as const },
  ])('pages through small answers and reads both readiness shapes ($eventsPaging, $readinessShape)', async (variant) => {
    const s = await setup(variant, { eventsLimit: 7 });
    const r = await s.sync();
    expect(r.ok).toBe(true);
    expect(r.daysFailed).toBe(0);
    // 20 days of stress in pages of 7: the window took more than one request.
    expect(r.eventRequests).toBeGreaterThan(4);
    await expectTruth(s);
  });
  it('sync --force of a changed upstream leaves exactly the new points, clearing each measurement with one DELETE for all its ranges', async () => {
    clock = Date.parse('2026-11-25T03:00:00Z'); // 86 days: three band_data ranges, two per event stream
    const s = await setup();
    expect((await s.sync()).ok).toBe(true);
    const day = '2026-10-15';
    const heartRate = async (): Promise<Map<number, unknown>> => {
      const list = rows(await influxQuery(influxUrl, `SELECT bpm FROM heart_rate WHERE "user"='anna' AND time >= ${midnight(day)}s AND time < ${midnight('2026-10-16')}s`, s.db));
      return new Map(list.map((x) => [Number(x.time), x.bpm]));
    };
    // By hand from the fake's record: minute i of the day's hr bytes is local midnight + i min; 0, 254 and 255 are no reading.
    const truth = (): Map<number, number> => {
      const hr = s.f.data.day(UID, day)?.hr ?? [];
      const out = new Map<number, number>();
      hr.forEach((b, i) => {
        if (b !== 0 && b !== 254 && b !== 255) out.set(midnight(day) + i * 60, b);
      });
      return out;
    };
    const oldHr = truth();
    expect(await heartRate()).toEqual(oldHr);
    const oldStress = new Set(s.f.events.stress(UID, day)?.samples.map((x) => Math.floor(x.time / 1000)));
    s.f.data.bump(UID, day); // regenerated differently, as after a late band sync
    const newHr = truth();
    const newStress = new Set(s.f.events.stress(UID, day)?.samples.map((x) => Math.floor(x.time / 1000)));
    // Preconditions: the new version lacks some minutes and stress instants the old one has.
    expect([...oldHr.keys()].some((t) => !newHr.has(t))).toBe(true);
    expect([...oldStress].some((t) => !newStress.has(t))).toBe(true);
    s.deleted.length = 0;
    const r = await s.sync({ force: true, from: FROM, to: today() });
    expect(r.ok).toBe(true);
    expect(await heartRate()).toEqual(newHr);
    expect((await s.select('heart_rate')).length).toBe(expectedHeartRatePoints(s.f, UID, FROM, today()));
    // Every stress sample of the fake's current truth, by instant, and nothing else.
    const stress = expected(s.f).stress;
    const samples = byTime(await s.select('stress_sample'));
    const want = new Map(stress.flatMap((t) => t.samples.map((x) => [Math.floor(x.time / 1000), x.value] as const)));
    expect(new Map([...samples].map(([t, x]) => [t, x.stress]))).toEqual(want);
    for (const t of oldStress) if (!newStress.has(t)) expect(samples.has(t)).toBe(false);
    const daily = byTime(await s.select('stress_daily'));
    expect(daily.size).toBe(stress.length);
    const bumped = stress.find((t) => t.date === day);
    expect(daily.get(midnight(day))).toMatchObject({ stress_avg: bumped?.avg, stress_max: bumped?.max, samples: bumped?.samples.length });
    // One statement per measurement for the whole forced range, not one per range (3 band, 2 event).
    const statements = (m: string): number => s.deleted.filter((d) => d.measurement === m).length;
    for (const m of ['heart_rate', 'activity_minute', 'stress_sample', 'stress_daily', 'pai_daily']) expect(statements(m), m).toBe(1);
  });
});
