// Boundary validation of one band_data item and its decoded summary, with zod.
// Remote names are kept here (`stp`, `ttl`, `st`); decode/ translates them. Each value is
// checked on its own, so one bad key costs that key (and a warning), not the whole day.
import { z } from 'zod';
import type { DayContext } from './context.js';

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

/**
 * An integer at obj[key]; undefined when absent (no warning unless `required`) or invalid
 * (warning FIELD_INVALID naming the path and the value).
 */
export function readInt(ctx: DayContext, obj: Obj, key: string, path: string, required = false): number | undefined {
  const v = obj[key];
  if (v === undefined || v === null) {
    if (required) ctx.warn('MISSING_KEY', `${path} is missing`);
    return undefined;
  }
  const r = integer.safeParse(v);
  if (!r.success) {
    ctx.warn('FIELD_INVALID', `${path} is ${JSON.stringify(v)}, expected an integer; field left out`);
    return undefined;
  }
  return r.data;
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
