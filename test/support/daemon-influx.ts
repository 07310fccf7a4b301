// InfluxDB look-ups of the daemon tests: which local days hold points per measurement.
import { DateTime } from 'luxon';
import { influxQuery, rows } from './influxd.js';

/** The days (YYYY-MM-DD in `zone`) from `from` on that have at least one point of `measurement` for `user`. */
export async function daysWithData(url: string, db: string, measurement: string, field: string, user: string, from: string, zone = 'UTC'): Promise<string[]> {
  return Object.keys(await countsPerDay(url, db, measurement, field, user, from, zone)).sort();
}

/** Every date from `from` to `to` inclusive. */
export function dateRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = DateTime.fromISO(from, { zone: 'UTC' }); d.toISODate()! <= to; d = d.plus({ days: 1 })) out.push(d.toISODate()!);
  return out;
}

/** Points of `measurement` per local day for `user` (only days with points). */
export async function countsPerDay(url: string, db: string, measurement: string, field: string, user: string, from: string, zone = 'UTC'): Promise<Record<string, number>> {
  const start = DateTime.fromISO(from, { zone }).toUTC().toISO();
  const q = `SELECT count("${field}") FROM "${measurement}" WHERE "user"='${user}' AND time >= '${start}' AND time < now() + 2d GROUP BY time(1d) tz('${zone}')`;
  const out: Record<string, number> = {};
  for (const r of rows(await influxQuery(url, q, db))) if (Number(r.count) > 0) out[DateTime.fromSeconds(Number(r.time), { zone }).toISODate()!] = Number(r.count);
  return out;
}
