// "Nothing lost, nothing stuck" under real-world irregularity: the day life cycle against the
// fake Huami cloud (with its fault switches) and a real InfluxDB, on a fake clock shared by
// both. Each case asserts the exact set of days in InfluxDB, computed from the fake's own
// records, and what the run reports as "synced up to".
import { rmSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { DEMO_EMAIL, DEMO_PASSWORD, DEMO_USER_ID, startFakeServer, type FakeServer, type PoisonKind } from '../../src/fake/index.js';
import { createHuamiClient } from '../../src/fetch/from-config.js';
import { createLogger } from '../../src/log.js';
import { addDays, dateRange } from '../../src/sync/dates.js';
import { runReprocess, runSync, type AccountRunResult, type SyncOptions } from '../../src/sync/index.js';
import { readStanding } from '../../src/sync/standing.js';
import { createWriter, writerOptions } from '../../src/write/index.js';
import { createTestDatabase, influxQuery, rows } from '../support/influxd.js';
import { DEMO_KEY } from '../support/sync-cli.js';
import { tempDir } from '../support/tmp.js';

const ZONE = 'Europe/Berlin';
const FROM = '2026-08-01';
const T0 = Date.parse('2026-09-20T10:00:00Z'); // today = 2026-09-20 in Berlin
const H = 3_600_000;
const influxUrl = inject('influxUrl');
let fake: FakeServer;
let clock = T0;
const now = (): Date => new Date(clock);

beforeAll(async () => {
  fake = await startFakeServer({ seed: 11, from: FROM, now, timezone: ZONE, quiet: true });
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => {
  fake.faults.clear();
  fake.data.bandOfflineSince(undefined);
  clock = T0;
});

const today = (): string => DateTime.fromMillis(clock, { zone: ZONE }).toISODate() as string;

/** A one-account set-up: config from the environment a user would write, real writer, real client. */
async function setup(extra: Record<string, string> = {}) {
  const db = await createTestDatabase(influxUrl, 'irregular');
  const dir = tempDir('mifit-irregular-');
  const config = loadConfig({
    INFLUX_URL: influxUrl, INFLUX_DATABASE: db, INFLUX_API_VERSION: '1', STATE_DIR: dir, HUAMI_BASE_URL: fake.url,
    HUAMI_EMAIL: DEMO_EMAIL, HUAMI_PASSWORD: DEMO_PASSWORD, ACCOUNT_NAME: 'anna', TIMEZONE: ZONE, SYNC_START_DATE: FROM,
    HUAMI_CHUNK_DAYS: '10', HUAMI_MAX_RETRIES: '0', SYNC_LOOKBACK_DAYS: '3', DEMO_MODE: 'off', LOG_LEVEL: 'silent',
    // The band_data life cycle and its request counts; the events have test/integration/sync-events.test.ts.
    // The band_data life cycle alone (events and workouts have tests of their own).
    SYNC_EVENTS: 'false', SYNC_WORKOUTS: 'false', ...extra,
  });
  const logger = createLogger('silent');
  const writer = createWriter(writerOptions(config.raw), logger);
  const deps = { config, logger, writer, now, clientFor: (a: (typeof config.accounts)[number]) => createHuamiClient(config.raw, a, logger, { now: () => clock, retryBaseMs: 1 }) };
  const sync = async (opts: SyncOptions = {}): Promise<AccountRunResult> => {
    const [r] = await runSync(deps, opts);
    if (!r) throw new Error('no result');
    return r;
  };
  const reprocess = async (): Promise<AccountRunResult> => {
    const [r] = await runReprocess(deps, {});
    if (!r) throw new Error('no result');
    return r;
  };
  /** Local dates with an activity_daily point in InfluxDB. */
  const writtenDays = async (): Promise<string[]> => {
    const res = rows(await influxQuery(influxUrl, `SELECT steps FROM activity_daily WHERE "user"='anna'`, db));
    return res.map((x) => DateTime.fromSeconds(Number(x.time), { zone: ZONE }).toISODate() as string).sort();
  };
  return { db, dir, sync, reprocess, writtenDays, close: () => writer.close() };
}

/** Days the fake serves (has a record for) in [from, to]: the ground truth. */
const served = (from: string, to: string): string[] => fake.data.days(DEMO_USER_ID, from, to).map((d) => d.date);

describe('the day life cycle under irregularity', () => {
  it('loses nothing when the phone stays at home for longer than the look-back window', async () => {
    const s = await setup();
    const first = await s.sync();
    expect(first.ok).toBe(true);
    const lastUpload = '2026-09-20';
    expect(first.lastWrittenDay).toBe(lastUpload);
    // The band uploads nothing from the 21st; runs go on every day for nine days.
    fake.data.bandOfflineSince('2026-09-21');
    for (let day = 1; day <= 9; day++) {
      clock = T0 + day * 24 * H;
      const r = await s.sync();
      expect(r.ok).toBe(true);
      // "Synced up to" is the band's newest upload, and days behind is how old it is.
      expect(r.lastWrittenDay).toBe(lastUpload);
      expect(r.daysBehind).toBe(day);
    }
    // The phone comes back: the band uploads the nine days at once.
    fake.data.bandOfflineSince(undefined);
    clock = T0 + 10 * 24 * H;
    const back = await s.sync();
    expect(back.ok).toBe(true);
    expect(back.lastWrittenDay).toBe(today());
    expect(back.daysBehind).toBe(0);
    expect(await s.writtenDays()).toEqual(served(FROM, today()));
    await s.close();
  });

  it('fetches a range again that was once answered with no days, and writes it', async () => {
    const s = await setup();
    // The first band_data request of the backfill (the newest range) is answered 200 with no days.
    fake.faults.emptyAnswer({ count: 1, paths: [/^\/v1\/data\/band_data\.json$/] });
    const mark = fake.requests.length;
    const first = await s.sync();
    expect(first.ok).toBe(true);
    const flaky = fake.requests.slice(mark).find((q) => q.path === '/v1/data/band_data.json');
    const lost = served(flaky?.query.from_date ?? '', flaky?.query.to_date ?? '');
    expect(lost.length).toBeGreaterThan(0);
    expect(await s.writtenDays()).toEqual(served(FROM, today()).filter((d) => !lost.includes(d)));
    // An empty answer is re-checked an hour later (docs/architecture.md "Day life cycle").
    clock += H;
    const second = await s.sync();
    expect(second.ok).toBe(true);
    expect(await s.writtenDays()).toEqual(served(FROM, today()));
    // The look-back window and the re-check fit in the band_data budget of an incremental run (3).
    expect(second.requests).toBeLessThanOrEqual(3);
    // Once written, an ordinary run is back to the credentials check and one band_data request.
    clock += H / 2;
    const third = await s.sync();
    expect(third.requests).toBe(2);
    expect(third.daysWritten).toBeLessThanOrEqual(3);
    await s.close();
  });

  it.each<PoisonKind>(['null-data-hr', 'null-summary', 'numeric-device-id'])('fails only the day with a malformed item (%s), writes every other day, and retries it later', async (kind) => {
    const s = await setup();
    const bad = '2026-09-12';
    fake.faults.poisonDay(bad, kind);
    const first = await s.sync();
    expect(first.ok).toBe(true);
    expect(first.daysFailed).toBe(1);
    expect(first.failedDays.map((f) => [f.date, f.code])).toEqual([[bad, 'HUAMI_SCHEMA_MISMATCH']]);
    expect(first.failedDays[0]?.message).toContain(bad);
    expect(await s.writtenDays()).toEqual(served(FROM, today()).filter((d) => d !== bad));
    expect(first.lastWrittenDay).toBe(today());
    // Its raw answer is kept for reprocess.
    expect(readdirSync(join(s.dir, DEMO_KEY, 'raw'))).toContain(`${bad}.json.gz`);
    // What `status` reads from STATE_DIR says the same.
    const all = served(FROM, today());
    const st = await readStanding(s.dir, DEMO_KEY, ZONE, now());
    expect(st.failedDays.map((f) => [f.date, f.code])).toEqual([[bad, 'HUAMI_SCHEMA_MISMATCH']]);
    expect([st.syncedUpTo, st.daysBehind, st.archivedDays]).toEqual([today(), 0, all.length]);
    expect(st.days).toEqual({ written: all.length - 1, failed: 1, 'no-data': dateRange(FROM, today()).length - all.length, pending: 0 });
    // Half an hour later it is not due yet; the run stays small.
    clock += H / 2;
    const second = await s.sync();
    expect(second.daysFailed).toBe(1);
    // The credentials check (one devices call) and the look-back window .
    expect(second.requests).toBe(2);
    // Upstream fixed the day; after the retry interval the next run writes it.
    fake.faults.clear();
    clock += H;
    const third = await s.sync();
    expect(third.daysFailed).toBe(0);
    expect(await s.writtenDays()).toEqual(served(FROM, today()));
    await s.close();
  });

  it.each<PoisonKind>(['sleep-start-ms', 'sleep-start-max', 'sleep-light-max'])('never lets an impossible sleep value (%s) stop the account', async (kind) => {
    const s = await setup();
    const bad = '2026-09-12';
    fake.faults.poisonDay(bad, kind);
    const r = await s.sync();
    expect(r.ok).toBe(true);
    const others = served(FROM, today()).filter((d) => d !== bad);
    const written = await s.writtenDays();
    expect(written.filter((d) => d !== bad)).toEqual(others);
    // The day itself is written without the impossible value, or failed with a reason.
    expect(written.includes(bad) || r.failedDays.some((f) => f.date === bad)).toBe(true);
    const big = rows(await influxQuery(influxUrl, `SELECT * FROM sleep_daily WHERE "user"='anna' AND (asleep_min > 1440 OR light_min > 1440)`, s.db));
    expect(big).toEqual([]);
    await s.close();
  });

  it('an explicit old range leaves the next plain run exactly as it would have been', async () => {
    const s = await setup();
    await s.sync();
    const old = await s.sync({ from: '2010-01-01', to: '2010-01-05' });
    expect(old.ok).toBe(true);
    clock += 2 * H;
    const after = await s.sync();
    // Exactly an ordinary incremental run: the credentials check and the 3-day window .
    expect([after.lastWrittenDay, after.daysBehind, after.requests, after.daysFetched]).toEqual([today(), 0, 2, 3]);
    await s.close();
  });

  it('refills a deleted raw archive on the next fetch, and reprocess names the days it cannot replay', async () => {
    const s = await setup();
    await s.sync();
    const raw = join(s.dir, DEMO_KEY, 'raw');
    rmSync(raw, { recursive: true });
    // A re-sync of the range (unchanged days) writes the archive files again.
    const again = await s.sync({ from: FROM });
    expect(again.daysUnchanged).toBeGreaterThan(0);
    const all = served(FROM, today());
    expect(readdirSync(raw).sort()).toEqual(all.map((d) => `${d}.json.gz`));
    expect(again.archivedDays).toBe(all.length);
    const gone = [all[3], all[7]] as string[];
    for (const d of gone) rmSync(join(raw, `${d}.json.gz`));
    const re = await s.reprocess();
    expect(re.error).toBeUndefined();
    expect(re.notReplayed?.map((n) => n.date)).toEqual(gone);
    expect(re.daysFetched).toBe(all.length - 2);
    await s.close();
  });
});

describe('day life cycle helpers', () => {
  it('lists every date of a range once', () => {
    expect(dateRange('2026-03-28', '2026-03-30')).toHaveLength(3);
  });
});
