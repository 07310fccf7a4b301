// Detail blobs → minute points (and the hourly sums of hourly.ts). Index i = local wall-clock
// minute i of the record date (docs/huami-api.md "Minute blobs"); minutes that do not exist on a spring-forward day
// are skipped, a repeated fall-back minute maps to its first occurrence (docs/metrics.md
// "Daylight saving time").
import type { Point } from '../schema/point.js';
import type { DaySpan } from './types.js';
import type { DayFrame } from './context.js';
import { decodeBase64 } from './input.js';
import { hourlyPoints } from './hourly.js';
import { dayMinuteInstants } from './time.js';
import { BPM_RANGE as BPM } from '../schema/measurements.js';
import { rangeText } from '../schema/check.js';


const MINUTES = 1440;
/** 0 invalid, 254 no data / after the last sync, 255 no measurement in that minute. */
export const HR_SENTINELS: ReadonlySet<number> = new Set([0, 254, 255]);
/** Raw kind 0x7E with intensity 0 and steps 0 fills the minutes after the last band sync. */
export const NOT_SYNCED_KIND = 0x7e;

type MinutePoints = { points: Point[]; spans: DaySpan[] };
/** decodeHeartRate's result plus each minute's valid reading (undefined: sentinel or no such minute). */
export type HeartRateMinutes = MinutePoints & { bpm: (number | undefined)[] };

const minuteInstants = (f: DayFrame, count: number): readonly (number | undefined)[] => dayMinuteInstants(f.date, f.zone, count);

/**
 * `data_hr` (1 byte per minute) → heart_rate points, none for sentinels and for values outside
 * the possible heart rates (BPM_RANGE, one warning per day); span = the whole day when the blob decodes.
 */
export function decodeHeartRate(f: DayFrame, blob: unknown): HeartRateMinutes {
  const bytes = decodeBase64(f.ctx, blob, 'data_hr');
  if (!bytes) return { points: [], spans: [], bpm: [] };
  if (bytes.length === 0) return { points: [], spans: [], bpm: [] };
  if (bytes.length !== MINUTES) {
    f.ctx.warn('HR_LENGTH', `data_hr has ${bytes.length} bytes, expected ${MINUTES}; ${bytes.length > MINUTES ? 'bytes after minute 1439 ignored' : 'minutes after the end have no reading'}`);
  }
  const count = Math.min(bytes.length, MINUTES);
  const times = minuteInstants(f, count);
  const points: Point[] = [];
  const tags = { user: f.ctx.user }; // shared by the day's minute points (never mutated downstream)
  const readings: (number | undefined)[] = new Array<number | undefined>(count).fill(undefined);
  let outside = 0;
  let example = '';
  for (let i = 0; i < count; i++) {
    const bpm = bytes[i] as number;
    const time = times[i];
    if (HR_SENTINELS.has(bpm) || time === undefined) continue;
    if (bpm < BPM.min || bpm > BPM.max) {
      // Not a heart rate a person can have: not a reading, and not in hr_avg_bpm either.
      if (outside++ === 0) example = `minute ${i}: ${bpm}`;
      continue;
    }
    readings[i] = bpm;
    points.push({ measurement: 'heart_rate', tags, fields: { bpm }, time });
  }
  if (outside > 0) {
    f.ctx.warn('VALUE_OUT_OF_RANGE', `data_hr: ${outside} minute(s) hold a value outside the possible ${rangeText(BPM)} bpm (heart_rate.bpm), e.g. ${example}; those readings left out`);
  }
  return { points, spans: [{ measurement: 'heart_rate', start: f.window.start, end: f.window.end }], bpm: readings };
}

/**
 * `data` → activity_minute points, then activity_hourly points (hourly.ts; `bpm` = the day's
 * valid heart-rate readings by minute, for `hr_avg_bpm`), when records are 3 bytes per minute
 * ([raw_kind, intensity, steps]). Any other width is reported once and not guessed (the
 * 8-byte layout is unknown). Zero-step minutes are real and kept, not-worn minutes too (kind 3);
 * only the not-yet-synced filler (0x7E, 0, 0) is skipped.
 */
export function decodeActivityMinutes(f: DayFrame, blob: unknown, bpm: readonly (number | undefined)[] = []): MinutePoints {
  const bytes = decodeBase64(f.ctx, blob, 'data');
  if (!bytes || bytes.length === 0) return { points: [], spans: [] };
  const width = bytes.length / MINUTES;
  if (width !== 3) {
    const w = Number.isInteger(width) ? `${width} bytes per minute` : `not a whole number of bytes per minute`;
    f.ctx.warn('DATA_WIDTH', `data has ${bytes.length} bytes (${w}); only 3-byte minute records are decoded (the 8-byte layout is unknown), so no activity_minute or activity_hourly points`);
    return { points: [], spans: [] };
  }
  const times = minuteInstants(f, MINUTES);
  const points: Point[] = [];
  const tags = { user: f.ctx.user }; // shared by the day's minute points (never mutated downstream)
  const stepsByMinute: (number | undefined)[] = new Array<number | undefined>(MINUTES).fill(undefined);
  for (let i = 0; i < MINUTES; i++) {
    const raw = bytes[3 * i] as number;
    const intensity = bytes[3 * i + 1] as number;
    const steps = bytes[3 * i + 2] as number;
    const time = times[i];
    if (time === undefined) continue;
    if (raw === NOT_SYNCED_KIND && intensity === 0 && steps === 0) continue;
    stepsByMinute[i] = steps;
    points.push({ measurement: 'activity_minute', tags, fields: { steps, intensity, kind: raw & 0x0f, raw_kind: raw }, time });
  }
  points.push(...hourlyPoints(f, times, stepsByMinute, bpm));
  const { start, end } = f.window;
  return {
    points,
    spans: [
      { measurement: 'activity_minute', start, end },
      { measurement: 'activity_hourly', start, end },
    ],
  };
}
