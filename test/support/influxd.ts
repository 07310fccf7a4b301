// A real InfluxDB 1.6.7 for the tests: the process (src/bench/influxd.ts, shared with the
// bench) for the global setup's one shared server and for tests that stop and restart their
// own (outage tests), and the InfluxQL helpers the tests read it back with.
import { freePort, startInfluxd, type InfluxProcess } from '../../src/bench/influxd.js';

export { freePort, startInfluxd, type InfluxProcess };

/** Run an InfluxQL statement; returns the parsed JSON. Throws on HTTP or statement error. */
export async function influxQuery(url: string, q: string, db?: string): Promise<InfluxQueryResult> {
  const body = new URLSearchParams({ q, epoch: 's' });
  if (db) body.set('db', db);
  const res = await fetch(`${url}/query`, { method: 'POST', body });
  const json = (await res.json()) as InfluxQueryResult;
  const err = json.error ?? json.results?.find((r) => r.error)?.error;
  if (!res.ok || err) throw new Error(`InfluxQL failed (${res.status}): ${err ?? 'unknown'} — ${q}`);
  return json;
}

export interface InfluxSeries {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][];
}
export interface InfluxQueryResult {
  error?: string;
  results?: { statement_id?: number; error?: string; series?: InfluxSeries[] }[];
}

/** Flatten the first statement's series into row objects (column name → value, plus tags). */
export function rows(result: InfluxQueryResult): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const s of result.results?.[0]?.series ?? []) {
    for (const v of s.values) {
      const row: Record<string, unknown> = { ...(s.tags ?? {}) };
      s.columns.forEach((c, i) => (row[c] = v[i]));
      out.push(row);
    }
  }
  return out;
}

/** Create a fresh, uniquely named database on the shared server. */
export async function createTestDatabase(url: string, prefix = 'test'): Promise<string> {
  const db = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  await influxQuery(url, `CREATE DATABASE "${db}"`);
  return db;
}
