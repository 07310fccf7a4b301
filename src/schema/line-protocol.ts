// Serialises points to InfluxDB line protocol (precision: seconds) using the declared
// field types, so an integer field is always written with the `i` suffix and a float
// never is. A value that does not fit its declared type is a programming error: throw.
//
// Hot path of every write (millions of points in a backfill), hence two caches that do not
// change the output: a "shape" per measurement and key order (sorted keys, their escaped
// form, their specs — checked once), and escaped tag values, both kept as UTF-8 bytes; a
// line is written byte by byte into a reused buffer (encodeLines), so serialising makes
// next to no garbage. Escaping runs a regex only when a cheap test says a character needs it.
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

/** Throws unless `value` fits the declared field; the checks of every field written. */
function checkValue(measurement: string, key: string, spec: FieldSpec | undefined, value: unknown): asserts spec is FieldSpec {
  if (!spec) throw new SchemaViolationError(`${measurement}.${key} is not declared in src/schema/measurements.ts`);
  switch (spec.type) {
    case 'integer':
      if (typeof value !== 'number' || !Number.isSafeInteger(value))
        throw new SchemaViolationError(`${measurement}.${key} must be an integer, got ${String(value)}`);
      return;
    case 'float':
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw new SchemaViolationError(`${measurement}.${key} must be a finite number, got ${String(value)}`);
      return;
    case 'string':
      if (typeof value !== 'string') throw new SchemaViolationError(`${measurement}.${key} must be a string`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') throw new SchemaViolationError(`${measurement}.${key} must be a boolean`);
      return;
  }
}

/** Keys of one object in the order Object.keys gave them, and what serialising needs of them. */
interface KeyShape {
  raw: readonly string[];
  sorted: readonly string[];
  /** UTF-8 of `<escaped key>=` per sorted key. */
  prefix: readonly Uint8Array[];
  /** Field specs per sorted key (fields only; undefined = undeclared, checkValue throws). */
  specs: readonly (FieldSpec | undefined)[];
}

interface MeasurementCache {
  /** UTF-8 of the escaped measurement name. */
  escaped: Uint8Array;
  tags: KeyShape[];
  fields: KeyShape[];
}

/** Shapes kept per measurement and kind; points of one measurement come in very few shapes. */
const MAX_SHAPES = 32;
/** Distinct tag values kept escaped (users, kinds, phases, hours: a few dozen in practice). */
const MAX_VALUES = 4096;
const caches = new Map<string, MeasurementCache>();
const escapedValues = new Map<string, Uint8Array>();
/**
 * UTF-8 of a string in its own small allocation. Not `Buffer.from`: a short Buffer is a slice of
 * a shared pool (Buffer.poolSize, 64 KiB on Node 24), so a cached slice keeps its whole pool
 * alive; with a tag value per workout (`track`), 4,096 cached values pinned ~28 MB outside the
 * heap in a 10-year backfill.
 */
const encoder = new TextEncoder();
const utf8 = (s: string): Uint8Array => encoder.encode(s);

/** Whether `obj`'s own keys, in for-in order, are `raw` (no array is made for the check). */
function hasKeys(obj: object, raw: readonly string[]): boolean {
  let i = 0;
  for (const k in obj) if (raw[i++] !== k) return false;
  return i === raw.length;
}

/** The shape of `obj`'s keys (found or built); tag shapes are only built when every key is declared. */
function shapeOf(list: KeyShape[], obj: object, measurement: string, spec: MeasurementSpec, kind: 'tags' | 'fields'): KeyShape {
  for (const s of list) if (hasKeys(obj, s.raw)) return s;
  const raw = Object.keys(obj);
  const sorted = [...raw].sort();
  if (kind === 'tags') {
    // Same check and order as a plain loop over the sorted keys: the first undeclared one throws.
    for (const k of sorted) if (!(k in spec.tags)) throw new SchemaViolationError(`${measurement} has no tag ${k}`);
  }
  const fieldSpecs = spec.fields as Record<string, FieldSpec>;
  const shape: KeyShape = {
    raw,
    sorted,
    prefix: sorted.map((k) => utf8(`${escKey(k)}=`)),
    specs: kind === 'fields' ? sorted.map((k) => fieldSpecs[k]) : [],
  };
  if (list.length < MAX_SHAPES) list.push(shape);
  return shape;
}

/** A tag value's escaped UTF-8, cached (exported for the test that it owns its memory). */
export function tagValue(v: unknown): Uint8Array {
  const s = typeof v === 'string' ? v : String(v);
  let e = escapedValues.get(s);
  if (e === undefined) {
    e = utf8(escKey(s));
    if (escapedValues.size < MAX_VALUES) escapedValues.set(s, e);
  }
  return e;
}

function cacheFor(measurement: string): MeasurementCache {
  let c = caches.get(measurement);
  if (!c) {
    c = { escaped: utf8(escMeasurement(measurement)), tags: [], fields: [] };
    caches.set(measurement, c);
  }
  return c;
}

const COMMA = 0x2c, SPACE = 0x20, NEWLINE = 0x0a, QUOTE = 0x22, MINUS = 0x2d, ZERO = 0x30, I = 0x69;
/** The encoder's buffer is kept between calls up to this size (a 5,000-line batch is ~0.5 MB). */
const KEEP_BYTES = 2 ** 21;

/**
 * The bytes of the lines being encoded: written in place (digits included), so that encoding
 * makes no string per line or per value, only for a non-integer float (String(value)) and a
 * string field. One per process; encodeLines is synchronous and copies out what it wrote.
 */
class ByteSink {
  buf = Buffer.allocUnsafeSlow(64 * 1024);
  pos = 0;

  /** Room for `n` more bytes. */
  room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  byte(b: number): void {
    this.room(1);
    this.buf[this.pos++] = b;
  }

  bytes(b: Uint8Array): void {
    const n = b.length;
    this.room(n);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) buf[p++] = b[i]!;
    this.pos = p;
  }

  /** A string of ASCII characters only (the text of a number). */
  ascii(s: string): void {
    const n = s.length;
    this.room(n);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) buf[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  text(s: string): void {
    this.room(s.length * 3);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  /** A safe integer in decimal, as String(n) writes it (-0 as 0). */
  int(n: number): void {
    if (n < 0) {
      this.byte(MINUS);
      n = -n;
    }
    // Int32 arithmetic up to 2^31 (epoch seconds until 2038, every count); String() beyond.
    if (n > 0x7fffffff) return this.ascii(String(n));
    let v = n | 0;
    let digits = 1;
    for (let t = v; t >= 10; t = (t / 10) | 0) digits++;
    this.room(digits);
    const buf = this.buf;
    let p = this.pos + digits;
    this.pos = p;
    do {
      const q = (v / 10) | 0;
      buf[--p] = ZERO + v - q * 10;
      v = q;
    } while (v > 0);
  }

  /** The bytes written since `from`, copied out; the buffer is reused from there. */
  take(from: number): Buffer {
    const out = Buffer.allocUnsafeSlow(this.pos - from);
    this.buf.copy(out, 0, from, this.pos);
    this.pos = from;
    if (from === 0 && this.buf.length > KEEP_BYTES) this.buf = Buffer.allocUnsafeSlow(64 * 1024);
    return out;
  }
}

const sink = new ByteSink();

/** One field value, checked against its declared type, in its line-protocol form. */
function writeValue(measurement: string, key: string, spec: FieldSpec | undefined, value: unknown): void {
  checkValue(measurement, key, spec, value);
  const v = value as number | string | boolean;
  switch (spec.type) {
    case 'integer':
      sink.int(v as number);
      sink.byte(I);
      return;
    case 'float':
      // An integral float keeps a `.0`: InfluxDB would read `3` as an integer field.
      if (Number.isSafeInteger(v)) {
        sink.int(v as number);
        sink.ascii('.0');
      } else sink.ascii(Number.isInteger(v) ? `${v as number}.0` : String(v));
      return;
    case 'string':
      sink.byte(QUOTE);
      sink.text(escString(v as string));
      sink.byte(QUOTE);
      return;
    case 'boolean':
      sink.ascii(v ? 'true' : 'false');
      return;
  }
}

/** One point → its line and a newline, into the sink. Tags and fields are sorted by key. */
function writeLine(p: Point): void {
  const spec = MEASUREMENTS[p.measurement];
  if (!spec) throw new SchemaViolationError(`unknown measurement ${String(p.measurement)}`);
  const c = cacheFor(p.measurement);
  const tags = shapeOf(c.tags, p.tags, p.measurement, spec, 'tags');
  sink.bytes(c.escaped);
  for (let i = 0; i < tags.sorted.length; i++) {
    const v = p.tags[tags.sorted[i]!];
    if (v === undefined || v === '') continue;
    sink.byte(COMMA);
    sink.bytes(tags.prefix[i]!);
    sink.bytes(tagValue(v));
  }
  const fields = shapeOf(c.fields, p.fields, p.measurement, spec, 'fields');
  sink.byte(SPACE);
  for (let i = 0; i < fields.sorted.length; i++) {
    const k = fields.sorted[i]!;
    if (i > 0) sink.byte(COMMA);
    sink.bytes(fields.prefix[i]!);
    writeValue(p.measurement, k, fields.specs[i], p.fields[k]);
  }
  if (fields.sorted.length === 0) throw new SchemaViolationError(`${p.measurement} point at ${p.time} has no fields`);
  if (!Number.isSafeInteger(p.time)) throw new SchemaViolationError(`${p.measurement} time must be integer epoch seconds`);
  sink.byte(SPACE);
  sink.int(p.time);
  sink.byte(NEWLINE);
}

/**
 * Points[from, to) → their lines as UTF-8, each line ending in '\n' (the bytes of
 * `toLines(points) + '\n'`). Throws SchemaViolationError on the first point that breaks the
 * schema. The writer and the sync keep lines in this form: one flat buffer outside the V8
 * heap instead of a point object or a string per line, which the garbage collector would
 * trace while a group of days waits for its write.
 */
export function encodeLines(points: readonly Point[], from = 0, to = points.length): Buffer {
  sink.pos = 0;
  const end = Math.min(to, points.length);
  for (let i = from; i < end; i++) writeLine(points[i]!);
  return sink.take(0);
}

/**
 * Like encodeLines, but `use` gets the bytes in the encoder's own buffer, valid only during
 * the call (to copy them where they go without a buffer of their own in between).
 */
export function withEncodedLines<T>(points: readonly Point[], from: number, to: number, use: (bytes: Buffer) => T): T {
  sink.pos = 0;
  const end = Math.min(to, points.length);
  for (let i = from; i < end; i++) writeLine(points[i]!);
  return use(sink.buf.subarray(0, sink.pos));
}

/** One point → one line (no trailing newline). */
export function toLine(p: Point): string {
  sink.pos = 0;
  writeLine(p);
  return sink.buf.toString('utf8', 0, sink.pos - 1);
}

/** Points → lines joined by '\n' (no trailing newline). */
export function toLines(points: readonly Point[]): string {
  const bytes = encodeLines(points);
  return bytes.toString('utf8', 0, Math.max(0, bytes.length - 1));
}
