// Minute records → activity_hourly: one point per local wall-clock hour of the record date, so
// dashboards get a true hour-of-day axis (InfluxQL 1.x has no date functions to derive one).
// Same minute rule as activity_minute (minutes.ts, docs/metrics.md "Daylight saving time"):
// index i is wall-clock minute i, so its hour is ⌊i / 60⌋. The spring-forward hour has no
// instants and so no point; the repeated fall-back hour is already folded into its first
// occurrence by that rule, so it yields one point, at the first occurrence.
import type { Point } from '../schema/point.js';
import type { DayFrame } from './context.js';

const HOURS = 24;
const MINUTES_PER_HOUR = 60;

/** The `hour` tag value of a wall-clock hour 0–23: "00"…"23". */
export const hourTag = (hour: number): string => String(hour).padStart(2, '0');

/**
 * Hourly sums of the day's minute data. `times[i]` is the instant of wall-clock minute i
 * (undefined when it does not exist); `steps[i]` the minute's steps, undefined when the minute
 * carries no data (does not exist, or the not-yet-synced filler); `bpm[i]` a valid heart-rate
 * reading (sentinels already removed) or undefined. An hour without any data minute gives no
 * point; a synced hour with 0 steps is real and gives steps 0. The point's time is the first
 * existing instant of the hour (its start, or later when a DST switch skips its beginning).
 */
export function hourlyPoints(
  f: DayFrame,
  times: readonly (number | undefined)[],
  steps: readonly (number | undefined)[],
  bpm: readonly (number | undefined)[] = [],
): Point[] {
  const points: Point[] = [];
  for (let h = 0; h < HOURS; h++) {
    let start: number | undefined;
    let total = 0;
    let active = 0;
    let dataMinutes = 0;
    let hrSum = 0;
    let hrCount = 0;
    for (let i = h * MINUTES_PER_HOUR; i < (h + 1) * MINUTES_PER_HOUR; i++) {
      if (start === undefined) start = times[i];
      const s = steps[i];
      if (s !== undefined) {
        dataMinutes++;
        total += s;
        if (s > 0) active++;
      }
      const b = bpm[i];
      if (b !== undefined) {
        hrSum += b;
        hrCount++;
      }
    }
    if (dataMinutes === 0 || start === undefined) continue;
    const fields: Record<string, number> = { steps: total, active_min: active };
    // Absent, not 0, when the hour has no valid reading (docs/metrics.md "General rules": absent means absent).
    if (hrCount > 0) fields.hr_avg_bpm = Math.round(hrSum / hrCount);
    points.push({ measurement: 'activity_hourly', tags: { user: f.ctx.user, hour: hourTag(h) }, fields, time: start });
  }
  return points;
}
