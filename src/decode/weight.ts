// Pure weigh-in decoder (docs/metrics.md `weigh_in`, "Workouts and weigh-ins"): one
// `weightRecords` item → one point at `generatedTime` tagged with the member. Records of
// `weightType` 0, 1 and 7 are weigh-ins; type 3 carries broken values and is skipped with a
// warning, as is any other type. A body-composition value ≤ 0 means "not measured" (no field).
// BMI is the record's own; without one it is weight / height², the height from the record or,
// for the owner, the profile (`heightCm`). Total: never throws.
import type { Point } from '../schema/point.js';
import type { DaySpan, DecodeWarning } from './types.js';
import { epochSeconds, keepValid, localDay, numberOf, Sink } from './workouts/common.js';

export interface WeighInOptions {
  timeZone: string;
  user: string;
  /** The owner's height from the profile (`/users/{uid}` `height`), cm. */
  heightCm?: number;
}

export interface DecodedWeighIn {
  date: string;
  points: Point[];
  spans: DaySpan[];
  warnings: DecodeWarning[];
}

export const VALID_WEIGHT_TYPES: ReadonlySet<number> = new Set([0, 1, 7]);

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function summaryOf(v: unknown): Record<string, unknown> | undefined {
  if (isObj(v)) return v;
  if (typeof v !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(v);
    return isObj(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The member tag: `owner` for memberId -1. */
export function memberTag(memberId: unknown): string {
  const s = typeof memberId === 'number' || typeof memberId === 'string' ? String(memberId).trim() : '';
  return s === '' || s === '-1' ? 'owner' : s;
}

/** One weightRecords item → its point, span and warnings; never throws. */
export function decodeWeighIn(record: unknown, opts: WeighInOptions): DecodedWeighIn {
  const sink = new Sink();
  const none = (): DecodedWeighIn => ({ date: sink.day, points: [], spans: [], warnings: sink.warnings });
  if (!isObj(record)) {
    sink.warn('WEIGHIN_INVALID', 'weight record is not an object');
    return none();
  }
  const t = epochSeconds(record.generatedTime);
  if (t === undefined) {
    sink.warn('WEIGHIN_INVALID', `generatedTime ${JSON.stringify(record.generatedTime)?.slice(0, 40)} is not epoch seconds of 2000–2099`);
    return none();
  }
  sink.day = localDay(t, opts.timeZone);
  const type = numberOf(record.weightType);
  if (type === 3) {
    sink.warn('WEIGHIN_BROKEN', `weigh-in at ${new Date(t * 1000).toISOString()}: weightType 3 carries broken values, skipped`);
    return none();
  }
  if (type === undefined || !VALID_WEIGHT_TYPES.has(type)) {
    sink.warn('WEIGHIN_UNKNOWN_TYPE', `weigh-in at ${new Date(t * 1000).toISOString()}: weightType ${JSON.stringify(record.weightType)?.slice(0, 20)} is not a known weigh-in (0, 1, 7), skipped`);
    return none();
  }
  const s = summaryOf(record.summary);
  const get = (k: string) => {
    const v = numberOf(s?.[k]);
    return v !== undefined && v > 0 ? v : undefined;
  };
  const weight = get('weight');
  if (weight === undefined) {
    sink.warn('WEIGHIN_INVALID', `weigh-in at ${new Date(t * 1000).toISOString()}: no weight in summary, skipped`);
    return none();
  }
  const member = memberTag(record.memberId);
  const fields: Record<string, number> = { weight_kg: weight, weight_type: type };
  const height = get('height') ?? (member === 'owner' && opts.heightCm !== undefined && opts.heightCm > 0 ? opts.heightCm : undefined);
  const bmi = get('bmi') ?? (height !== undefined ? Math.round((weight / (height / 100) ** 2) * 10) / 10 : undefined);
  if (bmi !== undefined) fields.bmi = bmi;
  const map: [string, string, boolean][] = [
    ['fat_pct', 'fatRate', false], ['water_pct', 'bodyWaterRate', false], ['muscle_kg', 'muscleRate', false], ['bone_kg', 'boneMass', false],
    ['protein_pct', 'proteinRatio', false], ['visceral_fat', 'visceralFat', false], ['metabolism_kcal', 'metabolism', false],
    ['body_score', 'bodyScore', true], ['impedance_ohm', 'impedance', true],
  ];
  for (const [key, src, integer] of map) {
    const v = get(src);
    if (v !== undefined) fields[key] = integer ? Math.round(v) : v;
  }
  const point: Point = { measurement: 'weigh_in', tags: { user: opts.user, member }, fields, time: t };
  return { date: sink.day, points: keepValid([point], sink), spans: [{ measurement: 'weigh_in', start: t, end: t + 1, tags: { member } }], warnings: sink.warnings };
}
