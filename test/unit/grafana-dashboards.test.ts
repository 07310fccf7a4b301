// The provisioned dashboards: valid against Grafana's schema (@grafana/schema of the pinned
// release), datasource referenced by the provisioned uid everywhere, fixed unique uids, core
// panels only, links that resolve, and every measurement/field/tag in MEASUREMENTS.
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { MEASUREMENTS } from '../../src/schema/measurements.js';
import { buildDashboards, serialise } from '../../grafana/generator/build.ts';
import { DASHBOARD_DIR, PROVISIONING_DIR, loadDashboards, loadYaml, panelQueries, panelsOf, type Json } from '../support/grafana-files.js';
import { dashboardJsonSchema, grafanaSchemaVersion } from '../support/grafana-schema.js';
import { references, unquotedFieldArguments } from '../support/grafana-influxql.js';

const dashboards = loadDashboards();
const CORE = new Set(['timeseries', 'stat', 'gauge', 'bargauge', 'barchart', 'state-timeline', 'table', 'heatmap', 'text', 'row', 'geomap']);
const UIDS = ['mifit-activity', 'mifit-body', 'mifit-heart', 'mifit-overview', 'mifit-sleep', 'mifit-stress-recovery', 'mifit-sync-health', 'mifit-workouts'];
const DS_UID = (loadYaml(join(PROVISIONING_DIR, 'datasources', 'influxdb.yaml')).datasources[0] as Json).uid as string;

/** Every object under a `datasource` key anywhere in the JSON. */
function datasourceRefs(node: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(node)) node.forEach((n) => datasourceRefs(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'datasource') out.push(v);
      datasourceRefs(v, out);
    }
  }
  return out;
}

describe('grafana dashboards', () => {
  it('are the eight dashboards of the README with fixed, unique uids', () => {
    expect(dashboards.map((d) => d.json.uid).sort()).toEqual(UIDS);
  });

  it('validate against the Dashboard schema of @grafana/schema 12.x', () => {
    expect(grafanaSchemaVersion()).toMatch(/^12\./);
    const validate = new Ajv({ allErrors: true, strict: false }).compile(dashboardJsonSchema());
    for (const { file, json } of dashboards) {
      const ok = validate(json);
      expect(ok ? [] : validate.errors?.map((e) => `${file} ${e.instancePath} ${e.message}`)).toEqual([]);
    }
  });

  it('schema check rejects a dashboard with an unknown panel property or a bad variable type', () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(dashboardJsonSchema());
    const bad = structuredClone(dashboards[0]?.json) as Json;
    bad.panels[0].colour = 'red';
    bad.templating.list[0].type = 'bogus';
    expect(validate(bad)).toBe(false);
  });

  it('reference the datasource only by the provisioned uid', () => {
    expect(DS_UID).toBe('mifit-influxdb');
    for (const { json } of dashboards) {
      const refs = datasourceRefs(json);
      expect(refs.length).toBeGreaterThan(5);
      for (const r of refs) expect(r).toEqual({ type: 'influxdb', uid: DS_UID });
    }
  });

  it('use only core panel types, each panel with a unit and thresholds', () => {
    for (const { json } of dashboards) {
      for (const p of panelsOf(json)) {
        expect(CORE, `${json.uid}/${p.title}`).toContain(p.type);
        if (['stat', 'gauge', 'bargauge', 'timeseries', 'barchart'].includes(p.type)) {
          expect(p.fieldConfig?.defaults?.unit, `${json.uid}/${p.title} unit`).toBeTruthy();
          expect(p.fieldConfig?.defaults?.thresholds?.steps?.length, `${json.uid}/${p.title} thresholds`).toBeGreaterThan(0);
        }
      }
    }
  });

  it('have unique panel ids, a user and a timezone variable, and links that resolve', () => {
    for (const { json } of dashboards) {
      const ids = panelsOf(json).map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      const vars = (json.templating.list as Json[]).map((v) => v.name);
      expect(vars).toEqual(expect.arrayContaining(['user', 'timezone']));
      const user = (json.templating.list as Json[]).find((v) => v.name === 'user');
      expect(user?.query).toBe('SHOW TAG VALUES WITH KEY = "user"');
      const urls = [
        ...(json.links as Json[]).map((l) => l.url as string),
        ...panelsOf(json).flatMap((p) => [...String(p.options?.content ?? '').matchAll(/\]\((\/d\/[^)]+)\)/g)].map((m) => m[1] as string)),
      ];
      expect(urls.length).toBeGreaterThanOrEqual(4);
      for (const u of urls) expect(UIDS, `${json.uid} links ${u}`).toContain(/^\/d\/([^/?]+)/.exec(u)?.[1]);
      const linked = new Set(urls.map((u) => /^\/d\/([^/?]+)/.exec(u)?.[1]));
      expect([...linked].sort()).toEqual(UIDS.filter((u) => u !== json.uid));
    }
  });

  it('query only measurements, fields and tags listed in MEASUREMENTS', () => {
    const queries = panelQueries(dashboards);
    expect(queries.length).toBeGreaterThan(40);
    const specs = MEASUREMENTS as Record<string, { fields: Record<string, unknown>; tags: Record<string, unknown> }>;
    for (const q of queries) {
      const where = `${q.dashboard}/${q.panel}: ${q.query}`;
      const { measurements, identifiers, aliases } = references(q.query);
      expect(measurements.length, where).toBeGreaterThan(0);
      for (const m of measurements) expect(Object.keys(specs), where).toContain(m);
      const known = new Set([...measurements.flatMap((m) => [...Object.keys(specs[m]?.fields ?? {}), ...Object.keys(specs[m]?.tags ?? {})]), ...aliases]);
      for (const id of identifiers) expect(known.has(id), `${where} uses "${id}"`).toBe(true);
      expect(unquotedFieldArguments(q.query), where).toEqual([]);
    }
  });

  it('begin days at local midnight of the timezone variable in every daily grouping', () => {
    for (const q of panelQueries(dashboards)) {
      if (/GROUP BY time\(1[dhw][,)]/.test(q.query)) expect(q.query, `${q.dashboard}/${q.panel}`).toMatch(/tz\('\$timezone'\)$|tz\('\$timezone'\)\)/);
    }
  });

  it('draw the hour-of-day heatmap from the 24 hour series as rows, each day ending at the next midnight', () => {
    const activity = dashboards.find((d) => d.json.uid === 'mifit-activity')?.json as Json;
    const heat = panelsOf(activity).find((p) => p.type === 'heatmap');
    expect(heat?.targets?.[0]).toMatchObject({ alias: '$tag_hour', resultFormat: 'time_series' });
    expect(heat?.targets?.[0]?.query).toMatch(/FROM "activity_hourly" .*GROUP BY time\(1d\), "hour" fill\(0\) tz\('\$timezone'\)$/);
    expect(heat?.options).toMatchObject({ calculate: false, rowsFrame: { layout: 'unknown' } });
    // Rows heatmaps read a timestamp as its bucket's end; InfluxDB gives the start: shift by one day.
    const [calc, convert, organize] = heat?.transformations ?? [];
    expect(calc?.options).toMatchObject({ mode: 'binary', alias: 'day end', binary: { left: { matcher: { options: 'Time' } }, operator: '+', right: { fixed: '86400000' } } });
    expect(convert?.options.conversions).toEqual([{ targetField: 'day end', destinationType: 'time' }]);
    expect(organize?.options.excludeByName).toEqual({ Time: true });
    const bars = panelsOf(activity).find((p) => p.title === 'Steps by hour of day');
    expect(bars?.targets?.[0]?.query).toMatch(/FROM "activity_hourly" .*GROUP BY "hour"$/);
    expect(bars?.options?.xField).toBe('hour of day');
  });

  it('link each row of the Workouts table to the same dashboard with that workout and its time range', () => {
    const workouts = dashboards.find((d) => d.json.uid === 'mifit-workouts')?.json as Json;
    const table = panelsOf(workouts).find((p) => p.title === 'Workouts');
    const [link, ...more] = table?.fieldConfig?.defaults?.links ?? [];
    expect(more).toEqual([]);
    const url = new URL(String(link?.url), 'http://grafana');
    expect(url.pathname).toBe('/d/mifit-workouts');
    expect(url.searchParams.get('var-track')).toBe('${__data.fields.track}');
    expect(url.searchParams.get('from')).toBe('${__data.fields.Time.numeric}');
    expect(url.searchParams.get('to')).toBe('${__data.fields.end.numeric}');
    expect(String(link?.url)).toContain('${user:queryparam}');
    // "end" is computed in the panel: the row's start plus its duration in ms; both come from the query.
    const query = String(table?.targets?.[0]?.query);
    expect(query).toMatch(/"duration_s" \* 1000 AS "duration ms" .*GROUP BY "sport", "track"$/);
    expect(table?.transformations?.[0]?.options).toMatchObject({ alias: 'end', binary: { left: { matcher: { options: 'Time' } }, operator: '+', right: { matcher: { options: 'duration ms' } } } });
    const track = (workouts.templating.list as Json[]).find((v) => v.name === 'track');
    expect(track?.query).toMatch(/^SHOW TAG VALUES FROM "workout" WITH KEY = "track" WHERE "user" =~/);
    // Every panel of the selected workout filters on it.
    for (const p of panelsOf(workouts).filter((x) => ['Selected workout', 'Heart rate', 'Route', 'Pace and speed', 'Altitude'].includes(x.title))) {
      for (const t of p.targets) expect(t.query, p.title).toContain(`"track" = '$track'`);
    }
  });

  it('draw the route on a Geomap from the lat/lon fields of workout_sample', () => {
    const workouts = dashboards.find((d) => d.json.uid === 'mifit-workouts')?.json as Json;
    const map = panelsOf(workouts).find((p) => p.type === 'geomap');
    expect(map?.targets?.[0]).toMatchObject({ resultFormat: 'table' });
    expect(map?.targets?.[0]?.query).toMatch(/^SELECT "lat", "lon" FROM "workout_sample" /);
    expect(map?.options?.layers).toHaveLength(1);
    expect(map?.options?.layers?.[0]).toMatchObject({ type: 'markers', location: { mode: 'coords', latitude: 'lat', longitude: 'lon' } });
  });

  it('are exactly what grafana/generator/build.ts produces', () => {
    for (const [file, d] of Object.entries(buildDashboards())) {
      expect(readFileSync(join(DASHBOARD_DIR, file), 'utf8'), `${file} is stale: run node grafana/generator/build.ts`).toBe(serialise(d));
    }
  });
});
