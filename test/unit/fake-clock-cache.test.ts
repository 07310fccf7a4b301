// The fake's zone arithmetic is cached (src/fake/data/clock.ts: one offset lookup pair per UTC
// day and zone, memoised day clocks); the cache must give exactly what luxon computes through
// Intl on every call, also around DST changes, in half-hour and 45-minute zones, in a zone whose
// DST begins at midnight (America/Santiago: local midnight does not exist that day) and in a
// zone with a 30-minute DST shift (Australia/Lord_Howe).
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { dayClock, localDate, zoneOffsetMinutes } from '../../src/fake/data/clock.js';

const ZONES = ['Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Australia/Lord_Howe', 'America/Santiago', 'Asia/Kolkata', 'Asia/Kathmandu', 'UTC', 'UTC+3'];

/** Every 65 minutes 17 seconds through 2025 and 2026, plus the seconds around each offset change. */
function instants(zone: string): number[] {
  const out: number[] = [];
  const start = Date.UTC(2025, 0, 1), end = Date.UTC(2027, 0, 1);
  let prev = DateTime.fromMillis(start, { zone }).offset;
  for (let ms = start; ms < end; ms += 3_917_000) {
    out.push(ms);
    const off = DateTime.fromMillis(ms, { zone }).offset;
    if (off !== prev) for (let s = ms - 3_917_000; s <= ms; s += 1000) out.push(s - 1, s, s + 1, s + 999);
    prev = off;
  }
  return out;
}

describe('fake clock caches agree with luxon', () => {
  it.each(ZONES)('zoneOffsetMinutes and localDate in %s', (zone) => {
    const list = instants(zone);
    const bad = list.filter((ms) => zoneOffsetMinutes(ms, zone) !== DateTime.fromMillis(ms, { zone }).offset || localDate(ms, zone) !== DateTime.fromMillis(ms, { zone }).toISODate());
    expect(bad.map((ms) => new Date(ms).toISOString())).toEqual([]);
  });

  it.each(ZONES)('day clocks of 2025 and 2026 in %s', (zone) => {
    const bad: string[] = [];
    for (let d = DateTime.fromISO('2025-01-01', { zone: 'UTC' }); d.year < 2027; d = d.plus({ days: 1 })) {
      const date = d.toISODate() as string;
      const start = DateTime.fromISO(date, { zone }).startOf('day');
      const next = start.plus({ days: 1 }).startOf('day');
      const c = dayClock(date, zone);
      if (c.anchor !== Math.round(start.toSeconds()) || c.nextAnchor !== Math.round(next.toSeconds()) || c.offsetAtMidnight !== start.offset * 60) bad.push(date);
    }
    expect(bad).toEqual([]);
  });

  it('gives Berlin DST days their hand-computed instants, memoised as one frozen clock', () => {
    const spring = dayClock('2025-03-30', 'Europe/Berlin');
    expect(spring.anchor).toBe(Date.UTC(2025, 2, 29, 23) / 1000); // 00:00 CET
    expect(spring.nextAnchor - spring.anchor).toBe(23 * 3600);
    expect(spring.minuteEpoch(150)).toBeNull(); // 02:30 does not exist
    expect(spring.minuteEpoch(180)).toBe(Date.UTC(2025, 2, 30, 1) / 1000); // 03:00 CEST
    const fall = dayClock('2025-10-26', 'Europe/Berlin');
    expect(fall.nextAnchor - fall.anchor).toBe(25 * 3600);
    expect(fall.minuteEpoch(150)).toBe(Date.UTC(2025, 9, 26, 0, 30) / 1000); // 02:30 CEST, the first occurrence
    expect(fall.standardOffset).toBe(3600);
    expect(dayClock('2025-10-26', 'Europe/Berlin')).toBe(fall);
    expect(Object.isFrozen(fall)).toBe(true);
  });

  it('answers an unknown zone as luxon does (no offset, no date)', () => {
    expect(zoneOffsetMinutes(Date.UTC(2025, 5, 1), 'Mars/Olympus_Mons')).toBeNaN();
    expect(localDate(Date.UTC(2025, 5, 1), 'Mars/Olympus_Mons')).toBe(DateTime.fromMillis(Date.UTC(2025, 5, 1), { zone: 'Mars/Olympus_Mons' }).toISODate());
  });
});
