// Lenient readers for health-event items (docs/huami-api.md "Health events"): version-1 items
// carry numbers as strings (sometimes with spaces, sometimes empty) and nested JSON as strings.
// Every reader is total: a bad value is left out with a warning naming the item field, never
// guessed; an empty string or null is "no value" and is left out silently (docs/metrics.md
// "Health events").
import type { MeasurementName } from '../../schema/measurements.js';
import { EPOCH_RANGE } from '../../schema/measurements.js';
import type { DayContext } from '../context.js';
import { isObject, limits, show, type Obj } from '../input.js';
import { isoOf } from '../time.js';

export { isObject, show, type Obj };

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** A number from a number or a decimal string (spaces trimmed); 'absent' for '', null, undefined; 'invalid' otherwise. */
export function toNumber(v: unknown): number | 'absent' | 'invalid' {
  if (v === undefined || v === null) return 'absent';
  if (typeof v === 'number') return Number.isFinite(v) ? v : 'invalid';
  if (typeof v === 'string') {
    const t = v.trim();
    if (t === '') return 'absent';
    if (!DECIMAL.test(t)) return 'invalid';
    const n = Number(t);
    return Number.isFinite(n) ? n : 'invalid';
  }
  return 'invalid';
}

export interface NumberOptions {
  /** Values the service sends for "no value" (255, 32767, −1): left out with a warning SENTINEL. */
  sentinels?: readonly number[];
  /** Multiply before the range check (e.g. 0.01 for hundredths of a degree). */
  scale?: number;
  integer?: boolean;
}

/**
 * The value at obj[key] for `measurement.field`: a number inside the field's declared range, or
 * undefined (absent silently; invalid, a sentinel or out of range with a warning naming `path`).
 */
export function readValue(ctx: DayContext, obj: Obj, key: string, path: string, measurement: MeasurementName, field: string, opts: NumberOptions = {}): number | undefined {
  const n = toNumber(obj[key]);
  if (n === 'absent') return undefined;
  if (n === 'invalid') {
    ctx.warn('FIELD_INVALID', `${path} is ${show(obj[key])}, expected a number; ${measurement}.${field} left out`);
    return undefined;
  }
  if (opts.sentinels?.includes(n)) {
    ctx.warn('SENTINEL', `${path} is ${n}, the service's "no value" marker; ${measurement}.${field} left out`);
    return undefined;
  }
  if (opts.integer && !Number.isSafeInteger(n)) {
    ctx.warn('FIELD_INVALID', `${path} is ${show(obj[key])}, expected a whole number; ${measurement}.${field} left out`);
    return undefined;
  }
  const value = opts.scale === undefined ? n : Math.round(n * opts.scale * 1e6) / 1e6;
  const { range, unit } = limits(measurement, field);
  if (range && (value < range.min || value > range.max)) {
    ctx.warn('VALUE_OUT_OF_RANGE', `${path} is ${show(obj[key])}, outside the possible ${range.min}–${range.max}${unit ? ` ${unit}` : ''} of ${measurement}.${field}; left out`);
    return undefined;
  }
  return value;
}

/** readValue for an integer field. */
export function readInteger(ctx: DayContext, obj: Obj, key: string, path: string, measurement: MeasurementName, field: string, sentinels?: readonly number[]): number | undefined {
  return readValue(ctx, obj, key, path, measurement, field, { integer: true, ...(sentinels ? { sentinels } : {}) });
}

/**
 * An instant in epoch MILLISECONDS at obj[key] (events send milliseconds), as epoch seconds with
 * the fraction kept; undefined with a warning when absent (if `required`), invalid or outside
 * 2000–2099 (a value in seconds lands here too: INSTANT_SECONDS, not guessed).
 */
export function readMs(ctx: DayContext, obj: Obj, key: string, path: string, required: boolean): number | undefined {
  const n = toNumber(obj[key]);
  if (n === 'absent') {
    if (required) ctx.warn('MISSING_KEY', `${path} is missing`);
    return undefined;
  }
  if (n === 'invalid' || !Number.isInteger(n)) {
    ctx.warn('FIELD_INVALID', `${path} is ${show(obj[key])}, expected epoch milliseconds`);
    return undefined;
  }
  const s = n / 1000;
  if (s >= EPOCH_RANGE.min && s <= EPOCH_RANGE.max) return s;
  if (n >= EPOCH_RANGE.min && n <= EPOCH_RANGE.max) {
    ctx.warn('INSTANT_SECONDS', `${path} is ${n}, which reads as epoch seconds (${isoOf(n)}); events send milliseconds, so the value is ignored`);
  } else {
    ctx.warn('VALUE_OUT_OF_RANGE', `${path} is ${n}, outside the epoch milliseconds of 2000–2099; ignored`);
  }
  return undefined;
}

/** A nested value that arrives as a JSON string (or, tolerated, already parsed); undefined with a warning when it does not parse. */
export function readJson(ctx: DayContext, obj: Obj, key: string, path: string): unknown {
  const v = obj[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    ctx.warn('BAD_JSON', `${path} is not valid JSON (${v.length} characters); skipped`);
    return undefined;
  }
}
