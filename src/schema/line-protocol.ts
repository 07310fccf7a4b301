// Serialises points to InfluxDB line protocol (precision: seconds) using the declared
// field types, so an integer field is always written with the `i` suffix and a float
// never is. A value that does not fit its declared type is a programming error: throw.
//
// Hot path of every write (millions of points in a backfill), hence two caches that do not
// change the output: a "shape" per measurement and key order (sorted keys, their escaped
// form, their specs — checked once), and escaped tag values. Escaping runs a regex only
// when a cheap test says a character needs it.
import { MEASUREMENTS, type FieldSpec, type MeasurementSpec } from './measurements.js';
import type { Point } from './point.js';

const KEY_SPECIAL = /[,= \\]/;
const escKey = (s: string): string => (KEY_SPECIAL.test(s) ? s.replace(/[,= \\]/g, (c) => `\\${c}`) : s);
const escMeasurement = (s: string): string => s.replace(/[, \\]/g, (c) => `\\${c}`);
const STRING_SPECIAL = /["\\]/;
const escString = (s: string): string => (STRING_SPECIAL.test(s) ? s.replace(/["\\]/g, (c) => `\\${c}`) : s);

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

/** Keys of one object in the order Object.keys gave them, and what serialising needs of them. */
interface KeyShape {
  raw: readonly string[];
  sorted: readonly string[];
  /** `<escaped key>=` per sorted key. */
  prefix: readonly string[];
  /** Field specs per sorted key (fields only; undefined = undeclared, formatField throws). */
  specs: readonly (FieldSpec | undefined)[];
}

interface MeasurementCache {
  escaped: string;
  tags: KeyShape[];
  fields: KeyShape[];
}

/** Shapes kept per measurement and kind; points of one measurement come in very few shapes. */
const MAX_SHAPES = 32;
/** Distinct tag values kept escaped (users, kinds, phases, hours: a few dozen in practice). */
const MAX_VALUES = 4096;
const caches = new Map<string, MeasurementCache>();
const escapedValues = new Map<string, string>();

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The shape of `raw` (found or built); tag shapes are only built when every key is declared. */
function shapeOf(list: KeyShape[], raw: string[], measurement: string, spec: MeasurementSpec, kind: 'tags' | 'fields'): KeyShape {
  for (const s of list) if (sameKeys(s.raw, raw)) return s;
  const sorted = [...raw].sort();
  if (kind === 'tags') {
    // Same check and order as a plain loop over the sorted keys: the first undeclared one throws.
    for (const k of sorted) if (!(k in spec.tags)) throw new SchemaViolationError(`${measurement} has no tag ${k}`);
  }
  const fieldSpecs = spec.fields as Record<string, FieldSpec>;
  const shape: KeyShape = {
    raw,
    sorted,
    prefix: sorted.map((k) => `${escKey(k)}=`),
    specs: kind === 'fields' ? sorted.map((k) => fieldSpecs[k]) : [],
  };
  if (list.length < MAX_SHAPES) list.push(shape);
  return shape;
}

function tagValue(v: string): string {
  let e = escapedValues.get(v);
  if (e === undefined) {
    e = escKey(v);
    if (escapedValues.size < MAX_VALUES) escapedValues.set(v, e);
  }
  return e;
}

function cacheFor(measurement: string): MeasurementCache {
  let c = caches.get(measurement);
  if (!c) {
    c = { escaped: escMeasurement(measurement), tags: [], fields: [] };
    caches.set(measurement, c);
  }
  return c;
}

/** One point → one line (no trailing newline). Tags and fields are sorted by key. */
export function toLine(p: Point): string {
  const spec = MEASUREMENTS[p.measurement];
  if (!spec) throw new SchemaViolationError(`unknown measurement ${String(p.measurement)}`);
  const c = cacheFor(p.measurement);
  const tags = shapeOf(c.tags, Object.keys(p.tags), p.measurement, spec, 'tags');
  let line = c.escaped;
  for (let i = 0; i < tags.sorted.length; i++) {
    const v = p.tags[tags.sorted[i]!];
    if (v === undefined || v === '') continue;
    line += `,${tags.prefix[i]!}${tagValue(v)}`;
  }
  const fields = shapeOf(c.fields, Object.keys(p.fields), p.measurement, spec, 'fields');
  let set = '';
  for (let i = 0; i < fields.sorted.length; i++) {
    const k = fields.sorted[i]!;
    const value = formatField(p.measurement, k, fields.specs[i], p.fields[k]);
    set += i === 0 ? `${fields.prefix[i]!}${value}` : `,${fields.prefix[i]!}${value}`;
  }
  if (fields.sorted.length === 0) throw new SchemaViolationError(`${p.measurement} point at ${p.time} has no fields`);
  if (!Number.isSafeInteger(p.time)) throw new SchemaViolationError(`${p.measurement} time must be integer epoch seconds`);
  return `${line} ${set} ${p.time}`;
}

/** Points → lines joined by '\n' (no trailing newline). */
export function toLines(points: readonly Point[]): string {
  return points.map(toLine).join('\n');
}
