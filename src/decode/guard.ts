// The decoder's last check before points leave it (docs/metrics.md "Ranges", "Windows"): every
// point must pass the schema's checkPoint and lie inside its day's window. The parts check their
// inputs first and give the precise warning; this pass makes the guarantee hold whatever slipped
// through: a bad field is left out, a point outside its window or without a valid field is dropped,
// each with a warning naming the day and `measurement.field`, once per field and problem per day.
import { checkPoint } from '../schema/check.js';
import type { MeasurementName } from '../schema/measurements.js';
import type { Point } from '../schema/point.js';
import type { DayFrame } from './context.js';
import { isoOf } from './time.js';

const SLEEP: ReadonlySet<string> = new Set(['sleep_daily', 'sleep_stage']);

/** The window [start, end) a point of `measurement` of this day must lie in (epoch seconds). */
export function windowOf(f: DayFrame, measurement: MeasurementName): { start: number; end: number } {
  return SLEEP.has(measurement) ? f.sleepWindow : f.window;
}

interface Tally {
  code: string;
  count: number;
  example: string;
}

/** `points` without what breaks the schema or its window; warnings for what was removed. */
export function guardPoints(f: DayFrame, points: readonly Point[]): Point[] {
  const tallies = new Map<string, Tally>();
  const note = (key: string, code: string, example: string): void => {
    const t = tallies.get(`${code}|${key}`);
    if (t) t.count++;
    else tallies.set(`${code}|${key}`, { code, count: 1, example });
  };
  const out: Point[] = [];
  for (const p of points) {
    const problems = checkPoint(p);
    let point = p;
    if (problems.length > 0) {
      const fatal = problems.find((x) => x.where !== 'field');
      if (fatal) {
        note(`${p.measurement}.${fatal.key}`, fatal.where === 'time' ? 'POINT_OUTSIDE_WINDOW' : 'POINT_INVALID', fatal.message);
        continue;
      }
      const fields = { ...p.fields };
      for (const x of problems) {
        delete fields[x.key];
        note(`${p.measurement}.${x.key}`, x.kind === 'range' ? 'VALUE_OUT_OF_RANGE' : 'VALUE_INVALID', x.message);
      }
      if (Object.keys(fields).length === 0) continue; // its warnings are noted above
      point = { ...p, fields };
    }
    const w = windowOf(f, p.measurement);
    if (p.time < w.start || p.time >= w.end) {
      note(`${p.measurement}.time`, 'POINT_OUTSIDE_WINDOW', `${p.measurement} at ${isoOf(p.time)} is outside ${isoOf(w.start)} – ${isoOf(w.end)}`);
      continue;
    }
    out.push(point);
  }
  for (const [key, t] of tallies) {
    const field = key.slice(t.code.length + 1);
    const what = t.code === 'POINT_OUTSIDE_WINDOW' || t.code === 'POINT_INVALID' ? 'point(s) dropped' : 'value(s) left out';
    f.ctx.warn(t.code, `${field}: ${t.count} ${what}, e.g. ${t.example}`);
  }
  return out;
}
