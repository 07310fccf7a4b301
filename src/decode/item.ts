// One band_data item → its parts: activity, sleep blocks (kept apart so decodeResponse can
// de-duplicate nights seen in two records), and minute data.
import type { Zone } from 'luxon';
import type { Point } from '../schema/point.js';
import type { DaySpan, DecodeOptions, DecodeWarning, DecodedDay } from './types.js';
import { DayContext, type DayFrame } from './context.js';
import { ItemSchema, decodeSummary, readInt, readSection, type Obj } from './input.js';
import { decodeActivity } from './activity.js';
import { decodeSleep } from './sleep.js';
import type { SleepBlock } from './sleep-block.js';
import { decodeActivityMinutes, decodeHeartRate } from './minutes.js';
import { dayWindow, fixedZone, ianaZone, offsetAt, parseLocalDate, standardOffset } from './time.js';

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

/** Decode one item into parts; never throws on bad input (every problem is a warning). */
export function decodeItemParts(item: unknown, opts: DecodeOptions): ItemParts {
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
    ctx.warn(label ? 'DATE_INVALID' : 'MISSING_KEY', label ? `date_time "${label}" is not a YYYY-MM-DD date; item skipped` : 'date_time is missing; item skipped');
    return parts;
  }
  const summary = decodeSummary(ctx, raw);
  const zone = resolveZone(ctx, opts.timeZone, summary);
  const f: DayFrame = { ctx, date, zone, window: dayWindow(date, zone) };
  if (summary) {
    checkTz(f, summary, opts.timeZone);
    const stp = readSection(ctx, summary, 'stp');
    if (stp) {
      const a = decodeActivity(f, summary, stp);
      parts.head.push(...a.points);
      parts.spans.push(...a.spans);
    }
    const slp = readSection(ctx, summary, 'slp');
    if (slp) parts.sleeps = decodeSleep(f, slp);
  }
  // Summary items carry no blobs: only a present blob owns (and so clears) its span.
  // data_hr first: its valid readings feed activity_hourly.hr_avg_bpm.
  const present = (v: unknown): boolean => v !== undefined && v !== null;
  const hr = present(raw.data_hr) ? decodeHeartRate(f, raw.data_hr) : undefined;
  const act = present(raw.data) ? decodeActivityMinutes(f, raw.data, hr?.bpm) : undefined;
  for (const m of [hr, act]) {
    if (!m) continue;
    parts.tail.push(...m.points);
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

/** The summary `tz`: a string of signed seconds; undefined when absent or not that. */
function recordTz(f: { ctx: DayContext }, summary: Obj | undefined): number | undefined {
  if (!summary || summary.tz === undefined) return undefined;
  const tz = readInt(f.ctx, summary, 'tz', 'tz');
  return tz !== undefined && Math.abs(tz) <= MAX_OFFSET_S ? tz : undefined;
}

// The record's `tz` only as a last resort, when the configured zone is unusable (docs/huami-api.md "The tz field").
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
