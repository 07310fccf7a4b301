// Boundary validation of one band_data item and its decoded summary, with zod.
// Remote names are kept here (`stp`, `ttl`, `st`); decode/ translates them. Each value is
// checked on its own, so one bad key costs that key (and a warning), not the whole day.
import { z } from 'zod';
import type { DayContext } from './context.js';
import { EPOCH_RANGE, type FieldRange, type MeasurementName } from '../schema/measurements.js';
import { fieldSpec, rangeText } from '../schema/check.js';
import { isoOf } from './time.js';

// Numbers sometimes arrive as strings; accept a plain decimal string, nothing looser.
const NUMERIC_STRING = /^-?\d+(\.\d+)?$/;
const numeric = z.preprocess(
  (v) => (typeof v === 'string' && NUMERIC_STRING.test(v.trim()) ? Number(v.trim()) : v),
  z.number().finite(),
);
const integer = numeric.pipe(z.number().int());

/** The item keys the decoder reads; the `date`/`sum` variants tolerated (docs/huami-api.md "Response envelope"). */
export const ItemSchema = z
  .object({
    uid: z.union([z.string(), z.number()]).transform(String).optional(),
    date_time: z.string().optional(),
    date: z.string().optional(),
    summary: z.unknown().optional(),
    sum: z.unknown().optional(),
    data: z.unknown().optional(),
    data_hr: z.unknown().optional(),
  })
  .loose();
export type RawItem = z.infer<typeof ItemSchema>;

export type Obj = Record<string, unknown>;

export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A value for a warning message: short, and never a throw (BigInt, cycles, huge strings). */
export function show(v: unknown): string {
  let text: string | undefined;
  try {
    text = typeof v === 'bigint' ? `${v}n` : JSON.stringify(v);
  } catch {
    text = undefined;
  }
  if (text === undefined) text = typeof v;
  if (typeof v === 'number' && !Number.isFinite(v)) text = String(v); // JSON would say null
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export interface ReadIntOptions {
  /** Warn MISSING_KEY when absent. */
  required?: boolean;
  /** Physical range of the field the value feeds (src/schema/measurements.ts); outside: left out. */
  range?: FieldRange;
  unit?: string;
}

/** readInt options for a value that feeds `measurement.field`: its declared range and unit. */
export function limits(measurement: MeasurementName, field: string): ReadIntOptions {
  const spec = fieldSpec(measurement, field);
  return spec?.range ? { range: spec.range, ...(spec.unit ? { unit: spec.unit } : {}) } : {};
}

/**
 * An integer at obj[key]; undefined when absent (no warning unless `required`), invalid (warning
 * FIELD_INVALID naming the path and the value) or outside `range` (warning VALUE_OUT_OF_RANGE).
 */
export function readInt(ctx: DayContext, obj: Obj, key: string, path: string, opts: ReadIntOptions = {}): number | undefined {
  const v = obj[key];
  if (v === undefined || v === null) {
    if (opts.required) ctx.warn('MISSING_KEY', `${path} is missing`);
    return undefined;
  }
  if (typeof v === 'number' && Number.isSafeInteger(v)) return inRange(ctx, path, v, opts) ? v : undefined; // the common case, without zod
  const r = integer.safeParse(v);
  if (!r.success) {
    ctx.warn('FIELD_INVALID', `${path} is ${show(v)}, expected an integer; field left out`);
    return undefined;
  }
  return inRange(ctx, path, r.data, opts) ? r.data : undefined;
}

/** Whether `value` lies in opts.range (true without one); a warning VALUE_OUT_OF_RANGE when not. */
export function inRange(ctx: DayContext, path: string, value: number, opts: ReadIntOptions): boolean {
  const { range } = opts;
  if (!range || (value >= range.min && value <= range.max)) return true;
  ctx.warn('VALUE_OUT_OF_RANGE', `${path} is ${value}, outside the possible ${rangeText(range)}${opts.unit ? ` ${opts.unit}` : ''}; left out`);
  return false;
}

/** Above this an epoch value is taken for milliseconds: as seconds it would be after the year 5138. */
export const MS_THRESHOLD = 1e11;

/**
 * Epoch seconds at obj[key] (the API sends seconds: `slp.st`, `slp.ed`, `sync`); undefined with a
 * warning when invalid, outside EPOCH_RANGE, or plausibly milliseconds (INSTANT_MS: the value is
 * not guessed into seconds, docs/metrics.md "Seconds, not milliseconds").
 */
export function readInstant(ctx: DayContext, obj: Obj, key: string, path: string, required = false): number | undefined {
  const v = readInt(ctx, obj, key, path, { required });
  return v === undefined ? undefined : checkInstant(ctx, path, v);
}

/** readInstant's check of an integer already read: `v`, or undefined with a warning. */
export function checkInstant(ctx: DayContext, path: string, v: number): number | undefined {
  if (Math.abs(v) > MS_THRESHOLD && v / 1000 >= EPOCH_RANGE.min && v / 1000 <= EPOCH_RANGE.max) {
    ctx.warn('INSTANT_MS', `${path} is ${v}, which reads as milliseconds (${isoOf(v / 1000)}); the API sends epoch seconds, so the value is ignored`);
    return undefined;
  }
  if (v < EPOCH_RANGE.min || v > EPOCH_RANGE.max) {
    ctx.warn('VALUE_OUT_OF_RANGE', `${path} is ${v} (${isoOf(v)}), outside the epoch seconds of 2000–2099; ignored`);
    return undefined;
  }
  return v;
}

// Standard base64 (what the API sends); padding may be missing. Buffer.from() alone would
// silently skip invalid characters and return garbage, so check the alphabet first.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Strict base64 → bytes; undefined (and a warning) when `s` is not base64. */
export function decodeBase64(ctx: DayContext, s: unknown, path: string): Uint8Array | undefined {
  if (typeof s !== 'string') {
    ctx.warn('FIELD_INVALID', `${path} is ${typeof s}, expected a base64 string; skipped`);
    return undefined;
  }
  const clean = s.replace(/\s+/g, '');
  if (!BASE64.test(clean) || clean.length % 4 === 1) {
    ctx.warn('BAD_BASE64', `${path} is not valid base64 (${clean.length} characters); skipped`);
    return undefined;
  }
  return new Uint8Array(Buffer.from(clean, 'base64'));
}

/** The item's `summary` (or `sum`) decoded to a JSON object; undefined with a warning otherwise. */
export function decodeSummary(ctx: DayContext, item: RawItem): Obj | undefined {
  const key = item.summary !== undefined ? 'summary' : item.sum !== undefined ? 'sum' : undefined;
  if (!key) {
    ctx.warn('MISSING_KEY', 'summary is missing; no activity or sleep points for this day');
    return undefined;
  }
  const raw = item[key];
  // Tolerated, never emitted: a summary that is already JSON rather than base64.
  if (isObject(raw)) return raw;
  const bytes = decodeBase64(ctx, raw, key);
  if (!bytes) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    ctx.warn('BAD_JSON', `${key} is base64 but not valid UTF-8 JSON (${bytes.length} bytes); no activity or sleep points for this day`);
    return undefined;
  }
  if (!isObject(json)) {
    ctx.warn('BAD_JSON', `${key} decodes to ${Array.isArray(json) ? 'an array' : typeof json}, expected an object`);
    return undefined;
  }
  return json;
}

/** A sub-object such as `stp` or `slp`; undefined (and a warning when present but wrong) otherwise. */
export function readSection(ctx: DayContext, summary: Obj, key: string): Obj | undefined {
  const v = summary[key];
  if (v === undefined || v === null) {
    ctx.warn('MISSING_KEY', `summary.${key} is missing`);
    return undefined;
  }
  if (!isObject(v)) {
    ctx.warn('FIELD_INVALID', `summary.${key} is ${Array.isArray(v) ? 'an array' : typeof v}, expected an object`);
    return undefined;
  }
  return v;
}
