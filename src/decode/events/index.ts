// Pure decoder of the health events (docs/huami-api.md "Health events", docs/metrics.md
// "Health events"): the items of one eventType → points per local date, with the spans a
// re-sync deletes and warnings. No I/O, no clock, no host time zone; total: never throws.
import type { Zone } from 'luxon';
import { IANAZone } from 'luxon';
import type { MeasurementName } from '../../schema/measurements.js';
import type { Point } from '../../schema/point.js';
import { DayContext, type DayFrame } from '../context.js';
import { guardPoints } from '../guard.js';
import { dayWindow, ianaZone, parseLocalDate } from '../time.js';
import type { DaySpan, DecodeOptions, DecodeWarning, DecodedDay } from '../types.js';
import { DAY_TIME, decodeClick, decodeOdi, decodeOsa, decodePai, decodeReadiness, decodeStress, isoDate, ownerDate, type KindResult } from './kinds.js';
import { isObject, show, type Obj } from './read.js';

/** The event types mifit-sync decodes (the `eventType` query parameter). */
export const EVENT_TYPES = ['all_day_stress', 'PaiHealthInfo', 'blood_oxygen', 'readiness'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

type Kind = 'stress' | 'pai' | 'click' | 'osa' | 'odi' | 'readiness';
/** Kinds with one item per date: a second item for the same date replaces the first. */
const ONE_PER_DAY: ReadonlySet<Kind> = new Set(['stress', 'pai', 'odi', 'readiness']);

interface Part {
  date: string;
  kind: Kind;
  result: KindResult;
  warnings: DecodeWarning[];
  index: number;
}

/** The kind of an item: its own eventType/subType, else the requested eventType. */
function kindOf(item: Obj, eventType: string): Kind | string {
  const type = typeof item.eventType === 'string' && item.eventType ? item.eventType : eventType;
  const sub = typeof item.subType === 'string' ? item.subType : '';
  switch (type) {
    case 'all_day_stress': return 'stress';
    case 'PaiHealthInfo': return 'pai';
    case 'readiness': return sub === '' || sub === 'watch_score' ? 'readiness' : `readiness/${sub}`;
    case 'blood_oxygen': return sub === 'click' ? 'click' : sub === 'osa_event' ? 'osa' : sub === 'odi' ? 'odi' : `blood_oxygen/${sub}`;
    default: return sub ? `${type}/${sub}` : type;
  }
}

function decodeKind(kind: Kind, ctx: DayContext, item: Obj, user: string, zone: Zone): KindResult {
  switch (kind) {
    case 'stress': return decodeStress(ctx, item, user);
    case 'pai': return decodePai(ctx, item, user, zone);
    case 'click': return decodeClick(ctx, item, user, zone);
    case 'osa': return decodeOsa(ctx, item, user);
    case 'odi': return decodeOdi(ctx, item, user);
    case 'readiness': return decodeReadiness(ctx, item, user);
  }
}

const KINDS: ReadonlySet<string> = new Set<Kind>(['stress', 'pai', 'click', 'osa', 'odi', 'readiness']);

/** The items of an answer: a bare array, or `{items: [...], next}` (the v1 and v2 envelope). */
export function eventItems(body: unknown): { items: unknown[]; warnings: DecodeWarning[] } {
  if (Array.isArray(body)) return { items: Array.from(body), warnings: [] };
  if (isObject(body) && Array.isArray(body.items)) return { items: Array.from(body.items), warnings: [] };
  return { items: [], warnings: [{ day: '', code: 'RESPONSE_SHAPE', message: `the events answer is ${show(body)}, expected {"items": [...]}` }] };
}

function decodeOne(raw: unknown, index: number, eventType: string, zone: Zone, user: string): Part | DecodeWarning[] {
  const ctx = new DayContext('', user);
  if (!isObject(raw)) {
    ctx.warn('ITEM_INVALID', `event item ${index} is ${show(raw)}, expected an object; skipped`);
    return ctx.warnings;
  }
  const kind = kindOf(raw, eventType);
  if (!KINDS.has(kind)) {
    ctx.warn('EVENT_UNKNOWN', `event item ${index} is of type ${kind}, which mifit-sync does not decode; skipped`);
    return ctx.warnings;
  }
  const result = decodeKind(kind as Kind, ctx, raw, user, zone);
  if (result.owner === undefined) {
    ctx.warn('ITEM_INVALID', `event item ${index} (${kind}) has no usable timestamp, so no date owns it; skipped`);
    return ctx.warnings;
  }
  const date = isoDate(ownerDate(result.owner, zone));
  return { date, kind: kind as Kind, result, index, warnings: ctx.warnings.map((w) => ({ ...w, day: date })) };
}

/**
 * The items of one `eventType` (an array or the `{items, next}` answer; pages concatenated)
 * → one DecodedDay per local date in `timeZone`, sorted by date. Which date owns an item:
 * docs/metrics.md "Health events". Never throws.
 */
export function decodeEvents(eventType: string, items: unknown, opts: DecodeOptions): { days: DecodedDay[]; warnings: DecodeWarning[] } {
  const warnings: DecodeWarning[] = [];
  let zone: Zone | undefined;
  try {
    zone = ianaZone(opts.timeZone);
  } catch {
    zone = undefined;
  }
  if (!zone) {
    zone = IANAZone.create('UTC');
    warnings.push({ day: '', code: 'TZ_FALLBACK', message: `the time zone ${show(opts.timeZone)} is not a known IANA zone; events are placed on UTC dates (set TIMEZONE)` });
  }
  const list = eventItems(items);
  warnings.push(...list.warnings);
  const byDate = new Map<string, Map<Kind | number, Part>>();
  const dayWarnings = new Map<string, DecodeWarning[]>();
  list.items.forEach((raw, index) => {
    let part: Part | DecodeWarning[];
    try {
      part = decodeOne(raw, index, eventType, zone, opts.user);
    } catch (err) {
      part = [{ day: '', code: 'DECODE_FAILED', message: `the decoder failed on event item ${index} (${err instanceof Error ? err.message : show(err)}); no points from it` }];
    }
    if (Array.isArray(part)) {
      warnings.push(...part);
      return;
    }
    const parts = byDate.get(part.date) ?? new Map<Kind | number, Part>();
    byDate.set(part.date, parts);
    const dw = dayWarnings.get(part.date) ?? [];
    dayWarnings.set(part.date, dw);
    dw.push(...part.warnings);
    if (!ONE_PER_DAY.has(part.kind)) {
      parts.set(index, part);
      return;
    }
    const before = parts.get(part.kind);
    if (before) {
      // Readiness is re-sent for a night (docs/huami-api.md "Health events"): the later
      // timestampUpdate is the one the app shows. Elsewhere a second item is unexpected.
      if (part.kind !== 'readiness') dw.push({ day: part.date, code: 'DUPLICATE_DAY', message: `two ${eventType} items for this date (items ${before.index} and ${part.index}); the later one is written` });
      if (part.result.rank < before.result.rank) return;
    }
    parts.set(part.kind, part);
  });
  const days: DecodedDay[] = [];
  for (const date of [...byDate.keys()].sort()) {
    const parts = [...(byDate.get(date)?.values() ?? [])].sort((a, b) => a.index - b.index);
    const day = assembleDay(date, parts, dayWarnings.get(date) ?? [], zone, opts.user);
    days.push(day);
    warnings.push(...day.warnings);
  }
  return { days, warnings };
}

function assembleDay(date: string, parts: Part[], partWarnings: DecodeWarning[], zone: Zone, user: string): DecodedDay {
  const local = parseLocalDate(date) ?? { year: 2000, month: 1, day: 1 }; // isoDate always parses
  const window = dayWindow(local, zone);
  const ctx = new DayContext(date, user);
  ctx.warnings.push(...partWarnings);
  const frame: DayFrame = { ctx, date: local, zone, window, sleepWindow: window };
  const points: Point[] = [];
  const owned = new Set<MeasurementName>();
  for (const p of parts) {
    for (const m of p.result.owns) owned.add(m);
    for (const pt of p.result.points) points.push(Number.isNaN(pt.time) ? { ...pt, time: window.start } : pt);
  }
  const spans: DaySpan[] = [...owned].sort().map((measurement) => ({ measurement, start: window.start, end: window.end }));
  return { date, points: guardPoints(frame, points), spans, warnings: ctx.warnings };
}

export { DAY_TIME };
