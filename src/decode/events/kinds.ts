// The item shapes of the health events (docs/huami-api.md "Health events"), each turned into
// points of one local day (docs/metrics.md "Health events"). Every function is total and
// pure: it reads through src/decode/events/read.ts and reports problems on `ctx`.
import type { Zone } from 'luxon';
import type { MeasurementName } from '../../schema/measurements.js';
import type { Point } from '../../schema/point.js';
import type { DayContext } from '../context.js';
import { isObject, readInteger, readJson, readMs, readValue, show, toNumber, type Obj } from './read.js';
import { localDateOf, offsetAt, ianaZone, type LocalDate } from '../time.js';

/** What one item gives: the instant that decides its date, its points, the measurements it owns. */
export interface KindResult {
  /** Epoch seconds that decide the owning local date; undefined = the item cannot be placed. */
  owner: number | undefined;
  /** Daily points get their time (local midnight of the owning date) later: `time` is NaN here. */
  points: Point[];
  owns: MeasurementName[];
  /** Larger wins when two items of one kind fall on one date (readiness: `timestampUpdate`). */
  rank: number;
}

/** Marks a point whose time is the owning date's local midnight (filled in by the caller). */
export const DAY_TIME = Number.NaN;

const READINESS_SENTINELS = [255, 32767, -1] as const;

/** all_day_stress: the day summary and the samples of `data` (a JSON string of {time: ms, value}). */
export function decodeStress(ctx: DayContext, item: Obj, user: string): KindResult {
  const owner = readMs(ctx, item, 'timestamp', 'timestamp', true);
  const m = 'stress_daily';
  const fields: Record<string, number> = {};
  const put = (key: string, field: string) => {
    const v = readInteger(ctx, item, key, key, m, field);
    if (v !== undefined) fields[field] = v;
  };
  put('avgStress', 'stress_avg');
  put('minStress', 'stress_min');
  put('maxStress', 'stress_max');
  put('relaxProportion', 'relaxed_pct');
  put('normalProportion', 'normal_pct');
  put('mediumProportion', 'medium_pct');
  put('highProportion', 'high_pct');
  const points: Point[] = [];
  const owns: MeasurementName[] = [];
  const data = readJson(ctx, item, 'data', 'data');
  if (data !== undefined && !Array.isArray(data)) ctx.warn('FIELD_INVALID', `data is ${show(data)}, expected an array of {time, value}; no stress samples`);
  if (Array.isArray(data)) {
    owns.push('stress_sample');
    let n = 0;
    data.forEach((s: unknown, i) => {
      if (!isObject(s)) {
        ctx.warn('FIELD_INVALID', `data[${i}] is ${show(s)}, expected {time, value}; skipped`);
        return;
      }
      const t = readMs(ctx, s, 'time', `data[${i}].time`, true);
      const v = readInteger(ctx, s, 'value', `data[${i}].value`, 'stress_sample', 'stress');
      if (t === undefined || v === undefined) return;
      points.push({ measurement: 'stress_sample', tags: { user }, fields: { stress: v }, time: Math.floor(t) });
      n++;
    });
    fields.samples = n;
  }
  if (Object.keys(fields).length > 0) {
    points.unshift({ measurement: m, tags: { user }, fields, time: DAY_TIME });
    owns.unshift(m);
  }
  return { owner, points, owns, rank: 0 };
}

const PAI_FLOATS: [string, string][] = [['dailyPai', 'pai'], ['totalPai', 'total_pai'], ['lowZonePai', 'low_zone_pai'], ['mediumZonePai', 'medium_zone_pai'], ['highZonePai', 'high_zone_pai']];
const PAI_INTS: [string, string][] = [
  ['lowZoneMinutes', 'low_zone_min'], ['mediumZoneMinutes', 'medium_zone_min'], ['highZoneMinutes', 'high_zone_min'],
  ['lowZoneLowerLimit', 'low_zone_lower_bpm'], ['mediumZoneLowerLimit', 'medium_zone_lower_bpm'], ['highZoneLowerLimit', 'high_zone_lower_bpm'],
  ['restHr', 'resting_hr_bpm'], ['maxHr', 'max_hr_bpm'],
];

/** PaiHealthInfo: one day's PAI; its `timeZone` counts quarter-hours and is only cross-checked. */
export function decodePai(ctx: DayContext, item: Obj, user: string, zone: Zone): KindResult {
  const owner = readMs(ctx, item, 'timestamp', 'timestamp', true);
  const m = 'pai_daily';
  const fields: Record<string, number> = {};
  for (const [key, field] of PAI_FLOATS) {
    const v = readValue(ctx, item, key, key, m, field);
    if (v !== undefined) fields[field] = v;
  }
  for (const [key, field] of PAI_INTS) {
    const v = readInteger(ctx, item, key, key, m, field);
    if (v !== undefined) fields[field] = v;
  }
  if (owner !== undefined) checkZone(ctx, item.timeZone, 'timeZone', owner, zone);
  const points: Point[] = Object.keys(fields).length > 0 ? [{ measurement: m, tags: { user }, fields, time: DAY_TIME }] : [];
  return { owner, points, owns: points.length > 0 ? [m] : [], rank: 0 };
}

/** blood_oxygen/click: a spot check; `extra` (a JSON string) holds `spo2` and `spo2History`. */
export function decodeClick(ctx: DayContext, item: Obj, user: string, zone: Zone): KindResult {
  const owner = readMs(ctx, item, 'timestamp', 'timestamp', true);
  const extra = readJson(ctx, item, 'extra', 'extra');
  const points: Point[] = [];
  if (owner === undefined) return { owner, points, owns: [], rank: 0 };
  checkZone(ctx, item.timezone, 'timezone', owner, zone);
  if (!isObject(extra)) {
    ctx.warn(extra === undefined ? 'MISSING_KEY' : 'FIELD_INVALID', `extra is ${show(item.extra)}, expected a JSON object; no SpO₂ reading`);
    return { owner, points, owns: [], rank: 0 };
  }
  const time = Math.floor(owner);
  const fields: Record<string, number> = {};
  const spo2 = readInteger(ctx, extra, 'spo2', 'extra.spo2', 'blood_oxygen_spot', 'saturation_pct');
  if (spo2 !== undefined) fields.saturation_pct = spo2;
  const auto = extra.isAuto;
  if (typeof auto === 'boolean') fields.auto = auto ? 1 : 0;
  else if (auto !== undefined && auto !== null) {
    const a = toNumber(auto);
    if (a === 0 || a === 1) fields.auto = a;
    else if (a !== 'absent') ctx.warn('FIELD_INVALID', `extra.isAuto is ${show(auto)}, expected true or false; left out`);
  }
  const history = extra.spo2History;
  if (history !== undefined && !Array.isArray(history)) ctx.warn('FIELD_INVALID', `extra.spo2History is ${show(history)}, expected an array; no samples`);
  if (Array.isArray(history)) {
    // Trailing zeros are padding (the list has a fixed length); a zero inside is not a reading.
    let end = history.length;
    while (end > 0 && toNumber(history[end - 1]) === 0) end--;
    const samples: Point[] = [];
    for (let i = 0; i < end; i++) {
      const v = readInteger(ctx, { v: history[i] }, "v", `extra.spo2History[${i}]`, 'blood_oxygen_sample', 'saturation_pct');
      if (v !== undefined) samples.push({ measurement: 'blood_oxygen_sample', tags: { user }, fields: { saturation_pct: v }, time: time - (end - 1 - i) });
    }
    fields.history_samples = samples.length;
    points.push(...samples);
  }
  points.unshift({ measurement: 'blood_oxygen_spot', tags: { user }, fields, time });
  return { owner, points, owns: ['blood_oxygen_spot', 'blood_oxygen_sample'], rank: 0 };
}

/** blood_oxygen/osa_event: one desaturation at its instant; `extra.spo2_decrease` is the drop. */
export function decodeOsa(ctx: DayContext, item: Obj, user: string): KindResult {
  const owner = readMs(ctx, item, 'timestamp', 'timestamp', true);
  const extra = readJson(ctx, item, 'extra', 'extra');
  const src = isObject(extra) ? extra : item; // tolerated: the value at the top level
  const drop = readInteger(ctx, src, 'spo2_decrease', isObject(extra) ? 'extra.spo2_decrease' : 'spo2_decrease', 'blood_oxygen_desaturation', 'drop_pct');
  const points: Point[] = owner !== undefined && drop !== undefined ? [{ measurement: 'blood_oxygen_desaturation', tags: { user }, fields: { drop_pct: drop }, time: Math.floor(owner) }] : [];
  return { owner, points, owns: points.length > 0 ? ['blood_oxygen_desaturation'] : [], rank: 0 };
}

/** blood_oxygen/odi: the night's index, at the top level of the item (`extra` tolerated). */
export function decodeOdi(ctx: DayContext, item: Obj, user: string): KindResult {
  const owner = readMs(ctx, item, 'timestamp', 'timestamp', true);
  const extra = readJson(ctx, item, 'extra', 'extra');
  const src = item.odi === undefined && isObject(extra) ? extra : item;
  const m = 'blood_oxygen_odi';
  const fields: Record<string, number> = {};
  const odi = readValue(ctx, src, 'odi', 'odi', m, 'odi_per_h');
  // The service prints the truncated value as a binary double ("0.26000000000000001").
  if (odi !== undefined) fields.odi_per_h = Math.round(odi * 100) / 100;
  for (const [key, field] of [['odiNum', 'desaturations'], ['cost', 'sleep_s'], ['score', 'score'], ['valid', 'valid']] as const) {
    const v = readInteger(ctx, src, key, key, m, field);
    if (v !== undefined) fields[field] = v;
  }
  const points: Point[] = Object.keys(fields).length > 0 ? [{ measurement: m, tags: { user }, fields, time: DAY_TIME }] : [];
  return { owner, points, owns: points.length > 0 ? [m] : [], rank: 0 };
}

const READINESS_INTS: [string, string][] = [
  ['sleepHRV', 'sleep_hrv_ms'], ['sleepRHR', 'sleep_rhr_bpm'], ['rdnsScore', 'readiness_score'], ['hrvScore', 'hrv_score'],
  ['rhrScore', 'rhr_score'], ['skinTempScore', 'skin_temp_score'], ['phyScore', 'physical_score'], ['mentScore', 'mental_score'],
  ['ahiScore', 'ahi_score'], ['hrvBaseline', 'hrv_baseline_ms'], ['rhrBaseline', 'rhr_baseline_bpm'],
];

/**
 * readiness/watch_score in either shape: version 1 flat (strings), version 2 with the numbers
 * under `value` (outer `timestamp` = when computed, `value.timestamp` = local midnight of the
 * wake date). The owning date is the wake date; of two items for one night the later
 * `timestampUpdate` wins (the one the app shows).
 */
export function decodeReadiness(ctx: DayContext, item: Obj, user: string): KindResult {
  const nested = isObject(item.value);
  const v: Obj = nested ? (item.value as Obj) : item;
  const p = nested ? 'value.' : '';
  const day = readMs(ctx, v, 'timestamp', `${p}timestamp`, !nested);
  const updated = readMs(ctx, v, 'timestampUpdate', `${p}timestampUpdate`, false) ?? (nested ? readMs(ctx, item, 'timestamp', 'timestamp', false) : undefined);
  const owner = day ?? (nested ? updated : undefined);
  if (day === undefined && owner !== undefined) ctx.warn('MISSING_KEY', `${p}timestamp is missing; the night is filed under the local date of when it was computed`);
  const m = 'readiness';
  const fields: Record<string, number> = {};
  for (const [key, field] of READINESS_INTS) {
    const x = readInteger(ctx, v, key, `${p}${key}`, m, field, READINESS_SENTINELS);
    if (x !== undefined) fields[field] = x;
  }
  const skin = readValue(ctx, v, 'skinTempCalibrated', `${p}skinTempCalibrated`, m, 'skin_temp_delta_c', { integer: true, scale: 0.01, sentinels: [255, 32767] });
  if (skin !== undefined) fields.skin_temp_delta_c = skin;
  if (updated !== undefined) fields.computed_s = Math.floor(updated);
  const points: Point[] = Object.keys(fields).length > 0 ? [{ measurement: m, tags: { user }, fields, time: DAY_TIME }] : [];
  return { owner, points, owns: points.length > 0 ? [m] : [], rank: updated ?? -Infinity };
}

/**
 * Cross-check an item's own zone against the configured one at `instant` (TZ_MISMATCH):
 * PaiHealthInfo counts quarter-hours ("22" = +05:30), blood_oxygen names an IANA zone (also a
 * legacy alias such as Asia/Calcutta, or "1,Europe/Ljubljana"); offsets are compared, not names.
 */
export function checkZone(ctx: DayContext, raw: unknown, path: string, instant: number, zone: Zone): void {
  if (raw === undefined || raw === null || raw === '') return;
  const want = offsetAt(instant, zone);
  let got: number | undefined;
  const n = toNumber(raw);
  if (typeof n === 'number' && Number.isInteger(n) && Math.abs(n) <= 14 * 4) got = n * 900;
  else if (typeof raw === 'string') {
    const z = ianaZone(raw.replace(/^\d+,/, '').trim());
    if (z) got = offsetAt(instant, z);
  }
  if (got === undefined) return; // an unknown encoding: only a cross-check, nothing depends on it
  if (got !== want) ctx.warn('TZ_MISMATCH', `${path} is ${show(raw)} (UTC${fmt(got)}), but the configured zone is at UTC${fmt(want)} then (travel, or a wrong TIMEZONE?)`);
}

const fmt = (s: number): string => `${s < 0 ? '−' : '+'}${String(Math.floor(Math.abs(s) / 3600)).padStart(2, '0')}:${String(Math.floor((Math.abs(s) % 3600) / 60)).padStart(2, '0')}`;

/** YYYY-MM-DD of a local date. */
export function isoDate(d: LocalDate): string {
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/** The local date of an instant in the zone. */
export function ownerDate(instant: number, zone: Zone): LocalDate {
  return localDateOf(Math.floor(instant), zone);
}
