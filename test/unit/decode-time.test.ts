// The anchor and wall-clock rules as small pure functions (docs/huami-api.md "Sleep anchor", "The tz field").
import { describe, expect, it } from 'vitest';
import { addDays, dayMinuteInstants, dayWindow, ianaZone, localMinutesSince, parseLocalDate, standardOffset, wallToInstant } from '../../src/decode/time.js';
import { sleepAnchor } from '../../src/decode/sleep.js';
import { stepKind } from '../../src/decode/activity.js';
import { contiguousGroups } from '../../src/decode/stages.js';

const utc = (y: number, mo: number, d: number, h = 0, mi = 0): number => Date.UTC(y, mo - 1, d, h, mi) / 1000;
const zone = (name: string) => {
  const z = ianaZone(name);
  if (!z) throw new Error(name);
  return z;
};
const date = (s: string) => {
  const d = parseLocalDate(s);
  if (!d) throw new Error(s);
  return d;
};

describe('wallToInstant', () => {
  it.each([
    ['Europe/Berlin', '2026-01-14', 0, utc(2026, 1, 13, 23)],
    ['Europe/Berlin', '2026-01-14', 1439, utc(2026, 1, 14, 22, 59)],
    ['Europe/Berlin', '2026-01-14', 1440 + 30, utc(2026, 1, 14, 23, 30)], // ≥ 1440 = next day
    ['Europe/Berlin', '2026-03-29', 119, utc(2026, 3, 29, 0, 59)],
    ['Europe/Berlin', '2026-03-29', 120, undefined], // 02:00 does not exist
    ['Europe/Berlin', '2026-03-29', 179, undefined],
    ['Europe/Berlin', '2026-03-29', 180, utc(2026, 3, 29, 1)],
    ['Europe/Berlin', '2026-10-25', 150, utc(2026, 10, 25, 0, 30)], // first occurrence (CEST)
    ['America/New_York', '2026-11-01', 90, utc(2026, 11, 1, 5, 30)], // first occurrence (EDT)
    ['America/New_York', '2026-03-08', 150, undefined],
    ['Asia/Kolkata', '2026-06-01', 0, utc(2026, 5, 31, 18, 30)],
    ['UTC', '2026-06-01', 61, utc(2026, 6, 1, 1, 1)],
  ])('%s %s minute %i → %s', (z, d, m, expected) => {
    expect(wallToInstant(date(d), m, zone(z))).toBe(expected);
  });
});

describe('dayWindow', () => {
  it.each([
    ['Europe/Berlin', '2026-03-29', 23],
    ['Europe/Berlin', '2026-10-25', 25],
    ['Europe/Berlin', '2026-06-01', 24],
    ['America/New_York', '2026-03-08', 23],
    ['America/New_York', '2026-11-01', 25],
  ])('%s %s lasts %i hours', (z, d, hours) => {
    const w = dayWindow(date(d), zone(z));
    expect(w.end - w.start).toBe(hours * 3600);
  });
  it('starts at the first existing minute when DST skips midnight itself (America/Santiago, 2026-09-06)', () => {
    const w = dayWindow(date('2026-09-06'), zone('America/Santiago'));
    expect(w.start).toBe(utc(2026, 9, 6, 4)); // 01:00 -03 (00:00 -04 does not exist)
  });
});

describe('calendar helpers', () => {
  it('rejects impossible dates and adds days across month ends', () => {
    expect(parseLocalDate('2026-02-30')).toBeUndefined();
    expect(parseLocalDate('2026-2-3')).toBeUndefined();
    expect(addDays(date('2026-02-28'), 1)).toEqual({ year: 2026, month: 3, day: 1 });
    expect(addDays(date('2026-01-01'), -1)).toEqual({ year: 2025, month: 12, day: 31 });
  });
  it('counts local wall-clock minutes since a midnight, past 1440 on the next day', () => {
    expect(localMinutesSince(date('2026-03-28'), utc(2026, 3, 29, 5), zone('Europe/Berlin'))).toBe(1440 + 7 * 60);
    expect(localMinutesSince(date('2026-08-02'), utc(2026, 8, 2, 21, 51), zone('Europe/Berlin'))).toBe(1431);
  });
  it('knows the standard offset in summer', () => {
    expect(standardOffset(date('2026-08-02'), zone('Europe/Berlin'))).toBe(3600);
    expect(standardOffset(date('2026-08-02'), zone('America/New_York'))).toBe(-5 * 3600);
  });
});

describe('sleepAnchor', () => {
  const stages = [
    { start: 1380, stop: 1439, mode: 4 },
    { start: 1440, stop: 1859, mode: 5 },
  ];
  it('is slp.st − first start × 60', () => {
    expect(sleepAnchor(1_000_000 + 1380 * 60, undefined, stages)).toBe(1_000_000);
  });
  it('falls back to slp.ed − (last stop + 1) × 60', () => {
    expect(sleepAnchor(undefined, 1_000_000 + 1860 * 60, stages)).toBe(1_000_000);
  });
  it('is undefined without st/ed or without stages (never inferred from date_time)', () => {
    expect(sleepAnchor(undefined, undefined, stages)).toBeUndefined();
    expect(sleepAnchor(5, 5, [])).toBeUndefined();
  });
});

describe('stage helpers', () => {
  it.each([
    [1, 'slow_walk'],
    [3, 'fast_walk'],
    [4, 'run'],
    [7, 'light_activity'],
    [76, 'unknown'],
    [0, 'unknown'],
  ])('step mode %i → %s', (mode, kind) => expect(stepKind(mode)).toBe(kind));
  it('groups contiguous nap segments', () => {
    const g = contiguousGroups([
      { start: 10, stop: 19, mode: 4 },
      { start: 20, stop: 29, mode: 5 },
      { start: 40, stop: 49, mode: 4 },
    ]);
    expect(g.map((x) => x.length)).toEqual([2, 1]);
  });
});

describe('dayMinuteInstants', () => {
  it.each([
    ['Europe/Berlin', '2026-03-29'],
    ['Europe/Berlin', '2026-10-25'],
    ['Europe/Berlin', '2026-06-01'],
    ['America/New_York', '2026-11-01'],
    ['America/Santiago', '2026-09-06'],
    ['Australia/Lord_Howe', '2026-04-05'], // a 30-minute DST shift
  ])('equals wallToInstant minute by minute on %s %s', (z, d) => {
    const fast = dayMinuteInstants(date(d), zone(z), 1440);
    const slow = Array.from({ length: 1440 }, (_, m) => wallToInstant(date(d), m, zone(z)));
    expect(fast).toEqual(slow);
  });
});
