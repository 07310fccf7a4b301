// Builds the delete requests for a day's spans: InfluxQL DELETE statements for 1.x and
// /api/v2/delete bodies for 2.x. Pure. Escaping follows the InfluxQL scanner, which the
// 2.x predicate parser reuses: double-quoted identifiers and single-quoted strings, each
// with backslash escapes for the quote and the backslash itself.
import type { MeasurementName } from '../schema/measurements.js';

/** The time range a day's points own in one measurement, end exclusive (structurally the decoder's DaySpan). */
export interface DeleteSpan {
  measurement: MeasurementName;
  start: number;
  end: number;
  tags?: Record<string, string>;
}

/** InfluxQL identifier: "name" with `\` and `"` escaped. */
export const quoteIdent = (s: string): string => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

/** InfluxQL string literal: 'text' with `\` and `'` escaped. */
export const quoteString = (s: string): string => `'${s.replace(/[\\']/g, (c) => `\\${c}`)}'`;

function tagPairs(user: string, span: DeleteSpan): [string, string][] {
  const extra = Object.entries(span.tags ?? {})
    .filter(([k]) => k !== 'user')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return [['user', user], ...extra];
}

function checkSpan(span: DeleteSpan): void {
  if (!Number.isSafeInteger(span.start) || !Number.isSafeInteger(span.end) || span.end <= span.start)
    throw new RangeError(`span of ${span.measurement} must have integer epoch seconds start < end, got ${span.start}..${span.end}`);
}

/** `DELETE FROM "m" WHERE "user"='x' [AND "tag"='v'] AND time >= Ss AND time < Es` for InfluxDB 1.x. */
export function influxqlDelete(user: string, span: DeleteSpan): string {
  checkSpan(span);
  const where = tagPairs(user, span).map(([k, v]) => `${quoteIdent(k)}=${quoteString(v)}`);
  return `DELETE FROM ${quoteIdent(span.measurement)} WHERE ${where.join(' AND ')} AND time >= ${span.start}s AND time < ${span.end}s`;
}

export interface V2DeleteBody {
  start: string;
  stop: string;
  predicate: string;
}

/**
 * The /api/v2/delete body. 2.x deletes `start <= time <= stop` (both inclusive), so the
 * exclusive end becomes one nanosecond before it.
 */
export function v2DeleteBody(user: string, span: DeleteSpan): V2DeleteBody {
  checkSpan(span);
  const start = new Date(span.start * 1000).toISOString().replace('.000Z', 'Z');
  const stop = new Date((span.end - 1) * 1000).toISOString().replace('.000Z', '.999999999Z');
  const clauses = [`_measurement=${quoteIdent(span.measurement)}`, ...tagPairs(user, span).map(([k, v]) => `${quoteIdent(k)}=${quoteIdent(v)}`)];
  return { start, stop, predicate: clauses.join(' AND ') };
}
