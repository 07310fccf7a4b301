// What the workout and weigh-in decoders share (docs/metrics.md "Workouts and weigh-ins"):
// numbers that come as numbers or numeric strings, the "no value" markers, the local date an
// instant belongs to, and the last schema check before points leave the decoder.
import { checkPoint } from '../../schema/check.js';
import { EPOCH_RANGE } from '../../schema/measurements.js';
import type { Point } from '../../schema/point.js';
import { ianaZone, localDateOf } from '../time.js';
import type { DecodeWarning } from '../types.js';

/** "No value" markers of workout history and detail fields (docs/huami-api.md "Workouts"). */
export const NO_VALUE_MARKERS: ReadonlySet<number> = new Set([-1, -20000, -361, -100, -274, -2_000_000]);
/** The detail streams' sentinel. */
export const STREAM_NO_VALUE = -2_000_000;

/** A finite number from a number or a numeric string ("756.0"); undefined otherwise. */
export function numberOf(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** A value that is present: a number that is not one of the "no value" markers. */
export function valueOf(v: unknown): number | undefined {
  const n = numberOf(v);
  return n === undefined || NO_VALUE_MARKERS.has(n) ? undefined : n;
}

/** An epoch-seconds instant the schema accepts, else undefined. */
export function epochSeconds(v: unknown): number | undefined {
  const n = numberOf(v);
  return n !== undefined && Number.isSafeInteger(n) && n >= EPOCH_RANGE.min && n <= EPOCH_RANGE.max ? n : undefined;
}

/** YYYY-MM-DD of an instant in the account zone ('' when the zone is unknown). */
export function localDay(instant: number, timeZone: string): string {
  const zone = ianaZone(timeZone);
  if (!zone) return '';
  const d = localDateOf(instant, zone);
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/** Warnings of one workout or weigh-in. */
export class Sink {
  readonly warnings: DecodeWarning[] = [];
  day = '';
  warn(code: string, message: string): void {
    this.warnings.push({ day: this.day, code, message });
  }
}

/** Points without the fields the schema refuses (one warning per field and problem), without empty or mistimed points. */
export function keepValid(points: readonly Point[], sink: Sink): Point[] {
  const counts = new Map<string, { n: number; example: string; code: string }>();
  const out: Point[] = [];
  for (const p of points) {
    const problems = checkPoint(p);
    if (problems.length === 0) {
      out.push(p);
      continue;
    }
    const fatal = problems.find((x) => x.where !== 'field');
    const fields = { ...p.fields };
    for (const x of fatal ? [fatal] : problems) {
      if (!fatal) delete fields[x.key];
      const code = fatal ? 'POINT_INVALID' : x.kind === 'range' ? 'VALUE_OUT_OF_RANGE' : 'VALUE_INVALID';
      const key = `${code}|${p.measurement}.${x.key}`;
      const c = counts.get(key);
      if (c) c.n++;
      else counts.set(key, { n: 1, example: x.message, code });
    }
    if (!fatal && Object.keys(fields).length > 0) out.push({ ...p, fields });
  }
  for (const [key, c] of counts) sink.warn(c.code, `${key.slice(c.code.length + 1)}: ${c.n} ${c.code === 'POINT_INVALID' ? 'point(s) dropped' : 'value(s) left out'}, e.g. ${c.example}`);
  return out;
}
