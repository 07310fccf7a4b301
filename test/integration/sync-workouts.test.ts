// Workouts and weigh-ins end to end: the fake Huami cloud over HTTP on a fake clock, a real
// InfluxDB. Expected values are computed by hand from the fake's ground truth (its workouts'
// distances, ends, heart-rate samples and track points; its weigh-ins' summaries), never from
// the decoder.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { run as exportGpx } from '../../src/commands/export-gpx.js';
import { loadConfig } from '../../src/config/load.js';
import { DEMO_EMAIL, DEMO_PASSWORD, DEMO_USER_ID, startFakeServer, type FakeServer, type FakeWorkout } from '../../src/fake/index.js';
import { createHuamiClient } from '../../src/fetch/from-config.js';
import { createLogger } from '../../src/log.js';
import { runReprocess, runSync, type AccountRunResult } from '../../src/sync/index.js';
import { createWriter, WriteError, writerOptions } from '../../src/write/index.js';
import { createTestDatabase, influxQuery, rows } from '../support/influxd.js';
import { readGpx } from '../support/gpx-reader.js';
import { tempDir } from '../support/tmp.js';

const ZONE = 'Europe/Berlin';
const FROM = '2026-08-20';
const T0 = Date.parse('2026-09-20T10:00:00Z');
const H = 3_600_000;
const influxUrl = inject('influxUrl');
let fake: FakeServer;
let clock = T0;
const now = (): Date => new Date(clock);
const SPORT_PATHS = /^\/v1\/sport\/|weightRecords$|familymember|^\/users\/[^/]+$/;

beforeAll(async () => {
  fake = await startFakeServer({ seed: 5, from: FROM, now, timezone: ZONE, quiet: true });
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => {
  fake.sport.throttleDetail(undefined);
  fake.data.reset();
  clock = T0;
});

async function setup(extra: Record<string, string> = {}) {
  const db = await createTestDatabase(influxUrl, 'workouts');
  const dir = tempDir('mifit-workouts-');
  const config = loadConfig({
    INFLUX_URL: influxUrl, INFLUX_DATABASE: db, INFLUX_API_VERSION: '1', STATE_DIR: dir, HUAMI_BASE_URL: fake.url,
    HUAMI_EMAIL: DEMO_EMAIL, HUAMI_PASSWORD: DEMO_PASSWORD, ACCOUNT_NAME: 'anna', TIMEZONE: ZONE, SYNC_START_DATE: FROM,
    HUAMI_CHUNK_DAYS: '40', HUAMI_MAX_RETRIES: '0', DEMO_MODE: 'off', LOG_LEVEL: 'silent', ...extra,
  });
  const logger = createLogger('silent');
  const writer = createWriter(writerOptions(config.raw), logger);
  // Every span the sync asks InfluxDB to delete (one DELETE statement each).
  const deleted: { measurement: string; tags?: Record<string, string> }[] = [];
  const deleteSpans = writer.deleteSpans.bind(writer);
  writer.deleteSpans = (user, spans) => {
    deleted.push(...spans);
    return deleteSpans(user, spans);
  };
  // While set, a write whose lines are workouts fails as InfluxDB being down would.
  const faults = { workoutWrites: false };
  const write = writer.write.bind(writer);
  writer.write = (data) => {
    const first = 'chunks' in data ? data.chunks[0]?.bytes.toString('latin1', 0, 8) : data[0]?.measurement;
    if (faults.workoutWrites && first?.startsWith('workout')) return Promise.reject(new WriteError('INFLUX_UNREACHABLE', 'InfluxDB is down (test)', { retryable: true }));
    return write(data);
  };
  const deps = { config, logger, writer, now, clientFor: (a: (typeof config.accounts)[number]) => createHuamiClient(config.raw, a, logger, { now: () => clock, retryBaseMs: 1 }) };
  const sync = async (force = false): Promise<AccountRunResult> => {
    const [r] = await runSync(deps, { force });
    if (!r) throw new Error('no result');
    return r;
  };
  const reprocess = async (range: { from?: string; to?: string } = {}): Promise<AccountRunResult> => {
    const [r] = await runReprocess(deps, range);
    if (!r) throw new Error('no result');
    return r;
  };
  const q = async (sql: string) => rows(await influxQuery(influxUrl, sql, db));
  const env = { INFLUX_URL: influxUrl, INFLUX_DATABASE: db, STATE_DIR: dir, HUAMI_EMAIL: DEMO_EMAIL, HUAMI_PASSWORD: DEMO_PASSWORD, ACCOUNT_NAME: 'anna', TIMEZONE: ZONE, LOG_LEVEL: 'silent' };
  return { db, dir, env, sync, reprocess, q, deleted, faults, close: () => writer.close() };
}

/** The instant → bpm a workout's heart rate ends with (a Δt-0 sample replaces the one before). */
function finalHr(w: FakeWorkout): Map<number, number> {
  const m = new Map<number, number>();
  for (const s of w.hr) m.set(s.t, s.bpm);
  return m;
}

const sec = (t: unknown) => Number(t); // influxQuery asks for epoch seconds

/** Check every workout's summary and samples against the fake's ground truth. */
async function expectWorkouts(s: Awaited<ReturnType<typeof setup>>, workouts: FakeWorkout[]): Promise<void> {
  const summary = await s.q(`SELECT duration_s, distance_m, type_code, track FROM workout WHERE "user"='anna'`);
  expect(summary.length).toBe(workouts.length);
  const byTrack = new Map(summary.map((r) => [String(r.track), r]));
  for (const w of workouts) {
    const row = byTrack.get(String(w.trackid));
    expect(row, `workout ${w.trackid}`).toBeDefined();
    expect(row?.duration_s).toBe(w.end - w.trackid);
    expect(row?.type_code).toBe(w.type);
    // Indoor sports without steps have no distance.
    expect(row?.distance_m ?? 0).toBe(w.distance);
  }
  const counts = await s.q(`SELECT count(bpm) AS n FROM workout_sample WHERE "user"='anna' GROUP BY track`);
  expect(counts.length).toBe(workouts.length);
  for (const w of workouts.slice(0, 6)) {
    const hr = await s.q(`SELECT bpm FROM workout_sample WHERE "user"='anna' AND track='${w.trackid}' AND bpm > 0`);
    expect(new Map(hr.map((r) => [sec(r.time), r.bpm]))).toEqual(finalHr(w));
    if (!w.track.length) continue;
    const pts = await s.q(`SELECT lat, lon, altitude_m FROM workout_sample WHERE "user"='anna' AND track='${w.trackid}' AND lat > -91`);
    const first = w.track[0] as FakeWorkout['track'][number];
    const last = w.track[w.track.length - 1] as FakeWorkout['track'][number];
    const lastFix = [...w.track].reverse().find((p) => p.lat !== null) as FakeWorkout['track'][number];
    expect(sec(pts[0]?.time)).toBe(first.t);
    expect(pts[0]?.lat).toBeCloseTo((first.lat as number) / 1e8, 8);
    expect(pts[0]?.lon).toBeCloseTo((first.lon as number) / 1e8, 8);
    const lastRow = pts[pts.length - 1];
    expect(sec(lastRow?.time)).toBe(last.t);
    expect(lastRow?.lat).toBeCloseTo((lastFix.lat as number) / 1e8, 8);
    expect(lastRow?.lon).toBeCloseTo((lastFix.lon as number) / 1e8, 8);
    const lastAlt = [...w.track].reverse().find((p) => p.alt !== null);
    if (lastAlt) expect(lastRow?.altitude_m).toBeCloseTo(lastAlt.alt as number / 100, 2);
  }
}

describe('workouts and weigh-ins', () => {
  it('fills workouts, samples and weigh-ins equal to the fake; a second run doubles nothing and costs two requests', async () => {
    const s = await setup();
    const calls0 = fake.sport.detailCalls;
    const first = await s.sync();
    expect(first.ok).toBe(true);
    const workouts = fake.data.workouts(DEMO_USER_ID);
    expect(workouts.length).toBeGreaterThan(10);
    expect(first.workouts?.written).toBe(workouts.length);
    expect(fake.sport.detailCalls - calls0).toBe(workouts.length);
    await expectWorkouts(s, workouts);
    // Weigh-ins: types 0, 1 and 7 of both members, with the fake's weights.
    const members = fake.data.members(DEMO_USER_ID);
    for (const m of members) {
      const want = fake.data.weighIns(DEMO_USER_ID, m.id).filter((w) => [0, 1, 7].includes(w.weightType));
      const tag = m.id === '-1' ? 'owner' : m.id;
      const got = await s.q(`SELECT weight_kg, bmi FROM weigh_in WHERE "user"='anna' AND member='${tag}'`);
      expect(got.map((r) => [sec(r.time), r.weight_kg])).toEqual(want.map((w) => [w.generatedTime, w.summary.weight]));
      // BMI of an Apple Health import (no height in the record) from the profile height, owner only.
      const apple = want.find((w) => w.weightType === 7);
      if (apple && m.id === '-1') expect(got.find((r) => sec(r.time) === apple.generatedTime)?.bmi).toBe(Math.round((Number(apple.summary.weight) / 1.78 ** 2) * 10) / 10);
    }
    const samples = (await s.q(`SELECT count(bpm) FROM workout_sample WHERE "user"='anna'`))[0]?.count;
    const weighIns = (await s.q(`SELECT count(weight_kg) FROM weigh_in WHERE "user"='anna'`))[0]?.count;

    // Half an hour later nothing is new: the newest history page and one scale page.
    clock += H / 2;
    const mark = fake.requests.length;
    const second = await s.sync();
    expect(second.ok).toBe(true);
    const sport = fake.requests.slice(mark).filter((r) => SPORT_PATHS.test(r.path));
    expect(sport.map((r) => r.path)).toEqual(['/v1/sport/run/history.json', expect.stringMatching(/weightRecords$/)]);
    expect(second.workouts?.written).toBe(0);
    expect(fake.sport.detailCalls - calls0).toBe(workouts.length);
    expect((await s.q(`SELECT count(bpm) FROM workout_sample WHERE "user"='anna'`))[0]?.count).toBe(samples);
    expect((await s.q(`SELECT count(weight_kg) FROM weigh_in WHERE "user"='anna'`))[0]?.count).toBe(weighIns);
    expect(await s.q(`SELECT count(duration_s) FROM workout WHERE "user"='anna'`)).toEqual([expect.objectContaining({ count: workouts.length })]);

    // reprocess rewrites from the archive alone and changes nothing.
    const before = fake.requests.length;
    const re = await s.reprocess();
    expect(re.ok).toBe(true);
    expect(re.workouts?.written).toBe(workouts.length);
    expect(fake.requests.length).toBe(before);
    await expectWorkouts(s, workouts);

    // sync --force rewrites every workout (details from the archive, no detail request) and
    // loses none of their samples (a delete after a rewrite hid them on InfluxDB 1.6).
    const forced = await s.sync(true);
    expect(forced.ok).toBe(true);
    expect(forced.workouts?.written).toBe(workouts.length);
    expect(fake.sport.detailCalls - calls0).toBe(workouts.length);
    expect((await s.q(`SELECT count(bpm) FROM workout_sample WHERE "user"='anna'`))[0]?.count).toBe(samples);
    await expectWorkouts(s, workouts);
    await s.close();
  });

  it('a first run whose workout write fails advances no workout state; the next run writes them all, asking no detail twice', async () => {
    const s = await setup();
    const calls0 = fake.sport.detailCalls;
    s.faults.workoutWrites = true;
    const failed = await s.sync();
    expect(failed.ok).toBe(false);
    expect(failed.error?.code).toBe('INFLUX_UNREACHABLE');
    const workouts = fake.data.workouts(DEMO_USER_ID);
    // Every detail was fetched and archived, no workout is recorded as written.
    expect(fake.sport.detailCalls - calls0).toBe(workouts.length);
    const [key] = readdirSync(s.dir).filter((d) => existsSync(join(s.dir, d, 'raw-workouts')));
    const account = join(s.dir, key ?? 'none');
    expect(readdirSync(join(account, 'raw-workouts'))).toHaveLength(workouts.length);
    expect(existsSync(join(account, 'workouts')) ? readdirSync(join(account, 'workouts')) : []).toEqual([]);
    expect(await s.q(`SELECT count(duration_s) FROM workout WHERE "user"='anna'`)).toEqual([]);
    s.faults.workoutWrites = false;
    clock += H / 2;
    const again = await s.sync();
    expect(again.ok).toBe(true);
    expect(again.workouts?.written).toBe(workouts.length);
    // The archive held each detail: none is asked again.
    expect(fake.sport.detailCalls - calls0).toBe(workouts.length);
    await expectWorkouts(s, workouts);
    await s.close();
  });

  it('reprocess of part of the history deletes in few statements and keeps every workout outside it', async () => {
    const s = await setup();
    await s.sync();
    const workouts = fake.data.workouts(DEMO_USER_ID);
    // A cut in the middle: the workouts just before it own samples (7 days) reaching past it.
    const mid = workouts[Math.floor(workouts.length / 2)] as FakeWorkout;
    const from = DateTime.fromSeconds(Number(mid.trackid), { zone: ZONE }).toISODate() as string;
    const inside = workouts.filter((w) => (DateTime.fromSeconds(Number(w.trackid), { zone: ZONE }).toISODate() as string) >= from);
    expect(inside.length).toBeGreaterThan(2);
    expect(inside.length).toBeLessThan(workouts.length);
    s.deleted.length = 0;
    const re = await s.reprocess({ from });
    expect(re.ok).toBe(true);
    expect(re.workouts?.written).toBe(inside.length);
    // Two statements per workout before; now far fewer (tags kept only where a neighbour overlaps).
    const statements = s.deleted.filter((d) => d.measurement.startsWith('workout'));
    expect(statements.length).toBeGreaterThan(0);
    expect(statements.length).toBeLessThan(inside.length);
    await expectWorkouts(s, workouts);
    await s.close();
  });

  it('replaces an edited (re-uploaded) workout exactly, fetching its detail once more', async () => {
    const s = await setup();
    await s.sync();
    const outdoor = fake.data.workouts(DEMO_USER_ID).find((w) => w.track.length > 100) as FakeWorkout;
    const calls = fake.sport.detailCalls;
    // The user trims the workout in the app: a shorter track and heart rate, another distance.
    fake.data.editWorkout(DEMO_USER_ID, outdoor.trackid, (w) => {
      const cut = w.track[Math.floor(w.track.length / 2)]?.t as number;
      w.track = w.track.filter((p) => p.t < cut);
      w.hr = w.hr.filter((h) => h.t < cut);
      w.end = cut;
      w.distance = 1234;
    });
    clock += H;
    const r = await s.sync();
    expect(r.workouts?.written).toBe(1);
    expect(fake.sport.detailCalls).toBe(calls + 1);
    await expectWorkouts(s, fake.data.workouts(DEMO_USER_ID));
    const edited = fake.data.workouts(DEMO_USER_ID).find((w) => w.trackid === outdoor.trackid) as FakeWorkout;
    const n = await s.q(`SELECT count(bpm) FROM workout_sample WHERE "user"='anna' AND track='${outdoor.trackid}'`);
    expect(n[0]?.count).toBe(finalHr(edited).size);
    await s.close();
  });

  it('keeps a throttled detail pending without blocking the rest, and fetches it later', async () => {
    const s = await setup();
    const calls0 = fake.sport.detailCalls;
    fake.sport.throttleDetail({ calls: 8, windowSeconds: 60, retryAfterSeconds: 30 });
    const first = await s.sync();
    expect(first.ok).toBe(true);
    const workouts = fake.data.workouts(DEMO_USER_ID);
    expect(first.workouts?.written).toBe(8);
    expect(first.workouts?.pending).toBe(workouts.length - 8);
    expect(fake.sport.detailThrottled).toBeGreaterThan(0);
    let runs = 1;
    while ((await s.q(`SELECT count(duration_s) FROM workout WHERE "user"='anna'`))[0]?.count !== workouts.length && runs < 20) {
      clock += 2 * 60_000;
      const r = await s.sync();
      expect(r.ok).toBe(true);
      runs++;
    }
    expect(runs).toBe(Math.ceil(workouts.length / 8));
    // Every detail answered once, none twice.
    expect(fake.sport.detailCalls - calls0).toBe(workouts.length);
    await expectWorkouts(s, workouts);
    await s.close();
  });

  it('export-gpx writes one GPX 1.1 file per outdoor workout that gpxpy reads back with the fake track', async () => {
    const s = await setup();
    await s.sync();
    const out = join(tempDir('mifit-gpx-'), 'gpx');
    const code = await exportGpx(['--account', 'anna', out], s.env);
    expect(code).toBe(0);
    const outdoor = fake.data.workouts(DEMO_USER_ID).filter((w) => w.track.length > 0);
    const files = readdirSync(out).sort();
    expect(files.length).toBe(outdoor.length);
    const w = outdoor[0] as FakeWorkout;
    const file = files.find((f) => f.endsWith(`-${w.trackid}.gpx`)) as string;
    const read = readGpx(join(out, file));
    expect(read.version).toBe('1.1');
    // One track point per fix (a dropout carries the last position on), at its instant.
    expect(read.points.map((p) => p[3])).toEqual(w.track.map((p) => p.t));
    const firstFix = w.track[0] as FakeWorkout['track'][number];
    expect(read.points[0]?.[0]).toBeCloseTo((firstFix.lat as number) / 1e8, 8);
    expect(read.points[0]?.[1]).toBeCloseTo((firstFix.lon as number) / 1e8, 8);
    const hr = finalHr(w);
    const at = read.points.find((p) => hr.has(p[3] as number));
    expect(at?.[4]).toBe(hr.get(at?.[3] as number));
    await s.close();
  });

  it('reads no workout before the first day of the sync range, and none at all with SYNC_WORKOUTS=false', async () => {
    const s = await setup({ SYNC_START_DATE: '2026-09-10' });
    const r = await s.sync();
    expect(r.ok).toBe(true);
    // The fake's own workouts from the start day on (track id = start instant, epoch seconds).
    const startS = Date.parse('2026-09-09T22:00:00Z') / 1000; // 2026-09-10 00:00 in Berlin (CEST)
    const expected = fake.data.workouts(DEMO_USER_ID).filter((w) => w.trackid >= startS && w.trackid <= clock / 1000);
    expect(expected.length).toBeGreaterThan(0);
    const tracks = (await s.q(`SELECT type_code, track FROM workout WHERE "user"='anna'`)).map((x) => String(x.track)).sort();
    expect(tracks).toEqual(expected.map((w) => String(w.trackid)).sort());
    await s.close();
    const off = await setup({ SYNC_WORKOUTS: 'false' });
    const mark = fake.requests.length;
    const r2 = await off.sync();
    expect(r2.ok).toBe(true);
    expect(r2.workouts).toBeUndefined();
    expect(fake.requests.slice(mark).filter((q) => SPORT_PATHS.test(q.path))).toEqual([]);
    expect(await off.q(`SELECT type_code FROM workout WHERE "user"='anna'`)).toEqual([]);
    await off.close();
  });
});

