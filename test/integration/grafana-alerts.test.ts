// Each provisioned alert rule, evaluated with its own queries, reduce, math and threshold steps
// on crafted data in a real InfluxDB: it fires when it should and stays quiet when it should not.
// Rules come from the entrypoint-rendered file, so the env → threshold path is the one tested.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import type { Point } from '../../src/schema/point.js';
import { createTestDatabase } from '../support/influxd.js';
import { writePoints } from '../support/grafana-data.js';
import { PROVISIONING_DIR, alertRules, loadYaml, type AlertRule } from '../support/grafana-files.js';
import { evaluateRule, type Evaluation } from '../support/grafana-alerts.js';
import { DEMO_ACCOUNT_NAME } from '../../src/daemon/demo.js';
import { tempDir } from '../support/tmp.js';

const url = inject('influxUrl');
const nowS = Math.floor(Date.now() / 1000);
const H = 3600;
const D = 86400;
const tmp = tempDir('mifit-alerts-');

/** Rules as Grafana would load them after the entrypoint rendered `env`. */
function rules(env: Record<string, string> = {}): Map<string, AlertRule> {
  const out = join(tmp, String(Math.random()).slice(2));
  const state = mkdtempSync(join(tmp, 'state-'));
  const r = spawnSync('sh', [join(PROVISIONING_DIR, 'entrypoint.sh')], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', MIFIT_PROVISIONING_SRC: PROVISIONING_DIR, MIFIT_PROVISIONING_OUT: out, MIFIT_STATE_DIR: state, MIFIT_RENDER_ONLY: '1', ...env },
  });
  if (r.status !== 0) throw new Error(`entrypoint failed: ${String(r.stderr)}`);
  return new Map(alertRules(loadYaml(join(out, 'alerting', 'rules.yaml'))).map((x) => [x.uid, x]));
}
const defaults = rules();

async function evaluate(uid: string, points: Point[], ruleSet = defaults): Promise<Evaluation> {
  const db = await createTestDatabase(url, 'grafana_alert');
  if (points.length) await writePoints(url, db, points);
  const rule = ruleSet.get(uid);
  if (!rule) throw new Error(`no rule ${uid}`);
  return evaluateRule(url, db, rule, nowS * 1000);
}

const sleepNight = (user: string, end: number, asleepMin: number, rhr = 55): Point => ({
  measurement: 'sleep_daily', tags: { user, sleep: 'main' }, time: end,
  fields: { asleep_min: asleepMin, in_bed_min: asleepMin + 20, start_s: end - (asleepMin + 20) * 60, end_s: end, resting_hr_bpm: rhr },
});
/** Daily points at "local midnight" k days ago (k = 0 is today), steps per day. */
const days = (user: string, steps: number[]): Point[] =>
  steps.map((s, i) => ({ measurement: 'activity_daily', tags: { user }, time: nowS - (nowS % D) - (steps.length - 1 - i) * D, fields: { steps: s, goal_steps: 8000 } }));
const run = (user: string, t: number, f: Partial<Record<'success' | 'last_success_s' | 'last_data_s' | 'token_expires_s' | 'days_failed', number>>): Point => ({
  measurement: 'sync_run', tags: { user }, time: t, fields: { success: 1, last_success_s: t, last_data_s: t - H, token_expires_s: t + 30 * D, days_failed: 0, error_code: '', ...f },
});
/** A night's ODI at `t` (its wake day's local midnight). */
const odi = (user: string, t: number, perHour: number, valid = 1): Point => ({
  measurement: 'blood_oxygen_odi', tags: { user }, time: t, fields: { odi_per_h: perHour, desaturations: Math.round(perHour * 7), sleep_s: 7 * H, score: 80, valid },
});
const spot = (user: string, t: number, pct: number): Point => ({ measurement: 'blood_oxygen_spot', tags: { user }, time: t, fields: { saturation_pct: pct, auto: 1, history_samples: 0 } });
/** Readiness of the newest nights, oldest first, each at a "local midnight" k days back (k = 0 today, 2 h ago). */
const readiness = (user: string, nights: { hrv: number; baseline?: number }[]): Point[] =>
  nights.map((n, i) => ({
    measurement: 'readiness', tags: { user }, time: nowS - 2 * H - (nights.length - 1 - i) * D,
    fields: { sleep_hrv_ms: n.hrv, ...(n.baseline === undefined ? {} : { hrv_baseline_ms: n.baseline }), readiness_score: 60 },
  }));
/** A run every 30 min from `from` to `to` seconds ago (both inclusive when on the grid). */
const runs = (user: string, fromAgo: number, toAgo: number, f: Parameters<typeof run>[2] = {}): Point[] => {
  const out: Point[] = [];
  for (let ago = fromAgo; ago >= toAgo; ago -= 1800) out.push(run(user, nowS - ago, f));
  return out;
};

describe('grafana alert rules on crafted data', () => {
  it('Short sleep fires for a 5 h night and stays quiet for 7 h', async () => {
    const r = await evaluate('mifit-short-sleep', [sleepNight('short', nowS - 5 * H, 300), sleepNight('fine', nowS - 5 * H, 420)]);
    expect(r.firing).toEqual(['short']);
  });

  it('Short sleep follows ALERT_SLEEP_MIN_HOURS', async () => {
    const r = await evaluate('mifit-short-sleep', [sleepNight('a', nowS - 5 * H, 420)], rules({ ALERT_SLEEP_MIN_HOURS: '7.5' }));
    expect(r.firing).toEqual(['a']);
  });

  it('Low activity fires when each of the last 3 complete days is under 5000 steps, ignoring today', async () => {
    const r = await evaluate('mifit-low-activity', [
      ...days('lazy', [9000, 3000, 4000, 4900, 12000]), // the 9000 day is 4 days ago: outside; today (12000) excluded
      ...days('one-good-day', [3000, 6000, 4000, 100]),
    ]);
    expect(r.firing).toEqual(['lazy']);
  });

  it('Low activity follows ALERT_STEPS_DAYS and ALERT_STEPS_MIN', async () => {
    const pts = days('u', [3000, 4000, 4900, 0]);
    expect((await evaluate('mifit-low-activity', pts, rules({ ALERT_STEPS_DAYS: '4' }))).firing).toEqual(['u']);
    expect((await evaluate('mifit-low-activity', pts, rules({ ALERT_STEPS_MIN: '4500' }))).firing).toEqual([]);
  });

  it('Resting heart rate rising fires when the last 3 nights are all > baseline + 5', async () => {
    const nights = (user: string, last3: number[]): Point[] => [
      ...Array.from({ length: 27 }, (_, i) => sleepNight(user, nowS - (i + 4) * D + 6 * H, 420, 55)),
      ...last3.map((rhr, i) => sleepNight(user, nowS - (3 - i) * D + 6 * H, 420, rhr)),
    ];
    const r = await evaluate('mifit-resting-hr-rising', [...nights('rising', [62, 63, 61]), ...nights('one-normal', [62, 58, 63])]);
    expect(r.firing).toEqual(['rising']);
  });

  it('No new band data fires when the newest band data is older than 36 h at the last sync', async () => {
    const r = await evaluate('mifit-no-band-data', [
      run('stale', nowS - 600, { last_data_s: nowS - 40 * H }),
      run('fresh', nowS - 600, { last_data_s: nowS - 2 * H }),
    ]);
    expect(r.firing).toEqual(['stale']);
  });

  it('No new band data names an account that stopped reporting (no run for 36 h), not one that reports', async () => {
    const reporting = runs('reporting', 5 * D, 600);
    const r = await evaluate('mifit-no-band-data', [
      ...runs('stopped', 5 * D, 37 * H), // last run 37 h ago, band data fresh at that run
      ...reporting,
      ...runs('just-in-time', 5 * D, 35 * H), // last run 35 h ago: still inside the 36 h
    ]);
    expect(r.firing).toEqual(['stopped']);
    // Runs per hour over the 36 hour buckets up to now (the current, partial one included).
    const since = (Math.floor(nowS / H) - 35) * H;
    const expected = reporting.filter((p) => p.time >= since).length / 36;
    expect(r.values.get('D')?.find((s) => s.labels.user === 'reporting')?.values[0]).toBeCloseTo(expected, 9);
    expect(r.values.get('D')?.find((s) => s.labels.user === 'stopped')?.values[0]).toBe(0);
  });

  it('No new band data follows ALERT_NO_DATA_HOURS for the silence too', async () => {
    const pts = runs('quiet', 5 * D, 40 * H);
    expect((await evaluate('mifit-no-band-data', pts)).firing).toEqual(['quiet']);
    expect((await evaluate('mifit-no-band-data', pts, rules({ ALERT_NO_DATA_HOURS: '48' }))).firing).toEqual([]);
  });

  it('No alert on a fresh install, a first backfill still running or a stack that just started', async () => {
    const fresh = await Promise.all(['mifit-no-band-data', 'mifit-sync-failing', 'mifit-days-failing', 'mifit-token-expiring', 'mifit-odi-high', 'mifit-spo2-low', 'mifit-hrv-low'].map((uid) => evaluate(uid, [])));
    for (const r of fresh) expect(r).toMatchObject({ firing: [], state: 'NoData' });
    // The first run of a new account just landed: one run, nothing before it.
    const first = [run('new', nowS - 300, {})];
    for (const uid of ['mifit-no-band-data', 'mifit-sync-failing', 'mifit-days-failing']) expect((await evaluate(uid, first)).firing, uid).toEqual([]);
    for (const r of defaults.values()) expect(r.noDataState, r.uid).toBe('OK');
  });

  it('never alerts on the built-in demo account', async () => {
    const demo = DEMO_ACCOUNT_NAME;
    const cases: [string, Point[]][] = [
      ['mifit-short-sleep', [sleepNight(demo, nowS - 5 * H, 300)]],
      ['mifit-low-activity', days(demo, [100, 100, 100, 100])],
      ['mifit-no-band-data', runs(demo, 5 * D, 40 * H)],
      ['mifit-sync-failing', runs(demo, 7 * H, 600, { success: 0 })],
      ['mifit-days-failing', [run(demo, nowS - 600, { days_failed: 3 })]],
      ['mifit-token-expiring', [run(demo, nowS - 600, { token_expires_s: nowS + D })]],
      ['mifit-odi-high', [odi(demo, nowS - 8 * H, 30)]],
      ['mifit-spo2-low', [spot(demo, nowS - 3 * H, 80)]],
      ['mifit-hrv-low', readiness(demo, [{ hrv: 20, baseline: 60 }, { hrv: 20, baseline: 60 }, { hrv: 20, baseline: 60 }])],
    ];
    for (const [uid, pts] of cases) expect((await evaluate(uid, pts)).firing, uid).toEqual([]);
  });

  it('Days failing fires for the account whose latest run left failed days, with its name', async () => {
    const r = await evaluate('mifit-days-failing', [
      run('broken', nowS - 3 * H, { days_failed: 0 }),
      run('broken', nowS - 600, { days_failed: 2 }),
      run('fine', nowS - 3 * H, { days_failed: 2 }), // retried since: the latest run has none
      run('fine', nowS - 600, { days_failed: 0 }),
    ]);
    expect(r.firing).toEqual(['broken']);
    expect(r.values.get('B')?.map((s) => [s.labels.user, s.values[0]]).sort()).toEqual([['broken', 2], ['fine', 0]]);
    expect(defaults.get('mifit-days-failing')).toMatchObject({ for: '2h', noDataState: 'OK', execErrState: 'Error' });
  });

  it('Sync failing fires when every run of the last 6 h failed, quiet after one success', async () => {
    const pts: Point[] = [];
    for (let t = nowS - 7 * H; t < nowS; t += 1800) {
      pts.push(run('failing', t, { success: t < nowS - 6.5 * H ? 1 : 0, last_success_s: nowS - 7 * H }));
      pts.push(run('recovered', t, { success: t > nowS - H ? 1 : 0 }));
    }
    expect((await evaluate('mifit-sync-failing', pts)).firing).toEqual(['failing']);
  });

  it('Sync failing stays quiet when no run is in the window (noDataState OK)', async () => {
    const r = await evaluate('mifit-sync-failing', [run('old', nowS - 8 * H, {})]);
    expect(r).toMatchObject({ state: 'NoData', firing: [] });
    expect(defaults.get('mifit-sync-failing')?.noDataState).toBe('OK');
  });

  it('Nightly ODI high fires for the newest valid night above 5/h, not for a low, an invalid or an old night', async () => {
    const r = await evaluate('mifit-odi-high', [
      odi('high', nowS - 30 * H, 1.2), odi('high', nowS - 6 * H, 7.25), // the newest night counts
      odi('recovered', nowS - 30 * H, 9.5), odi('recovered', nowS - 6 * H, 2.1),
      odi('invalid', nowS - 6 * H, 12, 0), // the service marks the night invalid
      odi('old', nowS - 40 * H, 20), // outside the 36 h
    ]);
    expect(r.firing).toEqual(['high']);
    expect(r.values.get('B')?.map((s) => [s.labels.user, s.values[0]]).sort()).toEqual([['high', 7.25], ['recovered', 2.1]]);
  });

  it('Nightly ODI high follows ALERT_ODI_MAX', async () => {
    const pts = [odi('u', nowS - 6 * H, 6)];
    expect((await evaluate('mifit-odi-high', pts)).firing).toEqual(['u']);
    expect((await evaluate('mifit-odi-high', pts, rules({ ALERT_ODI_MAX: '7.5' }))).firing).toEqual([]);
  });

  it('Low blood oxygen fires when the lowest reading of the last 24 h is under 90 %, not for an older one', async () => {
    const r = await evaluate('mifit-spo2-low', [
      spot('low', nowS - 20 * H, 96), spot('low', nowS - 14 * H, 88), spot('low', nowS - 2 * H, 97),
      spot('fine', nowS - 14 * H, 93), spot('fine', nowS - 2 * H, 98),
      spot('old', nowS - 30 * H, 85), spot('old', nowS - 2 * H, 96),
    ]);
    expect(r.firing).toEqual(['low']);
    expect(r.values.get('B')?.map((s) => [s.labels.user, s.values[0]]).sort()).toEqual([['fine', 93], ['low', 88], ['old', 96]]);
    expect((await evaluate('mifit-spo2-low', [spot('fine', nowS - 14 * H, 93)], rules({ ALERT_SPO2_MIN_PCT: '94' }))).firing).toEqual(['fine']);
  });

  it('Sleep HRV under baseline fires when each of the last 3 nights is more than 20 % under it', async () => {
    const b = 60;
    const r = await evaluate('mifit-hrv-low', [
      // drops 25 %, 21.7 %, 33.3 %: the smallest, 21.7 %, is over 20 %
      ...readiness('dropped', [{ hrv: 70, baseline: b }, { hrv: 45, baseline: b }, { hrv: 47, baseline: b }, { hrv: 40, baseline: b }]),
      // 20.5 % each night (159 of 200 ms): a drop InfluxDB would truncate to 20 in integer arithmetic
      ...readiness('fraction', [{ hrv: 159, baseline: 200 }, { hrv: 159, baseline: 200 }, { hrv: 159, baseline: 200 }]),
      // the middle night is only 16.7 % under
      ...readiness('one-ok', [{ hrv: 45, baseline: b }, { hrv: 50, baseline: b }, { hrv: 40, baseline: b }]),
      // exactly 20 % is not more than 20 %
      ...readiness('exact', [{ hrv: 48, baseline: b }, { hrv: 48, baseline: b }, { hrv: 48, baseline: b }]),
      // two nights only (baselines still building before): not 3 nights
      ...readiness('two-nights', [{ hrv: 30 }, { hrv: 30 }, { hrv: 40, baseline: b }, { hrv: 40, baseline: b }]),
    ]);
    expect(r.firing.sort()).toEqual(['dropped', 'fraction']);
    const value = (ref: string, user: string): number | undefined => r.values.get(ref)?.find((s) => s.labels.user === user)?.values[0];
    expect(value('C', 'dropped')).toBeCloseTo(100 - (47 / 60) * 100, 9);
    expect(value('C', 'fraction')).toBeCloseTo(20.5, 9);
    expect(value('D', 'two-nights')).toBe(2);
    expect(value('D', 'dropped')).toBe(3);
  });

  it('Sleep HRV under baseline follows ALERT_HRV_DAYS and ALERT_HRV_DROP_PCT', async () => {
    const pts = [
      ...readiness('two', [{ hrv: 70, baseline: 60 }, { hrv: 40, baseline: 60 }, { hrv: 42, baseline: 60 }]), // 33 %, 30 %
    ];
    expect((await evaluate('mifit-hrv-low', pts)).firing).toEqual([]);
    expect((await evaluate('mifit-hrv-low', pts, rules({ ALERT_HRV_DAYS: '2' }))).firing).toEqual(['two']);
    expect((await evaluate('mifit-hrv-low', pts, rules({ ALERT_HRV_DAYS: '2', ALERT_HRV_DROP_PCT: '30' }))).firing).toEqual([]);
  });

  it('Credentials expiring fires within 5 days of expiry, quiet at 20 days', async () => {
    const r = await evaluate('mifit-token-expiring', [
      run('soon', nowS - 600, { token_expires_s: nowS + 3 * D }),
      run('later', nowS - 600, { token_expires_s: nowS + 20 * D }),
    ]);
    expect(r.firing).toEqual(['soon']);
  });
});
