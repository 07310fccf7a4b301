// Pure time rules of the decoder (docs/huami-api.md "Time zones"; docs/metrics.md "Time rules").
// Local wall-clock minutes are turned into instants with an IANA zone, never the host zone.
// DST choice (documented in docs/metrics.md, shared with the fake server): a wall-clock
// minute that does not exist (spring forward) has no instant; a repeated one (fall back)
// maps to its FIRST occurrence. luxon alone would pick the second, hence wallToInstant.
import { DateTime, FixedOffsetZone, IANAZone, type Zone } from 'luxon';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const HOUR_MS = 3_600_000;

export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/** 'YYYY-MM-DD' → calendar date, or undefined when it is not a real date. */
export function parseLocalDate(s: string): LocalDate | undefined {
  const m = DATE_RE.exec(s);
  if (!m) return undefined;
  const d = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  const check = new Date(Date.UTC(d.year, d.month - 1, d.day));
  if (check.getUTCFullYear() !== d.year || check.getUTCMonth() !== d.month - 1 || check.getUTCDate() !== d.day) return undefined;
  return d;
}

/** The calendar date `days` after `d` (pure calendar arithmetic, no zone). */
export function addDays(d: LocalDate, days: number): LocalDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** An IANA zone by name, or undefined when the runtime does not know it. */
export function ianaZone(name: string): Zone | undefined {
  const z = IANAZone.create(name);
  return z.isValid ? z : undefined;
}

/** A fixed-offset zone from the summary `tz` (signed seconds), for the last-resort fallback. */
export function fixedZone(offsetSeconds: number): Zone {
  return FixedOffsetZone.instance(Math.round(offsetSeconds / 60));
}

/**
 * Local wall-clock time (date + minute of that date, may be ≥ 1440 = following days) →
 * epoch seconds; undefined when that wall-clock minute does not exist in the zone.
 */
export function wallToInstant(date: LocalDate, minute: number, zone: Zone): number | undefined {
  const dayShift = Math.floor(minute / 1440);
  const mod = minute - dayShift * 1440;
  // The wall clock read as if it were UTC; the real instant is this minus the offset in force.
  const localMs = Date.UTC(date.year, date.month - 1, date.day + dayShift, Math.floor(mod / 60), mod % 60);
  const candidates = new Set([zone.offset(localMs - 12 * HOUR_MS), zone.offset(localMs), zone.offset(localMs + 12 * HOUR_MS)]);
  let best: number | undefined;
  for (const offsetMin of candidates) {
    const instant = localMs - offsetMin * 60_000;
    if (zone.offset(instant) !== offsetMin) continue; // this offset is not in force then
    if (best === undefined || instant < best) best = instant; // first occurrence on fall-back
  }
  return best === undefined ? undefined : best / 1000;
}

/**
 * wallToInstant for minutes 0..count−1 of one date. Fast path for the ~363 days a year without
 * an offset change (Intl offset look-ups are slow: ~3 per minute would cost 40 ms per day).
 */
export function dayMinuteInstants(date: LocalDate, zone: Zone, count: number): readonly (number | undefined)[] {
  // Memoised: data and data_hr of one day ask for the same minutes, and every Intl offset
  // look-up costs tens of microseconds (pure function of its arguments, so caching is safe).
  return memo(minuteCache, `${zone.name}|${date.year}-${date.month}-${date.day}|${count}`, () => computeMinuteInstants(date, zone, count));
}

function computeMinuteInstants(date: LocalDate, zone: Zone, count: number): (number | undefined)[] {
  const t0 = wallToInstant(date, 0, zone);
  const next = wallToInstant(addDays(date, 1), 0, zone);
  const out: (number | undefined)[] = [];
  if (t0 !== undefined && next === t0 + 86_400 && zone.offset(t0 * 1000) === zone.offset((next - 1) * 1000)) {
    for (let m = 0; m < count; m++) out.push(m < 1440 ? t0 + m * 60 : wallToInstant(date, m, zone));
    return out;
  }
  const one = oneTransition(date, zone, count);
  if (one) return one;
  for (let m = 0; m < count; m++) out.push(wallToInstant(date, m, zone));
  return out;
}

/**
 * wallToInstant for every minute of a day with one offset change near it, from ~20 offset
 * look-ups instead of ~3 per minute: find the instant T of the change by bisection; an offset
 * is in force on its side of T, and a minute takes its earliest instant whose offset is in
 * force (the first occurrence on fall-back, none in a spring-forward gap). Undefined when the
 * offsets at both ends agree (no change, or two: left to the per-minute path).
 */
function oneTransition(date: LocalDate, zone: Zone, count: number): (number | undefined)[] | undefined {
  const base = Date.UTC(date.year, date.month - 1, date.day); // wall clock of minute 0 read as UTC
  let lo = base - 16 * HOUR_MS;
  let hi = base + count * 60_000 + 16 * HOUR_MS;
  const before = zone.offset(lo);
  const after = zone.offset(hi);
  if (before === after || !Number.isFinite(before) || !Number.isFinite(after)) return undefined;
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (zone.offset(mid) === before) lo = mid;
    else hi = mid;
  }
  if (zone.offset(hi) !== after) return undefined; // more than one change: not this path
  const out: (number | undefined)[] = [];
  for (let m = 0; m < count; m++) {
    const local = base + m * 60_000;
    const a = local - before * 60_000; // valid while `before` is in force: before T
    const b = local - after * 60_000; // valid from T on
    const okA = a < hi, okB = b >= hi;
    out.push(okA && okB ? Math.min(a, b) / 1000 : okA ? a / 1000 : okB ? b / 1000 : undefined);
  }
  return out;
}

/**
 * First instant (epoch s) at or after wall-clock `minute` of a local date: that minute, or the
 * first existing one after it when a DST switch skips it (e.g. America/Santiago skips midnight).
 * Never throws: a date the zone skips entirely (Pacific/Apia 2011-12-30) starts when the next
 * date starts, so its window is empty.
 */
export function wallStart(date: LocalDate, minute: number, zone: Zone): number {
  for (let m = minute; m < minute + 3 * 1440; m++) {
    const t = wallToInstant(date, m, zone);
    if (t !== undefined) return t;
  }
  // No zone skips three days; the UTC reading only keeps this function total.
  return Date.UTC(date.year, date.month - 1, date.day) / 1000 + minute * 60;
}

/** First instant (epoch s) of a local date: local midnight, or the first existing minute after it. */
export function dayStart(date: LocalDate, zone: Zone): number {
  return wallStart(date, 0, zone);
}

/** [start, end) of a local date in epoch seconds (23, 24 or 25 hours long). */
export function dayWindow(date: LocalDate, zone: Zone): { start: number; end: number } {
  const w = memo(windowCache, `${zone.name}|${date.year}-${date.month}-${date.day}`, () => ({ start: dayStart(date, zone), end: dayStart(addDays(date, 1), zone) }));
  return { start: w.start, end: w.end };
}

/**
 * The window a record's sleep points (the night and naps) must lie in, epoch seconds [start, end):
 * from 12:00 local of the day before the record date to the end of the day after it
 * (docs/metrics.md "Windows"). It holds the night whichever date files it (evening date or wake
 * date), an early bedtime, a late wake-up and the day's naps.
 */
export function sleepWindow(date: LocalDate, zone: Zone): { start: number; end: number } {
  const w = memo(sleepCache, `${zone.name}|${date.year}-${date.month}-${date.day}`, () => ({ start: wallStart(addDays(date, -1), 12 * 60, zone), end: dayStart(addDays(date, 2), zone) }));
  return { start: w.start, end: w.end };
}

/** An instant for a message: ISO 8601 UTC when representable, else the raw number. */
export function isoOf(epochS: number): string {
  return Number.isFinite(epochS) && Math.abs(epochS) < 8.64e12 ? new Date(Math.round(epochS * 1000)).toISOString() : String(epochS);
}

// Small bounded caches for the per-day computations above (recent days: a sync walks days in
// order; the fuzz run jumps between a few dozen). A minute table is ~12 kB, so 64 cost < 1 MB.
const CACHE_SIZE = 64;
const minuteCache = new Map<string, (number | undefined)[]>();
const windowCache = new Map<string, { start: number; end: number }>();
const sleepCache = new Map<string, { start: number; end: number }>();
function memo<T>(cache: Map<string, T>, key: string, make: () => T): T {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const value = make();
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(key, value);
  return value;
}

/** Wall-clock minutes of `instant` after local midnight of `ref` (≥ 1440 on later dates). */
export function localMinutesSince(ref: LocalDate, instant: number, zone: Zone): number {
  const local = DateTime.fromSeconds(instant, { zone });
  const days = Math.round((Date.UTC(local.year, local.month - 1, local.day) - Date.UTC(ref.year, ref.month - 1, ref.day)) / 86_400_000);
  return days * 1440 + local.hour * 60 + local.minute;
}

/** The local calendar date of an instant. */
export function localDateOf(instant: number, zone: Zone): LocalDate {
  const local = DateTime.fromSeconds(instant, { zone });
  return { year: local.year, month: local.month, day: local.day };
}

/** Offset in force at an instant, in seconds. */
export function offsetAt(instant: number, zone: Zone): number {
  return zone.offset(instant * 1000) * 60;
}

/** The zone's standard (non-DST) offset in the year of `date`, in seconds: the smaller of January's and July's. */
export function standardOffset(date: LocalDate, zone: Zone): number {
  const jan = zone.offset(Date.UTC(date.year, 0, 1));
  const jul = zone.offset(Date.UTC(date.year, 6, 1));
  return Math.min(jan, jul) * 60;
}
