// Serialises points to InfluxDB line protocol (precision: seconds) using the declared
// field types, so an integer field is always written with the `i` suffix and a float
// never is. A value that does not fit its declared type is a programming error: throw.
import { MEASUREMENTS, type FieldSpec } from './measurements.js';
import type { Point } from './point.js';

const escKey = (s: string): string => s.replace(/[,= \\]/g, (c) => `\\${c}`);
const escMeasurement = (s: string): string => s.replace(/[, \\]/g, (c) => `\\${c}`);
const escString = (s: string): string => s.replace(/["\\]/g, (c) => `\\${c}`);

export class SchemaViolationError extends Error {
  readonly code = 'SCHEMA_VIOLATION';
}

function formatField(measurement: string, key: string, spec: FieldSpec | undefined, value: unknown): string {
  if (!spec) throw new SchemaViolationError(`${measurement}.${key} is not declared in src/schema/measurements.ts`);
  switch (spec.type) {
    case 'integer':
      if (typeof value !== 'number' || !Number.isSafeInteger(value))
        throw new SchemaViolationError(`${measurement}.${key} must be an integer, got ${String(value)}`);
      return `${value}i`;
    case 'float':
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw new SchemaViolationError(`${measurement}.${key} must be a finite number, got ${String(value)}`);
      return Number.isInteger(value) ? `${value}.0` : String(value);
    case 'string':
      if (typeof value !== 'string') throw new SchemaViolationError(`${measurement}.${key} must be a string`);
      return `"${escString(value)}"`;
    case 'boolean':
      if (typeof value !== 'boolean') throw new SchemaViolationError(`${measurement}.${key} must be a boolean`);
      return value ? 'true' : 'false';
  }
}

/** One point → one line (no trailing newline). Tags and fields are sorted by key. */
export function toLine(p: Point): string {
  const spec = MEASUREMENTS[p.measurement];
  if (!spec) throw new SchemaViolationError(`unknown measurement ${String(p.measurement)}`);
  const tagKeys = Object.keys(p.tags).sort();
  let line = escMeasurement(p.measurement);
  for (const k of tagKeys) {
    if (!(k in spec.tags)) throw new SchemaViolationError(`${p.measurement} has no tag ${k}`);
    const v = p.tags[k];
    if (v === undefined || v === '') continue;
    line += `,${escKey(k)}=${escKey(v)}`;
  }
  const fields = Object.keys(p.fields)
    .sort()
    .map((k) => `${escKey(k)}=${formatField(p.measurement, k, (spec.fields as Record<string, FieldSpec>)[k], p.fields[k])}`);
  if (fields.length === 0) throw new SchemaViolationError(`${p.measurement} point at ${p.time} has no fields`);
  if (!Number.isSafeInteger(p.time)) throw new SchemaViolationError(`${p.measurement} time must be integer epoch seconds`);
  return `${line} ${fields.join(',')} ${p.time}`;
}

export function toLines(points: readonly Point[]): string {
  return points.map(toLine).join('\n');
}
