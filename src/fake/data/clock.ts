// Calendar and time-zone arithmetic for the fake data: which instant each of a record's
// 1440 minutes stands for, DST-correct through luxon (never the host zone).
//
// Choice for 23/25-hour days (the real mapping is unknown, docs/huami-api.md "Daylight saving time"): index i is
// the LOCAL WALL-CLOCK minute i after local midnight of the record date.
// On spring-forward the skipped hour has no instant, so it holds the "no data" fillers
// (254 in data_hr, 0x7E/0/0 in data); on fall-back the repeated hour holds its FIRST
// occurrence and the second occurrence is not represented.
import { DateTime, Info, Zone, type ZoneOffsetFormat, type ZoneOffsetOptions } from 'luxon';
import { Lru } from './lru.js';

/** The instants behind one local calendar day of one zone. */
export interface DayClock {
  date: string;
  zone: string;
  /** Epoch seconds of local midnight of `date` (the anchor of the record's own minutes). */
  anchor: number;
  /** Epoch seconds of the next local midnight (23 or 25 hours later on DST days). */
  nextAnchor: number;
  /** UTC offset in force at local midnight, seconds. */
  offsetAtMidnight: number;
  /** The zone's standard (winter) offset that year, seconds (some app versions write it in `tz`). */
  standardOffset: number;
  /** Epoch seconds of wall-clock minute `i` (0..1439); null inside a spring-forward gap. */
  minuteEpoch(i: number): number | null;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(text: string): boolean {
  const m = DATE_RE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
}

/** `date` plus `days` calendar days (pure calendar arithmetic, no zone involved). */
export function addDays(date: string, days: number): string {
  const ms = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
}

/** Whole calendar days from `a` to `b` (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/**
 * One UTC day of one zone's offsets (minutes, as luxon computes them): `first` until `switchAt`
 * (epoch ms, exclusive), `last` from then on. Like dayClock, this assumes at most one offset
 * change within 24 hours.
 */
interface UtcDayOffsets { first: number; last: number; switchAt: number }

const DAY_MS = 86_400_000;
const zoneOffsets = new Map<string, { zone: Zone; days: Map<number, UtcDayOffsets> }>();

/**
 * The zone's UTC offset in minutes at an instant: the same number as luxon's
 * `DateTime.fromMillis(ms, { zone }).offset`, from two luxon lookups per UTC day and zone (more
 * on a day the offset changes) instead of one Intl formatting per call; NaN for an invalid zone.
 */
export function zoneOffsetMinutes(epochMs: number, zone: string): number {
  let z = zoneOffsets.get(zone);
  if (!z) zoneOffsets.set(zone, (z = { zone: Info.normalizeZone(zone), days: new Map() }));
  if (!z.zone.isValid || !Number.isFinite(epochMs)) return Number.NaN;
  const day = Math.floor(epochMs / DAY_MS);
  let d = z.days.get(day);
  if (!d) {
    const start = day * DAY_MS, end = start + DAY_MS - 1;
    const first = z.zone.offset(start), last = z.zone.offset(end);
    let lo = start, hi = end + 1;
    if (first !== last) { // bisect to the millisecond (luxon's offset steps at whole seconds)
      hi = end;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (z.zone.offset(mid) === first) lo = mid;
        else hi = mid;
      }
    }
    d = { first, last, switchAt: hi };
    if (z.days.size >= 100_000) z.days.clear();
    z.days.set(day, d);
  }
  return epochMs < d.switchAt ? d.first : d.last;
}

/**
 * A luxon Zone that answers `offset` from the cache above and everything else from the real
 * zone: luxon's own local-time arithmetic (fromISO, startOf, plus) then runs unchanged, on the
 * same offsets, without an Intl call per step.
 */
class CachedOffsetZone extends Zone {
  constructor(private readonly real: Zone, private readonly key: string) { super(); }
  override get type(): string { return this.real.type; }
  override get name(): string { return this.real.name; }
  override get isUniversal(): boolean { return this.real.isUniversal; }
  override offsetName(ts: number, options: ZoneOffsetOptions): string { return this.real.offsetName(ts, options) as string; }
  override formatOffset(ts: number, format: ZoneOffsetFormat): string { return this.real.formatOffset(ts, format); }
  override offset(ts: number): number { return zoneOffsetMinutes(ts, this.key); }
  override equals(other: Zone): boolean { return other instanceof CachedOffsetZone ? this.real.equals(other.real) : this.real.equals(other); }
  override get isValid(): boolean { return this.real.isValid; }
}

const cachedZones = new Map<string, Zone | string>();

/** The zone for luxon calls: the cached-offset zone when valid, else the name (luxon reports it invalid). */
function luxonZone(zone: string): Zone | string {
  let z = cachedZones.get(zone);
  if (z === undefined) {
    const real = Info.normalizeZone(zone);
    cachedZones.set(zone, (z = real.isValid ? new CachedOffsetZone(real, zone) : zone));
  }
  return z;
}

const YEAR_1000_MS = Date.UTC(1000, 0, 1), YEAR_10000_MS = Date.UTC(10000, 0, 1);

/** The local calendar date of an instant in a zone (luxon's `toISODate()`, through the offset cache). */
export function localDate(epochMs: number, zone: string): string {
  const local = epochMs + zoneOffsetMinutes(epochMs, zone) * 60_000;
  // Outside four-digit years (or for an invalid zone) luxon's own formatting decides.
  if (!(local >= YEAR_1000_MS && local < YEAR_10000_MS)) return DateTime.fromMillis(epochMs, { zone }).toISODate() as string;
  return new Date(local).toISOString().slice(0, 10);
}

function offsetAt(epochSec: number, zone: Zone | string): number {
  return DateTime.fromSeconds(epochSec, { zone }).offset;
}

const clocks = new Lru<string, DayClock>(16_384);

/**
 * The clock of one local day, memoised per zone and date: a clock never changes, and a long
 * backfill asks for the same days many times (once per event type, per record, per workout).
 */
export function dayClock(date: string, zone: string): DayClock {
  const key = `${zone}|${date}`;
  let c = clocks.get(key);
  if (!c) clocks.set(key, (c = Object.freeze(buildDayClock(date, zone))));
  return c;
}

/** Build the clock of one local day (a few luxon calls, more only on DST days). */
function buildDayClock(date: string, zoneName: string): DayClock {
  const zone = luxonZone(zoneName);
  const start = DateTime.fromISO(date, { zone }).startOf('day');
  const anchor = Math.round(start.toSeconds());
  const nextAnchor = Math.round(start.plus({ days: 1 }).startOf('day').toSeconds());
  const utcWall = Date.parse(`${date}T00:00:00Z`) / 1000;
  const off0 = start.offset;
  const off1 = offsetAt(nextAnchor - 60, zone);
  const jan = DateTime.fromObject({ year: start.year, month: 1, day: 1 }, { zone }).offset;
  const jul = DateTime.fromObject({ year: start.year, month: 7, day: 1 }, { zone }).offset;
  const base = { date, zone: zoneName, anchor, nextAnchor, offsetAtMidnight: off0 * 60, standardOffset: Math.min(jan, jul) * 60 };
  if (off0 === off1) return { ...base, minuteEpoch: (i) => utcWall + 60 * i - off0 * 60 };

  // Find the transition instant to the minute by bisection (DST days only: 2 a year).
  let lo = anchor;
  let hi = nextAnchor - 60;
  while (hi - lo > 60) {
    const mid = lo + Math.floor((hi - lo) / 120) * 60;
    if (offsetAt(mid, zone) === off0) lo = mid;
    else hi = mid;
  }
  const wallOfTransition = (hi + Math.min(off0, off1) * 60 - utcWall) / 60;
  const delta = Math.abs(off1 - off0);
  const springForward = off1 > off0;
  return {
    ...base,
    minuteEpoch: (i) => {
      if (i < wallOfTransition) return utcWall + 60 * i - off0 * 60;
      if (i < wallOfTransition + delta) return springForward ? null : utcWall + 60 * i - off0 * 60;
      return utcWall + 60 * i - off1 * 60;
    },
  };
}
