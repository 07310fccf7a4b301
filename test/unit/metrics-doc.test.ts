// docs/metrics.md is the contract: it must list exactly the schema of src/schema/measurements.ts,
// its example lines must be valid for that schema, and no dashboard or alert may query a
// measurement, field or tag it does not list.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MEASUREMENTS, type FieldSpec } from '../../src/schema/measurements.js';
import { documentRefs, grafanaFiles, parseMetricsDoc, readDocument, unknownRefs, type DocSchema } from '../support/decode-metrics-doc.js';

const root = (p: string): string => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const doc = parseMetricsDoc(readFileSync(root('docs/metrics.md'), 'utf8'));

// What MEASUREMENTS says, in the doc's shape (without examples).
function codeSchema(): Record<string, { tags: string[]; fields: Record<string, { type: string; unit: string }> }> {
  return Object.fromEntries(
    Object.entries(MEASUREMENTS).map(([name, spec]) => [
      name,
      {
        tags: Object.keys(spec.tags).sort(),
        fields: Object.fromEntries(Object.entries(spec.fields as Record<string, FieldSpec>).map(([k, f]) => [k, { type: f.type, unit: f.unit ?? '' }])),
      },
    ]),
  );
}

/** Field value in line protocol → the Influx type it is written as. */
function lpType(v: string): string {
  if (/^-?\d+i$/.test(v)) return 'integer';
  if (v.startsWith('"')) return 'string';
  if (/^(true|false)$/.test(v)) return 'boolean';
  return 'float';
}

describe('docs/metrics.md', () => {
  it('lists exactly the measurements, tags, fields, types and units of MEASUREMENTS', () => {
    const fromDoc = Object.fromEntries(Object.entries(doc).map(([n, m]) => [n, { tags: Object.keys(m.tags).sort(), fields: m.fields }]));
    expect(fromDoc).toEqual(codeSchema());
  });

  it('gives at least one example line per measurement, valid for the declared types', () => {
    for (const [name, m] of Object.entries(doc)) {
      expect(m.examples.length, name).toBeGreaterThan(0);
      for (const line of m.examples) {
        const [series = '', fieldSet = '', time = ''] = line.match(/(?:[^\s"]|"(?:[^"\\]|\\.)*")+/g) ?? [];
        const [measurement, ...tags] = series.split(',');
        expect(measurement).toBe(name);
        for (const t of tags) expect(Object.keys(m.tags)).toContain(t.split('=')[0]);
        expect(time).toMatch(/^\d{10}$/); // epoch seconds
        for (const kv of fieldSet.match(/(?:[^,"]|"(?:[^"\\]|\\.)*")+/g) ?? []) {
          const [k = '', ...rest] = kv.split('=');
          expect(m.fields[k]?.type, `${name}.${k}`).toBe(lpType(rest.join('=')));
        }
      }
    }
  });
});

describe('docs/metrics.md "Ranges"', () => {
  // `| \`measurement.field\` | min | max | unit | note |` rows, against the ranges declared in code.
  const text = readFileSync(root('docs/metrics.md'), 'utf8');
  const fromDoc = Object.fromEntries(
    [...text.matchAll(/^\| `([a-z_]+\.[a-z_]+)` \| (-?\d+) \| (-?\d+) \|([^|]*)\|/gm)].map((m) => [m[1], { min: Number(m[2]), max: Number(m[3]), unit: (m[4] ?? '').trim() }]),
  );
  const fromCode = Object.fromEntries(
    Object.entries(MEASUREMENTS).flatMap(([name, spec]) =>
      Object.entries(spec.fields as Record<string, FieldSpec>).flatMap(([k, f]) => (f.range ? [[`${name}.${k}`, { ...f.range, unit: f.unit ?? '' }]] : [])),
    ),
  );

  it('lists exactly the physical ranges declared in src/schema/measurements.ts', () => {
    expect(Object.keys(fromCode).length).toBeGreaterThan(30);
    expect(fromDoc).toEqual(fromCode);
  });
});

describe('dashboards and alerts query only what docs/metrics.md lists', () => {
  it('finds no unknown measurement, field or tag in grafana/**', () => {
    const files = grafanaFiles(root('grafana'));
    const refs = files.flatMap((f) => documentRefs(f, readDocument(f)));
    // Once dashboards exist, the scan must actually see their queries.
    if (files.some((f) => f.includes('/dashboards/'))) expect(refs.filter((r) => r.key).length).toBeGreaterThan(10);
    expect(unknownRefs(doc, refs)).toEqual([]);
  });

  // The checker itself must catch mistakes, or the test above would pass vacuously.
  const sample = (query: unknown) => unknownRefs(doc as DocSchema, documentRefs('sample.json', { panels: [{ targets: [query] }] }));
  it.each([
    ['InfluxQL raw', { query: 'SELECT mean("bpm") FROM "heart_rate" WHERE "user" =~ /^$user$/ AND $timeFilter GROUP BY time($__interval)' }],
    ['InfluxQL with alias and tag filter', { query: `SELECT sum(duration_min) AS "minutes" FROM "autogen"."sleep_stage" WHERE "sleep" = 'main' GROUP BY "phase"` }],
    ['InfluxQL builder', { measurement: 'activity_daily', select: [[{ type: 'field', params: ['steps'] }, { type: 'mean', params: [] }]], tags: [{ key: 'user', value: '$user' }] }],
    ['Flux', { query: 'from(bucket: "mifit") |> range(start: -1d) |> filter(fn: (r) => r._measurement == "sleep_daily" and r._field == "score")' }],
    ['SHOW TAG VALUES', { query: 'SHOW TAG VALUES FROM "sync_run" WITH KEY = "user"' }],
  ])('accepts a valid %s query', (_name, target) => {
    expect(sample(target)).toEqual([]);
  });
  it.each([
    ['an unknown field', { query: 'SELECT mean("deep_sleep") FROM "sleep_daily" WHERE $timeFilter' }, /deep_sleep/],
    ['an unknown bare field', { query: 'SELECT last(total_steps) FROM activity_daily' }, /total_steps/],
    ['an unknown field inside a subquery', { query: 'SELECT max("x") FROM (SELECT last("rem") AS "x" FROM "sleep_daily" GROUP BY time(1d))' }, /"rem"/],
    ['an unknown measurement', { query: 'SELECT mean("bpm") FROM "hr"' }, /measurement "hr"/],
    ['an unknown tag in WHERE', { query: `SELECT count("bpm") FROM "heart_rate" WHERE "device" = 'x'` }, /device/],
    ['a builder target with an unknown field', { measurement: 'activity_daily', select: [[{ type: 'field', params: ['distance_km'] }]] }, /distance_km/],
    ['a Flux field of another measurement', { query: 'from(bucket: "b") |> filter(fn: (r) => r._measurement == "heart_rate" and r._field == "steps")' }, /steps/],
  ])('rejects %s', (_name, target, pattern) => {
    const problems = sample(target);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(pattern);
  });
});
