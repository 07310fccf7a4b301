// The provisioning files: they parse, pass yamllint (relaxed), reference the fixed datasource
// uid, carry the ten alert rules, and the entrypoint script renders the ALERT_* thresholds,
// the contact point or its removal, and the first-start admin password (run for real with sh).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { MEASUREMENTS } from '../../src/schema/measurements.js';
import { PROVISIONING_DIR, alertRules, loadYaml, type Json } from '../support/grafana-files.js';
import { references } from '../support/grafana-influxql.js';
import { tempDir } from '../support/tmp.js';

const tmp = tempDir('mifit-grafana-');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

/** A fresh, empty Grafana data directory (the grafana-data volume of a first start). */
const dataDir = (): string => mkdtempSync(join(tmp, 'data-'));

/** Run the entrypoint in render-only mode with exactly `env` (plus PATH), `state` as Grafana's data dir. */
function render(name: string, env: Record<string, string>, state = dataDir()): { out: string; state: string; stdout: string; stderr: string; status: number | null } {
  const out = join(tmp, name);
  const r = spawnSync('sh', [join(PROVISIONING_DIR, 'entrypoint.sh')], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', MIFIT_PROVISIONING_SRC: PROVISIONING_DIR, MIFIT_PROVISIONING_OUT: out, MIFIT_STATE_DIR: state, MIFIT_RENDER_ONLY: '1', ...env },
    encoding: 'utf8',
  });
  return { out, state, stdout: r.stdout, stderr: r.stderr, status: r.status };
}
const contactFile = (out: string): string => join(out, 'alerting', 'contact-points.yaml');

const thresholds = (rulesFile: Json): Record<string, number[]> =>
  Object.fromEntries(alertRules(rulesFile).map((r) => {
    const cond = r.data.find((d) => d.refId === r.condition);
    return [r.uid, cond?.model.conditions[0].evaluator.params as number[]];
  }));
const DEFAULT_THRESHOLDS = {
  'mifit-short-sleep': [6], 'mifit-low-activity': [5000], 'mifit-resting-hr-rising': [5],
  'mifit-no-band-data': [0], 'mifit-sync-failing': [1], 'mifit-token-expiring': [5], 'mifit-days-failing': [0],
  'mifit-odi-high': [5], 'mifit-spo2-low': [90], 'mifit-hrv-low': [0],
};
/** The parts of "Sleep HRV under baseline" that follow ALERT_HRV_DROP_PCT and ALERT_HRV_DAYS. */
function hrv(rulesFile: Json): { expression: string; limits: number[]; ranges: (number | undefined)[] } {
  const rule = alertRules(rulesFile).find((r) => r.uid === 'mifit-hrv-low');
  const queries = rule?.data.filter((d) => d.datasourceUid !== '__expr__') ?? [];
  return {
    expression: String(rule?.data.find((d) => d.refId === 'E')?.model.expression),
    limits: queries.map((q) => Number(/LIMIT (\d+)\)/.exec(String(q.model.query))?.[1])),
    ranges: queries.map((q) => q.relativeTimeRange?.from),
  };
}
/** The parts of "No new band data" that follow ALERT_NO_DATA_HOURS. */
function noData(rulesFile: Json): { expression: string; window: number; range: number | undefined } {
  const rule = alertRules(rulesFile).find((r) => r.uid === 'mifit-no-band-data');
  const step = (id: string) => rule?.data.find((d) => d.refId === id);
  return {
    expression: String(step('E')?.model.expression),
    window: Number(/moving_average\(count\("success"\), (\d+)\)/.exec(String(step('B')?.model.query))?.[1]),
    range: step('B')?.relativeTimeRange?.from === step('A')?.relativeTimeRange?.from ? step('A')?.relativeTimeRange?.from : undefined,
  };
}
const range = (rulesFile: Json, uid: string): number | undefined =>
  alertRules(rulesFile).find((r) => r.uid === uid)?.data[0]?.relativeTimeRange?.from;

describe('grafana provisioning files', () => {
  it('parse as YAML and pass yamllint -d relaxed', () => {
    const files = yamlFiles(PROVISIONING_DIR);
    expect(files.length).toBe(3);
    for (const f of files) expect(() => parse(readFileSync(f, 'utf8'))).not.toThrow();
    const r = spawnSync('yamllint', ['-f', 'parsable', '-d', 'relaxed', ...files], { encoding: 'utf8' });
    expect(r.stdout.split('\n').filter((l) => l.includes('[error]'))).toEqual([]);
    expect(r.status).toBe(0);
  });

  it('provision the InfluxQL datasource with a fixed uid, the bucket as database and a token header from env', () => {
    const ds = loadYaml(join(PROVISIONING_DIR, 'datasources', 'influxdb.yaml')).datasources[0] as Json;
    expect(ds).toMatchObject({
      uid: 'mifit-influxdb', type: 'influxdb', url: '$INFLUX_URL', database: '$INFLUX_BUCKET',
      jsonData: { version: 'InfluxQL', httpHeaderName1: 'Authorization' },
      secureJsonData: { httpHeaderValue1: 'Token $INFLUX_TOKEN' },
    });
    const provider = loadYaml(join(PROVISIONING_DIR, 'dashboards', 'mifit.yaml')).providers[0] as Json;
    expect(provider).toMatchObject({ type: 'file', options: { path: '/var/lib/grafana/dashboards' } });
  });

  it('define the ten alert rules, each query on the provisioned datasource and in MEASUREMENTS', () => {
    const rules = alertRules(loadYaml(join(PROVISIONING_DIR, 'alerting', 'rules.yaml')));
    expect(rules.map((r) => r.uid).sort()).toEqual([
      'mifit-days-failing', 'mifit-hrv-low', 'mifit-low-activity', 'mifit-no-band-data', 'mifit-odi-high', 'mifit-resting-hr-rising', 'mifit-short-sleep', 'mifit-spo2-low',
      'mifit-sync-failing', 'mifit-token-expiring',
    ]);
    const specs = MEASUREMENTS as Record<string, { fields: Record<string, unknown>; tags: Record<string, unknown> }>;
    for (const r of rules) {
      const refIds = r.data.map((d) => d.refId);
      expect(refIds).toContain(r.condition);
      expect(['OK', 'NoData', 'Alerting', 'KeepLast']).toContain(r.noDataState);
      expect(['OK', 'Error', 'Alerting', 'KeepLast']).toContain(r.execErrState);
      for (const d of r.data) {
        if (d.datasourceUid === '__expr__') {
          const inputs = d.model.type === 'math' ? [...String(d.model.expression).matchAll(/\$(\w+)/g)].map((m) => m[1]) : [d.model.expression];
          for (const i of inputs) expect(refIds, `${r.uid}/${d.refId}`).toContain(i);
          continue;
        }
        expect(d.datasourceUid).toBe('mifit-influxdb');
        expect(d.model.query).toContain('$timeFilter');
        expect(d.model.query).toMatch(/GROUP BY (time\(\w+\), )?"user"/);
        const { measurements, identifiers, aliases } = references(d.model.query);
        const known = new Set([...measurements.flatMap((m) => [...Object.keys(specs[m]?.fields ?? {}), ...Object.keys(specs[m]?.tags ?? {})]), ...aliases]);
        for (const m of measurements) expect(Object.keys(specs)).toContain(m);
        for (const id of identifiers) expect(known.has(id), `${r.uid} uses "${id}"`).toBe(true);
      }
    }
  });

  it('entrypoint without ALERT_* renders the default thresholds', () => {
    const r = render('defaults', {});
    expect(r.status).toBe(0);
    const rendered = readFileSync(join(r.out, 'alerting', 'rules.yaml'), 'utf8');
    expect(rendered).toBe(readFileSync(join(PROVISIONING_DIR, 'alerting', 'rules.yaml'), 'utf8'));
    expect(thresholds(parse(rendered) as Json)).toEqual(DEFAULT_THRESHOLDS);
    expect(noData(parse(rendered) as Json)).toEqual({ expression: '$D <= 0 || $C > 36', window: 36, range: (36 + 720) * 3600 });
    expect(hrv(parse(rendered) as Json)).toEqual({ expression: '$D >= 3 && $C > 20', limits: [3, 3], ranges: [4 * 86400, 4 * 86400] });
    expect(existsSync(join(r.out, 'datasources', 'influxdb.yaml'))).toBe(true);
    expect(existsSync(join(r.out, 'entrypoint.sh'))).toBe(false);
    expect(r.stderr).toContain("alerts show in Grafana's alert list");
  });

  it('entrypoint applies every ALERT_* threshold and range from the environment', () => {
    const r = render('custom', {
      ALERT_SLEEP_MIN_HOURS: '6.5', ALERT_STEPS_MIN: '7000', ALERT_STEPS_DAYS: '5', ALERT_RHR_RISE_BPM: '4',
      ALERT_NO_DATA_HOURS: '48', ALERT_SYNC_FAIL_HOURS: '12', ALERT_TOKEN_DAYS: '3',
      ALERT_ODI_MAX: '7.5', ALERT_SPO2_MIN_PCT: '88', ALERT_HRV_DROP_PCT: '15', ALERT_HRV_DAYS: '5',
    });
    expect(r.status).toBe(0);
    const rules = loadYaml(join(r.out, 'alerting', 'rules.yaml'));
    expect(thresholds(rules)).toEqual({
      ...DEFAULT_THRESHOLDS, 'mifit-short-sleep': [6.5], 'mifit-low-activity': [7000], 'mifit-resting-hr-rising': [4], 'mifit-token-expiring': [3],
      'mifit-odi-high': [7.5], 'mifit-spo2-low': [88],
    });
    expect(hrv(rules)).toEqual({ expression: '$D >= 5 && $C > 15', limits: [5, 5], ranges: [6 * 86400, 6 * 86400] });
    // A fraction of a night: the count rounded up to whole nights.
    expect(hrv(loadYaml(join(render('hrv-frac', { ALERT_HRV_DAYS: '2.5' }).out, 'alerting', 'rules.yaml')))).toEqual({ expression: '$D >= 3 && $C > 20', limits: [3, 3], ranges: [4 * 86400, 4 * 86400] });
    expect(noData(rules)).toEqual({ expression: '$D <= 0 || $C > 48', window: 48, range: (48 + 720) * 3600 });
    expect(range(rules, 'mifit-low-activity')).toBe(6 * 86400);
    expect(range(rules, 'mifit-sync-failing')).toBe(12 * 3600);
    // A fraction of an hour: the threshold as given, the window rounded up to whole hours.
    expect(noData(loadYaml(join(render('custom-frac', { ALERT_NO_DATA_HOURS: '12.5' }).out, 'alerting', 'rules.yaml')))).toEqual({ expression: '$D <= 0 || $C > 12.5', window: 13, range: (13 + 720) * 3600 });
  });

  it('entrypoint keeps the default for a value that is not a number and says so', () => {
    const r = render('invalid', { ALERT_STEPS_MIN: '5000; rm -rf /', ALERT_TOKEN_DAYS: '', ALERT_HRV_DAYS: '3 nights' });
    expect(r.status).toBe(0);
    const rules = loadYaml(join(r.out, 'alerting', 'rules.yaml'));
    expect(thresholds(rules)['mifit-low-activity']).toEqual([5000]);
    expect(hrv(rules).limits).toEqual([3, 3]);
    expect(r.stderr).toContain('ALERT_STEPS_MIN');
    expect(r.stderr).toContain('ALERT_HRV_DAYS');
  });

  it('entrypoint provisions a webhook and e-mail contact point, private and never echoed', () => {
    const url = "https://hooks.example/alert?token=s3cr3t'x";
    const r = render('contacts', { ALERT_WEBHOOK_URL: url, ALERT_EMAIL_TO: 'me@example.com;you@example.com' });
    expect(r.status).toBe(0);
    const file = contactFile(r.out);
    expect(statSync(file).mode & 0o077).toBe(0);
    const cp = loadYaml(file);
    expect(cp.contactPoints[0].receivers).toEqual([
      { uid: 'mifit-webhook', type: 'webhook', settings: { url, httpMethod: 'POST' } },
      { uid: 'mifit-email', type: 'email', settings: { addresses: 'me@example.com;you@example.com', singleEmail: true } },
    ]);
    expect(cp.deleteContactPoints).toBeUndefined();
    expect(cp.resetPolicies).toBeUndefined();
    expect(cp.policies[0].receiver).toBe('mifit-sync');
    expect(`${r.stdout}${r.stderr}`).not.toContain('s3cr3t');
    const lint = spawnSync('yamllint', ['-d', 'relaxed', file], { encoding: 'utf8' });
    expect(lint.status).toBe(0);
  });

  it('entrypoint provisions only the e-mail receiver when only ALERT_EMAIL_TO is set, deleting a webhook receiver left from before', () => {
    const r = render('email', { ALERT_EMAIL_TO: 'me@example.com' });
    const cp = loadYaml(contactFile(r.out));
    expect(cp.contactPoints[0].receivers.map((x: Json) => x.type)).toEqual(['email']);
    expect(cp.deleteContactPoints).toEqual([{ orgId: 1, uid: 'mifit-webhook' }]);
    expect(cp.resetPolicies).toBeUndefined();
  });

  it('entrypoint removes the contact point and resets the policy once the destinations are unset again', () => {
    const removal = { resetPolicies: [1], deleteContactPoints: [{ orgId: 1, uid: 'mifit-webhook' }, { orgId: 1, uid: 'mifit-email' }] };
    const state = dataDir();
    expect(render('cp-1', { ALERT_WEBHOOK_URL: 'https://hooks.example/x' }, state).status).toBe(0);
    const unset = render('cp-2', {}, state);
    expect(unset.status).toBe(0);
    expect(loadYaml(contactFile(unset.out))).toEqual({ apiVersion: 1, ...removal });
    expect(unset.stderr).toContain('notification policy reset');
    // Done once: later starts leave policies made in Grafana's UI alone.
    const later = render('cp-3', {}, state);
    expect(existsSync(contactFile(later.out))).toBe(false);
    // A data dir from before this state was kept (an upgrade) is treated as "maybe provisioned".
    expect(loadYaml(contactFile(render('cp-4', {}).out))).toEqual({ apiVersion: 1, ...removal });
    const lint = spawnSync('yamllint', ['-d', 'relaxed', contactFile(unset.out)], { encoding: 'utf8' });
    expect(lint.status).toBe(0);
  });

  it('entrypoint generates the first-start admin password, keeps it private and logs only where it is', () => {
    const r = render('pw-1', {});
    expect(r.status).toBe(0);
    const file = join(r.state, 'mifit-admin-password');
    const pw = readFileSync(file, 'utf8').trim();
    expect(pw).toMatch(/^[A-Za-z0-9]{24}$/);
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(r.stderr).toContain(file);
    expect(`${r.stdout}${r.stderr}`).not.toContain(pw);
    // The next start reuses it; another data dir gets another one.
    expect(render('pw-2', {}, r.state).stderr).toContain(file);
    expect(readFileSync(file, 'utf8').trim()).toBe(pw);
    const other = render('pw-3', {});
    expect(readFileSync(join(other.state, 'mifit-admin-password'), 'utf8').trim()).not.toBe(pw);
  });

  it('entrypoint leaves the password alone when GRAFANA_ADMIN_PASSWORD is set or the database exists', () => {
    const set = render('pw-set', { GF_SECURITY_ADMIN_PASSWORD: 'my-own-secret' });
    expect(existsSync(join(set.state, 'mifit-admin-password'))).toBe(false);
    expect(`${set.stdout}${set.stderr}`).not.toContain('my-own-secret');
    const existing = dataDir();
    writeFileSync(join(existing, 'grafana.db'), '');
    const r = render('pw-db', {}, existing);
    expect(r.status).toBe(0);
    expect(existsSync(join(existing, 'mifit-admin-password'))).toBe(false);
    expect(r.stderr).toContain('unchanged (existing database');
  });

  it('entrypoint stops with a clear message when it cannot store a generated password', () => {
    const r = render('pw-ro', {}, join(tmp, 'no-such-dir'));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('set GRAFANA_ADMIN_PASSWORD');
  });
});
