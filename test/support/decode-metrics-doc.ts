// Reads docs/metrics.md into a schema, and finds the measurements/fields/tags that Grafana
// dashboards and alert rules query (InfluxQL raw and builder targets, Flux filters), so a test
// can hold code, doc and dashboards to one schema.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

export interface DocMeasurement {
  tags: Record<string, true>;
  fields: Record<string, { type: string; unit: string }>;
  examples: string[];
}
export type DocSchema = Record<string, DocMeasurement>;

const ROW = /^\| `([A-Za-z0-9_]+)` \| (tag|field) \| (\w+) \| ([^|]*) \| .* \|$/;

/** docs/metrics.md → { measurement: { tags, fields: {type, unit}, example lines } }. */
export function parseMetricsDoc(text: string): DocSchema {
  const out: DocSchema = {};
  let current: DocMeasurement | undefined;
  let inCode = false;
  for (const line of text.split('\n')) {
    const heading = /^## `([A-Za-z0-9_]+)`\s*$/.exec(line);
    if (heading?.[1]) {
      current = { tags: {}, fields: {}, examples: [] };
      out[heading[1]] = current;
      continue;
    }
    if (line.startsWith('## ') || line.startsWith('# ')) current = undefined;
    if (line.startsWith('```')) {
      inCode = !inCode;
      continue;
    }
    if (!current) continue;
    if (inCode && line.trim()) current.examples.push(line);
    const row = ROW.exec(line);
    if (row?.[1] && row[2] === 'tag') current.tags[row[1]] = true;
    if (row?.[1] && row[2] === 'field') current.fields[row[1]] = { type: row[3] ?? '', unit: (row[4] ?? '').trim() };
  }
  return out;
}

/** A reference from a query: measurement (undefined = unknown/any) and a field or tag name. */
export interface QueryRef {
  file: string;
  measurement?: string;
  key?: string;
  query: string;
}

const KEYWORDS = new Set(['as', 'time', 'distinct', 'fill', 'null', 'none', 'previous', 'linear', 'and', 'or', 'true', 'false', 'desc', 'asc']);

/** References made by one InfluxQL statement list (raw query text, Grafana macros allowed). */
export function influxqlRefs(file: string, query: string): QueryRef[] {
  const refs: QueryRef[] = [];
  const q = query.replace(/'(?:[^'\\]|\\.)*'/g, "''").replace(/\/(?:[^/\\\n]|\\.)+\//g, '//');
  // The select clause may not contain SELECT/FROM, so a subquery matches on its own and an outer
  // query over a subquery (FROM "(") is skipped: it can only name the inner query's aliases.
  const selectRe = /SELECT\s+((?:(?!\bSELECT\b|\bFROM\b)[\s\S])*?)\s+FROM\s+((?:"[^"]+"|[A-Za-z0-9_]+)(?:\.(?:"[^"]+"|[A-Za-z0-9_]+))*)([\s\S]*?)(?=\bSELECT\b|;|\)|$)/gi;
  for (const m of q.matchAll(selectRe)) {
    const target = (m[2] ?? '').split('.').pop()?.replace(/"/g, '') ?? '';
    refs.push({ file, measurement: target, query });
    const select = (m[1] ?? '').replace(/\bAS\s+(?:"[^"]*"|[A-Za-z0-9_]+)/gi, '');
    const where = (m[3] ?? '').replace(/\b(?:LIMIT|SLIMIT|OFFSET)\b[\s\S]*$/i, '');
    for (const id of identifiers(select)) refs.push({ file, measurement: target, key: id, query });
    for (const id of [...where.matchAll(/"([^"]+)"/g)].map((x) => x[1] ?? '')) refs.push({ file, measurement: target, key: id, query });
  }
  for (const m of q.matchAll(/SHOW\s+(?:TAG|FIELD)\s+(?:VALUES|KEYS)\s+FROM\s+"?([A-Za-z0-9_]+)"?(?:[\s\S]*?WITH\s+KEY\s*=\s*"?([A-Za-z0-9_]+)"?)?/gi)) {
    refs.push({ file, measurement: m[1], query });
    if (m[2]) refs.push({ file, measurement: m[1], key: m[2], query });
  }
  return refs;
}

function identifiers(clause: string): string[] {
  const ids = [...clause.matchAll(/"([^"]+)"/g)].map((x) => x[1] ?? '');
  const bare = clause.replace(/"[^"]*"/g, ' ');
  for (const m of bare.matchAll(/(\$?)\b([A-Za-z_][A-Za-z0-9_]*)\b(\s*\()?/g)) {
    if (m[1] || m[3] || KEYWORDS.has((m[2] ?? '').toLowerCase())) continue; // variable, function, keyword
    ids.push(m[2] ?? '');
  }
  return ids.filter((id) => id !== '*' && id.toLowerCase() !== 'time');
}

/** References made by a Flux query (`r._measurement == "x"`, `r._field == "y"`). */
export function fluxRefs(file: string, query: string): QueryRef[] {
  const ms = [...query.matchAll(/r(?:\._measurement|\["_measurement"\])\s*==\s*"([^"]+)"/g)].map((m) => m[1] ?? '');
  const fs = [...query.matchAll(/r(?:\._field|\["_field"\])\s*==\s*"([^"]+)"/g)].map((m) => m[1] ?? '');
  const measurement = ms.length === 1 ? ms[0] : undefined;
  return [...ms.map((m) => ({ file, measurement: m, query })), ...fs.map((f) => ({ file, measurement, key: f, query }))];
}

/** Every reference found in a parsed dashboard / alert rule document. */
export function documentRefs(file: string, doc: unknown): QueryRef[] {
  const refs: QueryRef[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (typeof v !== 'object' || v === null) return;
    const o = v as Record<string, unknown>;
    if (typeof o.query === 'string') refs.push(...(/\bfrom\s*\(\s*bucket/.test(o.query) || o.query.includes('|>') ? fluxRefs(file, o.query) : influxqlRefs(file, o.query)));
    // Grafana's InfluxQL query builder: { measurement, select: [[{type:'field', params:[name]}]], tags: [{key}] }.
    if (typeof o.measurement === 'string' && o.rawQuery !== true && (Array.isArray(o.select) || Array.isArray(o.tags))) {
      const m = o.measurement;
      refs.push({ file, measurement: m, query: JSON.stringify(o).slice(0, 200) });
      for (const part of (o.select as { type?: string; params?: string[] }[][] | undefined)?.flat() ?? [])
        if (part.type === 'field' && part.params?.[0]) refs.push({ file, measurement: m, key: part.params[0], query: `select ${part.params[0]}` });
      for (const t of (o.tags as { key?: string }[] | undefined) ?? []) if (t.key) refs.push({ file, measurement: m, key: t.key, query: `tag ${t.key}` });
    }
    Object.values(o).forEach(walk);
  };
  walk(doc);
  return refs;
}

/** All dashboard/alert files (JSON, YAML) under a folder, recursively; [] when it does not exist. */
export function grafanaFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true, recursive: true });
  } catch {
    return [];
  }
  return entries.filter((e) => e.isFile() && /\.(json|ya?ml)$/.test(e.name)).map((e) => join(e.parentPath, e.name));
}

/** Parse a JSON or YAML file (YAML may hold several documents). */
export function readDocument(file: string): unknown {
  const text = readFileSync(file, 'utf8');
  return file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
}

/** References that name a measurement, field or tag the doc does not list ('$' variables are skipped). */
export function unknownRefs(doc: DocSchema, refs: readonly QueryRef[]): string[] {
  const problems = new Set<string>();
  for (const r of refs) {
    if (r.measurement?.includes('$') || r.key?.includes('$')) continue;
    const m = r.measurement !== undefined ? doc[r.measurement] : undefined;
    if (r.measurement !== undefined && !m) {
      problems.add(`${r.file}: measurement "${r.measurement}" is not in docs/metrics.md (${r.query.slice(0, 120)})`);
      continue;
    }
    if (r.key === undefined) continue;
    const known = m ? r.key in m.fields || r.key in m.tags : Object.values(doc).some((x) => r.key! in x.fields || r.key! in x.tags);
    if (!known) problems.add(`${r.file}: "${r.key}" is not a field or tag of ${r.measurement ?? 'any measurement'} in docs/metrics.md (${r.query.slice(0, 120)})`);
  }
  return [...problems];
}
