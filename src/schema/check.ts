// The point validator: what a point must satisfy to be written, derived from the declarations in
// measurements.ts (docs/metrics.md "Ranges"): a known measurement, declared tags with allowed
// values and a non-empty `user`, at least one field, every field of its declared type (integers
// safe, floats finite) and inside its physical range, and a time in integer epoch seconds inside
// EPOCH_RANGE. Pure; returns the problems instead of throwing, so a caller can drop exactly the
// offending field or point and say why.
import { EPOCH_RANGE, MEASUREMENTS, type FieldSpec, type MeasurementSpec, type TagSpec } from './measurements.js';
import type { Point } from './point.js';

/** Why a field value is not writable: wrong type / not a safe integer / not finite, or out of range. */
export type FieldProblemKind = 'type' | 'range' | 'undeclared';

export interface PointProblem {
  /** `field` (one field, `key` names it), `tag` (one tag), `time`, `measurement` or `fields` (none left). */
  where: 'field' | 'tag' | 'time' | 'measurement' | 'fields';
  key: string;
  kind?: FieldProblemKind;
  message: string;
}

const NO_PROBLEMS: readonly PointProblem[] = Object.freeze([]);

/** The spec of a declared field, or undefined. */
export function fieldSpec(measurement: string, key: string): FieldSpec | undefined {
  const m = (MEASUREMENTS as Record<string, MeasurementSpec>)[measurement];
  return m ? (m.fields as Record<string, FieldSpec | undefined>)[key] : undefined;
}

/** `min–max` of a range for messages. */
export const rangeText = (r: { min: number; max: number }): string => `${r.min}–${r.max}`;

const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v) : typeof v === 'number' || typeof v === 'boolean' ? String(v) : typeof v);

/** The problem with `value` as `measurement.key`, or undefined when it may be written. */
export function checkField(measurement: string, key: string, value: unknown): { kind: FieldProblemKind; message: string } | undefined {
  const spec = fieldSpec(measurement, key);
  if (!spec) return { kind: 'undeclared', message: `${measurement}.${key} is not declared in src/schema/measurements.ts` };
  switch (spec.type) {
    case 'integer':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) return { kind: 'type', message: `${measurement}.${key} must be a safe integer, got ${show(value)}` };
      break;
    case 'float':
      if (typeof value !== 'number' || !Number.isFinite(value)) return { kind: 'type', message: `${measurement}.${key} must be a finite number, got ${show(value)}` };
      break;
    case 'string':
      return typeof value === 'string' ? undefined : { kind: 'type', message: `${measurement}.${key} must be a string, got ${show(value)}` };
    case 'boolean':
      return typeof value === 'boolean' ? undefined : { kind: 'type', message: `${measurement}.${key} must be a boolean, got ${show(value)}` };
  }
  const r = spec.range;
  if (r && ((value as number) < r.min || (value as number) > r.max)) {
    return { kind: 'range', message: `${measurement}.${key} = ${String(value)} is outside ${rangeText(r)}${spec.unit ? ` ${spec.unit}` : ''}` };
  }
  return undefined;
}

/** The time problem of a point's timestamp, or undefined. */
export function checkTime(time: unknown): string | undefined {
  if (typeof time !== 'number' || !Number.isSafeInteger(time)) return `time must be integer epoch seconds, got ${show(time)}`;
  if (time < EPOCH_RANGE.min || time > EPOCH_RANGE.max) return `time ${time} is outside ${rangeText(EPOCH_RANGE)} (2000–2099)`;
  return undefined;
}

function checkTag(spec: MeasurementSpec, key: string, value: unknown): string | undefined {
  const t = (spec.tags as Record<string, TagSpec | undefined>)[key];
  if (!t) return `tag ${key} is not declared`;
  if (typeof value !== 'string') return `tag ${key} must be a string, got ${show(value)}`;
  if (key === 'user' && value === '') return 'tag user must not be empty';
  if (t.values && value !== '' && !t.values.includes(value)) return `tag ${key} = ${show(value)} is not one of ${t.values.join(', ')}`;
  return undefined;
}

/** Every problem of one point; an empty array when the point satisfies the schema. */
export function checkPoint(p: Point): readonly PointProblem[] {
  const spec = (MEASUREMENTS as Record<string, MeasurementSpec>)[p.measurement];
  if (!spec) return [{ where: 'measurement', key: String(p.measurement), message: `unknown measurement ${show(p.measurement)}` }];
  let out: PointProblem[] | undefined;
  const add = (x: PointProblem): void => {
    (out ??= []).push(x);
  };
  for (const key in p.tags) {
    const m = checkTag(spec, key, p.tags[key]);
    if (m) add({ where: 'tag', key, message: `${p.measurement}: ${m}` });
  }
  if (!('user' in p.tags)) add({ where: 'tag', key: 'user', message: `${p.measurement}: tag user is missing` });
  let fields = 0;
  for (const key in p.fields) {
    fields++;
    const f = checkField(p.measurement, key, p.fields[key]);
    if (f) add({ where: 'field', key, kind: f.kind, message: f.message });
  }
  if (fields === 0) add({ where: 'fields', key: '', message: `${p.measurement} point has no fields` });
  const t = checkTime(p.time);
  if (t) add({ where: 'time', key: 'time', message: `${p.measurement}: ${t}` });
  return out ?? NO_PROBLEMS;
}
