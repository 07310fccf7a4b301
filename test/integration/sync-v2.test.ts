// The real CLI writing through the InfluxDB v2 API: the /api/v2 translation of 1.8 in
// front of the real 1.6.7 (exact values via InfluxQL), and VictoriaMetrics as a second,
// independent implementation of /api/v2/write.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_EMAIL, DEMO_PASSWORD, DEMO_USER_ID } from '../../src/fake/index.js';
import { addDays, todayIn } from '../../src/sync/dates.js';
import { useFakeServer } from '../support/fake-server.js';
import { createTestDatabase, influxQuery, rows } from '../support/influxd.js';
import { expectedDailySteps, expectedHeartRatePoints } from '../support/sync-fake.js';
import { DATA_MEASUREMENTS, runCli, summaryNumber, syncEnv, tempStateDir as stateDir, userRows } from '../support/sync-cli.js';
import { startV2Proxy, type V2Proxy } from '../support/v2-proxy.js';
import { startVictoria, type VictoriaProcess } from '../support/victoria.js';

const ZONE = 'Europe/Berlin';
const NOW = new Date();
const TODAY = todayIn(ZONE, NOW);
const FROM = addDays(TODAY, -9);

const fake = useFakeServer('file', { from: FROM, timezone: ZONE, now: () => NOW, quiet: true });
const v2env = (url: string, bucket: string, dir: string): Record<string, string> =>
  syncEnv({
    influxUrl: url,
    db: '',
    stateDir: dir,
    fakeUrl: fake.url,
    from: FROM,
    email: DEMO_EMAIL,
    password: DEMO_PASSWORD,
    extra: { INFLUX_API_VERSION: '2', INFLUX_BUCKET: bucket, INFLUX_ORG: 'home', INFLUX_TOKEN: 'test-token' },
  });


describe('mifit-sync sync through the v2 write API', () => {
  let proxy: V2Proxy;
  const influxUrl = inject('influxUrl');
  beforeAll(async () => {
    proxy = await startV2Proxy({ influxUrl });
  });
  afterAll(async () => {
    await proxy?.close();
  });

  it('writes exact values, nothing new the second time, and exactly the new points of a changed day', async () => {
    const db = await createTestDatabase(influxUrl, 'v2');
    const dir = stateDir();
    const env = v2env(proxy.url, `${db}/autogen`, dir);
    const first = await runCli(['sync'], env);
    expect(first.code).toBe(0);
    expect(proxy.requests.some((r) => r.path.startsWith('/api/v2/write') && r.status === 204)).toBe(true);
    const steps = rows(await influxQuery(influxUrl, `SELECT steps FROM activity_daily WHERE "user"='anna'`, db)).map((x) => x.steps);
    expect(steps).toEqual(expectedDailySteps(fake, DEMO_USER_ID, FROM, TODAY));
    expect(rows(await influxQuery(influxUrl, `SELECT count(bpm) FROM heart_rate WHERE "user"='anna'`, db))[0]?.count).toBe(
      expectedHeartRatePoints(fake, DEMO_USER_ID, FROM, TODAY),
    );

    const second = await runCli(['sync'], env);
    expect(second.code).toBe(0);
    expect(summaryNumber(second.stdout, 'anna', 'days written')).toBe(0);

    fake.data.bump(DEMO_USER_ID, addDays(TODAY, -1));
    try {
      const third = await runCli(['sync'], env);
      expect(third.code).toBe(0);
      expect(summaryNumber(third.stdout, 'anna', 'days written')).toBeGreaterThanOrEqual(1);
      expect(proxy.requests.some((r) => r.path.startsWith('/api/v2/delete'))).toBe(true);
      const fresh = await createTestDatabase(influxUrl, 'v2fresh');
      expect((await runCli(['sync'], v2env(proxy.url, `${fresh}/autogen`, stateDir()))).code).toBe(0);
      // Band data only: the bumped day's workouts are new ones upstream, and a workout Huami stops listing keeps its points.
      expect(await userRows(influxUrl, db, 'anna', DATA_MEASUREMENTS)).toEqual(await userRows(influxUrl, fresh, 'anna', DATA_MEASUREMENTS));
    } finally {
      fake.data.reset();
    }
  });
});

describe('mifit-sync sync into VictoriaMetrics (v2 write endpoint)', () => {
  let vm: VictoriaProcess;
  beforeAll(async () => {
    vm = await startVictoria();
  });
  afterAll(async () => {
    await vm?.destroy();
  });

  it('writes every heart-rate minute and every daily total once', async () => {
    const r = await runCli(['sync'], v2env(vm.url, 'mifit', stateDir()));
    expect(r.code).toBe(0);
    await vm.flush();
    const hr = await vm.exportSeries('{__name__="heart_rate_bpm",user="anna"}');
    expect(hr.reduce((n, s) => n + s.values.length, 0)).toBe(expectedHeartRatePoints(fake, DEMO_USER_ID, FROM, TODAY));
    const steps = await vm.exportSeries('{__name__="activity_daily_steps",user="anna"}');
    expect(steps).toHaveLength(1);
    expect(steps[0]?.values).toEqual(expectedDailySteps(fake, DEMO_USER_ID, FROM, TODAY));
  });
});
