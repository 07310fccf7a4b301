// The real CLI (`node dist/cli.js sync`) against the fake Huami server over HTTP and the
// real InfluxDB 1.6.7 of the test run, through the v1 API; exact values via InfluxQL.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { DEMO_EMAIL, DEMO_PASSWORD, DEMO_USER_ID } from '../../src/fake/index.js';
import { addDays, dateRange, todayIn } from '../../src/sync/dates.js';
import { StateStore } from '../../src/store/state.js';
import { useFakeServer } from '../support/fake-server.js';
import { createTestDatabase, influxQuery, rows } from '../support/influxd.js';
import { expectedDailySteps, expectedHeartRatePoints, servedDays } from '../support/sync-fake.js';
import { loadConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/log.js';
import { runReprocess } from '../../src/sync/index.js';
import { createWriter, writerOptions, type Writer } from '../../src/write/index.js';
import { DATA_MEASUREMENTS, DEMO_KEY, runCli, summaryNumber, syncEnv, tempStateDir as stateDir, userCounts, userRows } from '../support/sync-cli.js';

const ZONE = 'Europe/Berlin';
const NOW = new Date();
const TODAY = todayIn(ZONE, NOW);
const FROM = addDays(TODAY, -13);

// A fixed clock: "today" stops growing, so a second run really has nothing new.
const fake = useFakeServer('file', { from: FROM, timezone: ZONE, now: () => NOW, quiet: true });
const influxUrl = inject('influxUrl');
const env = (db: string, dir: string, extra: Record<string, string> = {}): Record<string, string> =>
  syncEnv({ influxUrl, db, stateDir: dir, fakeUrl: fake.url, from: FROM, email: DEMO_EMAIL, password: DEMO_PASSWORD, extra });

/** A first sync into a new database and state dir. */
async function backfill(tag: string): Promise<{ db: string; dir: string; r: Awaited<ReturnType<typeof runCli>> }> {
  const db = await createTestDatabase(influxUrl, tag);
  const dir = stateDir();
  return { db, dir, r: await runCli(['sync'], env(db, dir)) };
}
let shared: ReturnType<typeof backfill> | undefined;
/** One backfill shared by the tests that leave it as it was (made by whichever runs first). */
const backfilled = (): ReturnType<typeof backfill> => (shared ??= backfill('sync'));

describe('mifit-sync sync (InfluxDB v1 API)', () => {
  it('backfills every day with the fake server’s exact values', async () => {
    const { db, dir, r } = await backfilled();
    expect(r.stderr).not.toContain('FAILED');
    expect(r.code).toBe(0);
    const days = servedDays(fake, DEMO_USER_ID, FROM, TODAY);
    expect(summaryNumber(r.stdout, 'anna', 'days fetched')).toBe(14);
    expect(summaryNumber(r.stdout, 'anna', 'days written')).toBe(days);
    const daily = rows(await influxQuery(influxUrl, `SELECT steps FROM activity_daily WHERE "user"='anna'`, db));
    expect(daily.map((x) => x.steps)).toEqual(expectedDailySteps(fake, DEMO_USER_ID, FROM, TODAY));
    const counts = await userCounts(influxUrl, db, 'anna');
    expect(counts.heart_rate).toBe(expectedHeartRatePoints(fake, DEMO_USER_ID, FROM, TODAY));
    expect(summaryNumber(r.stdout, 'anna', 'points')).toBe(Object.values(counts).reduce((a, b) => a + b, 0));
    // One state per day, packed in one file per month (no day file, no temp file left).
    const states = await new StateStore(dir, DEMO_KEY).loadAll();
    expect([...states.keys()]).toEqual(dateRange(FROM, TODAY));
    expect(readdirSync(join(dir, DEMO_KEY, 'days')).sort()).toEqual([...new Set(dateRange(FROM, TODAY).map((d) => `${d.slice(0, 7)}.json`))].sort());
    // Every day with band data is archived; a day without any has nothing to replay.
    expect(readdirSync(join(dir, DEMO_KEY, 'raw'))).toHaveLength(days);
    const run = rows(await influxQuery(influxUrl, `SELECT success, days_written, error_code, timezone FROM sync_run WHERE "user"='anna'`, db));
    expect(run).toEqual([expect.objectContaining({ success: 1, days_written: days, error_code: '', timezone: ZONE })]);
  });

  it('writes nothing new on a second run', async () => {
    const { db, dir } = await backfilled();
    const before = await userRows(influxUrl, db, 'anna');
    const r = await runCli(['sync'], env(db, dir));
    expect(r.code).toBe(0);
    expect(summaryNumber(r.stdout, 'anna', 'days written')).toBe(0);
    expect(summaryNumber(r.stdout, 'anna', 'points')).toBe(0);
    expect(summaryNumber(r.stdout, 'anna', 'days fetched')).toBe(3); // the look-back window only
    expect(await userRows(influxUrl, db, 'anna')).toEqual(before);
  });

  it('leaves exactly the new points of a day that changed upstream', async () => {
    // Its own backfill: this test changes what the database holds.
    const { db, dir, r: first } = await backfill('changed');
    expect(first.code).toBe(0);
    const day = addDays(TODAY, -1);
    const [start, end] = [Date.parse(`${day}T00:00:00Z`) / 1000 - 7200, Date.parse(`${day}T00:00:00Z`) / 1000 + 86400];
    const stagesOf = async (m: string): Promise<unknown[]> =>
      rows(await influxQuery(influxUrl, `SELECT * FROM ${m} WHERE "user"='anna' AND time >= ${start}s AND time < ${end}s`, db)).map((x) => x.time);
    const oldStages = await stagesOf('activity_stage');
    const oldPhases = await stagesOf('sleep_stage');
    fake.data.bump(DEMO_USER_ID, day); // regenerated differently, as after a late band sync
    try {
      const r = await runCli(['sync'], env(db, dir));
      expect(r.code).toBe(0);
      expect(summaryNumber(r.stdout, 'anna', 'days written')).toBeGreaterThanOrEqual(1);
      const newStages = await stagesOf('activity_stage');
      expect(newStages).not.toEqual(oldStages); // precondition: the day really changed
      expect(await stagesOf('sleep_stage')).not.toEqual(oldPhases);
      // Ground truth: a fresh sync of the current upstream into an empty database.
      const fresh = await createTestDatabase(influxUrl, 'fresh');
      expect((await runCli(['sync'], env(fresh, stateDir()))).code).toBe(0);
      // Band data only: the bumped day's workouts are new ones upstream, and a workout Huami stops listing keeps its points.
      expect(await userRows(influxUrl, db, 'anna', DATA_MEASUREMENTS)).toEqual(await userRows(influxUrl, fresh, 'anna', DATA_MEASUREMENTS));
    } finally {
      fake.data.reset();
    }
  });

  it('re-decodes the raw archive with reprocess without a Huami request', async () => {
    const { db, dir } = await backfilled();
    const before = await userRows(influxUrl, db, 'anna');
    const requests = fake.requests.length;
    const r = await runCli(['reprocess', '--from', FROM, '--to', TODAY], env(db, dir));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('reprocess anna: ok');
    expect(summaryNumber(r.stdout.replaceAll('reprocess anna', 'sync anna'), 'anna', 'days written')).toBe(servedDays(fake, DEMO_USER_ID, FROM, TODAY));
    expect(fake.requests.length).toBe(requests);
    expect(await userRows(influxUrl, db, 'anna')).toEqual(before);
  });

  it('sync --force and reprocess leave exactly the current points, also where an older version left others', async () => {
    const { db, dir, r: first } = await backfill('rewrite');
    expect(first.code).toBe(0);
    // Band data only: workouts and weigh-ins have their own rewrite (src/sync/workouts.ts).
    const before = await userRows(influxUrl, db, 'anna', DATA_MEASUREMENTS);
    // Points an older decoder version could have left inside written days: half a minute
    // off the minute grid, so no new point overwrites them; only a delete removes them.
    const stale = async (): Promise<void> => {
      const at = (d: string): number => Date.parse(`${d}T10:00:30Z`) / 1000;
      const body = [addDays(TODAY, -3), addDays(TODAY, -10)].map((d) => `heart_rate,user=anna bpm=77i ${at(d)}`).join('\n');
      expect((await fetch(`${influxUrl}/write?db=${db}&precision=s`, { method: 'POST', body })).status).toBe(204);
      expect((await userCounts(influxUrl, db, 'anna')).heart_rate).toBe((before.heart_rate?.length ?? 0) + 2);
    };
    await stale();
    const force = await runCli(['sync', '--force', '--from', FROM, '--to', TODAY], env(db, dir));
    expect(force.code).toBe(0);
    expect(await userRows(influxUrl, db, 'anna', DATA_MEASUREMENTS)).toEqual(before);
    await stale();
    const re = await runCli(['reprocess', '--from', FROM, '--to', TODAY], env(db, dir));
    expect(re.code).toBe(0);
    expect(await userRows(influxUrl, db, 'anna', DATA_MEASUREMENTS)).toEqual(before);

    // A reprocess whose writes all fail after the old spans were cleared: every cleared day
    // is left in flight (pending), and the next plain sync writes each of them again.
    await stale();
    const config = loadConfig(env(db, dir));
    const logger = createLogger('silent');
    const real = createWriter(writerOptions(config.raw), logger);
    const down: Writer = {
      check: () => real.check(),
      deleteSpans: (user, spans) => real.deleteSpans(user, spans),
      write: () => Promise.reject(Object.assign(new Error('InfluxDB stopped answering'), { code: 'INFLUX_UNREACHABLE' })),
      close: () => real.close(),
    };
    const [failed] = await runReprocess({ config, logger, writer: down, now: () => new Date() }, { from: FROM, to: TODAY });
    await real.close();
    expect(failed?.ok).toBe(false);
    const states = [...(await new StateStore(dir, DEMO_KEY).loadAll()).values()];
    expect(states.length).toBeGreaterThan(0);
    expect(states.filter((s) => s.spans.length > 0).every((s) => s.writtenAt === null)).toBe(true);
    expect((await userCounts(influxUrl, db, 'anna')).heart_rate).toBe(0);
    const again = await runCli(['sync'], env(db, dir));
    expect(again.code).toBe(0);
    expect(await userRows(influxUrl, db, 'anna', DATA_MEASUREMENTS)).toEqual(before);
  });

  it('reports a field type conflict with the server’s words and exits 1', async () => {
    const conflict = await createTestDatabase(influxUrl, 'conflict');
    // heart_rate.bpm is an integer in the schema; make the shard hold it as a float first.
    const res = await fetch(`${influxUrl}/write?db=${conflict}&precision=s`, { method: 'POST', body: `heart_rate,user=anna bpm=61.5 ${Date.parse(`${TODAY}T00:00:00Z`) / 1000}` });
    expect(res.status).toBe(204);
    const dir2 = stateDir();
    const r = await runCli(['sync'], env(conflict, dir2));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('INFLUX_FIELD_TYPE_CONFLICT');
    expect(r.stdout).toMatch(/field type conflict/);
    // Nothing was recorded as done that InfluxDB refused: those days are failed (and retried
    // later), while the days of the other shards were written.
    const states = [...(await new StateStore(dir2, DEMO_KEY).loadAll()).values()];
    const failed = states.filter((s) => s.failure);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((s) => s.failure?.code === 'INFLUX_FIELD_TYPE_CONFLICT')).toBe(true);
    expect(states.filter((s) => !s.failure && s.points > 0).length).toBeGreaterThan(0);
  });

  it('keeps two accounts apart and goes on when a third one fails', async () => {
    fake.accounts.add({ email: 'ben@example.com', password: 'ben-password', userId: '1000000002', timezone: ZONE });
    const multi = await createTestDatabase(influxUrl, 'multi');
    const dir3 = stateDir();
    const file = join(dir3, 'accounts.json');
    writeFileSync(
      file,
      JSON.stringify([
        { name: 'anna', email: DEMO_EMAIL, password: DEMO_PASSWORD, timezone: ZONE },
        { name: 'carl', email: 'carl@example.com', password: 'wrong', timezone: ZONE },
        { name: 'ben', email: 'ben@example.com', password: 'ben-password', timezone: ZONE },
      ]),
    );
    const e = env(multi, dir3, { ACCOUNTS_FILE: file });
    const r = await runCli(['sync'], e);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('sync anna: ok');
    expect(r.stdout).toContain('sync ben: ok');
    expect(r.stdout).toContain('sync carl: failed');
    const anna = await userCounts(influxUrl, multi, 'anna');
    const ben = await userCounts(influxUrl, multi, 'ben');
    expect(anna.heart_rate).toBe(expectedHeartRatePoints(fake, DEMO_USER_ID, FROM, TODAY));
    expect(ben.heart_rate).toBe(expectedHeartRatePoints(fake, '1000000002', FROM, TODAY));
    const benSteps = rows(await influxQuery(influxUrl, `SELECT steps FROM activity_daily WHERE "user"='ben'`, multi)).map((x) => x.steps);
    expect(benSteps).toEqual(expectedDailySteps(fake, '1000000002', FROM, TODAY));
    expect(benSteps).not.toEqual(expectedDailySteps(fake, DEMO_USER_ID, FROM, TODAY));
    const users = rows(await influxQuery(influxUrl, 'SHOW TAG VALUES FROM heart_rate WITH KEY = "user"', multi)).map((x) => x.value);
    expect(users.sort()).toEqual(['anna', 'ben']);
  });

  it('fails with a clear message when no account is configured', async () => {
    const e = env('unused', stateDir());
    delete e.HUAMI_EMAIL;
    delete e.HUAMI_PASSWORD;
    const r = await runCli(['sync'], e);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no account is configured');
    expect(r.stderr).toContain('HUAMI_EMAIL');
    expect(r.stderr).toContain('DEMO_MODE=on');
  });
});
