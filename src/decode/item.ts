// One band_data item → its parts: activity, sleep blocks (kept apart so decodeResponse can
// de-duplicate nights seen in two records), and minute data.
import type { Zone } from 'luxon';
import type { Point } from '../schema/point.js';
import type { DaySpan, DecodeOptions, DecodeWarning, DecodedDay } from './types.js';
import { DayContext, type DayFrame } from './context.js';
import { ItemSchema, decodeSummary, isObject, readInt, readSection, show, type Obj } from './input.js';
import { guardPoints } from './guard.js';
import { decodeActivity } from './activity.js';
import { decodeSleep } from './sleep.js';
import type { SleepBlock } from './sleep-block.js';
import { decodeActivityMinutes, decodeHeartRate } from './minutes.js';
import { dayWindow, fixedZone, ianaZone, offsetAt, parseLocalDate, sleepWindow, standardOffset } from './time.js';

/** A decoded item before assembly; `sleeps` may be filtered (de-duplicated) by the caller. */
export interface ItemParts {
  date: string;
  uid?: string;
  head: Point[];
  sleeps: SleepBlock[];
  tail: Point[];
  spans: DaySpan[];
  warnings: DecodeWarning[];
}

const MAX_OFFSET_S = 14 * 3600;

/**
 * Decode one item into parts. Total: never throws, whatever `item` is. Every problem is a
 * warning; an unexpected exception (a bug) becomes DECODE_FAILED and the item gives nothing.
 */
export function decodeItemParts(item: unknown, opts: DecodeOptions): ItemParts {
  try {
    return decodeParts(item, opts);
  } catch (err) {
    const date = labelOf(item);
    const message = err instanceof Error ? err.message : show(err);
    return { date, head: [], sleeps: [], tail: [], spans: [], warnings: [{ day: date, code: 'DECODE_FAILED', message: `the decoder failed on this item (${message}); no points for this day` }] };
  }
}

/** The item's date label for a warning, without trusting anything about the item. */
function labelOf(item: unknown): string {
  try {
    if (!isObject(item)) return '';
    const v = typeof item.date_time === 'string' ? item.date_time : item.date;
    return typeof v === 'string' ? v : '';
  } catch {
    return '';
  }
}

const FIRST_YEAR = 2000, LAST_YEAR = 2099; // EPOCH_RANGE in src/schema/measurements.ts

function decodeParts(item: unknown, opts: DecodeOptions): ItemParts {
  const parsed = ItemSchema.safeParse(item);
  if (!parsed.success) {
    const ctx = new DayContext('', opts.user);
    ctx.warn('ITEM_INVALID', `a band_data item is not an object with string keys (${describe(item)}); skipped`);
    return { date: '', head: [], sleeps: [], tail: [], spans: [], warnings: ctx.warnings };
  }
  const raw = parsed.data;
  const label = typeof raw.date_time === 'string' ? raw.date_time : typeof raw.date === 'string' ? raw.date : '';
  const ctx = new DayContext(label, opts.user || raw.uid || '');
  const parts: ItemParts = { date: label, head: [], sleeps: [], tail: [], spans: [], warnings: ctx.warnings };
  if (raw.uid !== undefined) parts.uid = raw.uid;
  const date = parseLocalDate(label);
  if (!date) {
    ctx.warn(label ? 'DATE_INVALID' : 'MISSING_KEY', label ? `date_time ${show(label)} is not a YYYY-MM-DD date; item skipped` : 'date_time is missing; item skipped');
    return parts;
  }
  if (date.year < FIRST_YEAR || date.year > LAST_YEAR) {
    ctx.warn('DATE_INVALID', `date_time ${label} is outside ${FIRST_YEAR}–${LAST_YEAR}, the years points can carry; item skipped`);
    return parts;
  }
  const summary = decodeSummary(ctx, raw);
  const zone = resolveZone(ctx, opts.timeZone, summary);
  const f: DayFrame = { ctx, date, zone, window: dayWindow(date, zone), sleepWindow: sleepWindow(date, zone) };
  if (summary) {
    checkTz(f, summary, opts.timeZone);
    const stp = readSection(ctx, summary, 'stp');
    if (stp) {
      const a = decodeActivity(f, summary, stp);
      parts.head.push(...guardPoints(f, a.points));
      parts.spans.push(...a.spans);
    }
    const slp = readSection(ctx, summary, 'slp');
    if (slp) parts.sleeps = decodeSleep(f, slp).map((b) => ({ ...b, points: guardPoints(f, b.points) }));
  }
  // Summary items carry no blobs: only a present blob owns (and so clears) its span.
  // data_hr first: its valid readings feed activity_hourly.hr_avg_bpm.
  const present = (v: unknown): boolean => v !== undefined && v !== null;
  const hr = present(raw.data_hr) ? decodeHeartRate(f, raw.data_hr) : undefined;
  const act = present(raw.data) ? decodeActivityMinutes(f, raw.data, hr?.bpm) : undefined;
  for (const m of [hr, act]) {
    if (!m) continue;
    parts.tail.push(...guardPoints(f, m.points));
    parts.spans.push(...m.spans);
  }
  return parts;
}

/** Parts → DecodedDay, keeping only the sleep blocks `keep` accepts. */
export function assemble(parts: ItemParts, keep: (b: SleepBlock) => boolean = () => true): DecodedDay {
  const sleeps = parts.sleeps.filter(keep);
  return {
    date: parts.date,
    points: [...parts.head, ...sleeps.flatMap((b) => b.points), ...parts.tail],
    spans: [...parts.spans, ...sleeps.flatMap((b) => b.spans)],
    warnings: parts.warnings,
  };
}

/**
 * The summary's `tz`: a string of signed seconds; undefined when absent or unusable. Whether some
 * app versions send milliseconds is open, so a whole number of seconds times 1000 is converted,
 * with a warning TZ_MS; anything else beyond ±14 h is ignored (docs/metrics.md "Seconds, not
 * milliseconds").
 */
function recordTz(f: { ctx: DayContext }, summary: Obj | undefined): number | undefined {
  if (!summary || summary.tz === undefined) return undefined;
  const tz = readInt(f.ctx, summary, 'tz', 'tz');
  if (tz === undefined) return undefined;
  if (Math.abs(tz) <= MAX_OFFSET_S) return tz;
  if (tz % 1000 === 0 && Math.abs(tz / 1000) <= MAX_OFFSET_S) {
    f.ctx.warn('TZ_MS', `tz is ${tz}, which reads as milliseconds; taken as ${tz / 1000} s`);
    return tz / 1000;
  }
  f.ctx.warn('VALUE_OUT_OF_RANGE', `tz is ${tz} s, beyond the ±${MAX_OFFSET_S} s of any zone; ignored`);
  return undefined;
}

// rule 3 of docs/huami-api.md "Sleep anchor": the record's `tz` only as a last resort, when the configured zone is unusable.
function resolveZone(ctx: DayContext, name: string, summary: Obj | undefined): Zone {
  const zone = ianaZone(name);
  if (zone) return zone;
  const tz = recordTz({ ctx }, summary);
  if (tz !== undefined) {
    ctx.warn('TZ_FALLBACK', `"${name}" is not an IANA time zone; using the record's tz offset ${tz} s for every minute (no DST)`);
    return fixedZone(tz);
  }
  ctx.warn('TZ_FALLBACK', `"${name}" is not an IANA time zone and the record has no usable tz; using UTC`);
  return fixedZone(0);
}

// A `tz` equal to the offset in force or to the standard offset is expected (some app
// versions send the standard offset all summer). Anything else means the band was elsewhere.
function checkTz(f: DayFrame, summary: Obj, zoneName: string): void {
  if (!ianaZone(zoneName)) return;
  const tz = recordTz(f, summary);
  if (tz === undefined) return;
  const actual = offsetAt(f.window.start, f.zone);
  if (tz !== actual && tz !== standardOffset(f.date, f.zone)) {
    f.ctx.warn('TZ_MISMATCH', `the record's tz is ${tz} s but ${zoneName} is at ${actual} s that day; times follow ${zoneName} (travel or a wrong TIMEZONE?)`);
  }
}

function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}
