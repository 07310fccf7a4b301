// The fake data is a pure function of (seed, userId, date, version) and the clock, able
// to serve a 10-year backfill, and mutable by tests to simulate upstream changes.
import { describe, expect, it } from 'vitest';
import { encodeDays } from '../../src/bench/fake-data.js';
import { FakeDataStore } from '../../src/fake/data/store.js';

const UID = '1000000001';
const NOW = () => new Date('2026-01-20T12:00:00Z');

function store(seed: number, from = '2025-01-01'): FakeDataStore {
  return new FakeDataStore({
    seed, from, now: NOW, zoneFor: () => 'Europe/Berlin',
    nightConvention: 'wake-date', tzField: 'actual', recordWidth: 3, napAnchor: 'sleep-anchor',
  });
}

describe('fake data determinism', () => {
  it('generates identical bytes for the same seed, whatever the order of requests', () => {
    const a = store(11), b = store(11);
    const late = b.day(UID, '2025-08-20'); // b generates out of order
    const fromA = a.days(UID, '2025-08-01', '2025-08-31');
    const fromB = b.days(UID, '2025-08-01', '2025-08-31');
    expect(fromB).toEqual(fromA);
    expect(fromA.find((d) => d.date === '2025-08-20')).toEqual(late);
  });

  it('generates different data for a different seed or user', () => {
    const a = store(11).days(UID, '2025-08-01', '2025-08-10');
    const b = store(12).days(UID, '2025-08-01', '2025-08-10');
    expect(b.map((d) => d.summary.stp.ttl)).not.toEqual(a.map((d) => d.summary.stp.ttl));
    const other = store(11).days('1000000002', '2025-08-01', '2025-08-10');
    expect(other.map((d) => d.summary.slp.st)).not.toEqual(a.map((d) => d.summary.slp.st));
  });
});

describe('fake data mutation hooks', () => {
  it('bump regenerates the day differently and leaves far-away days alone', () => {
    const s = store(5);
    const before = s.day(UID, '2025-05-10');
    const farBefore = s.day(UID, '2025-05-20');
    s.bump(UID, '2025-05-10');
    const after = s.day(UID, '2025-05-10');
    expect(after?.summary.stp.ttl).not.toBe(before?.summary.stp.ttl);
    expect(s.day(UID, '2025-05-20')).toEqual(farBefore);
  });

  it('override edits the served day until reset', () => {
    const s = store(5);
    s.override(UID, '2025-05-10', (day) => { day.summary.stp.ttl = 123_456; });
    expect(s.day(UID, '2025-05-10')?.summary.stp.ttl).toBe(123_456);
    const copy = s.day(UID, '2025-05-10');
    if (copy) copy.summary.stp.ttl = 1; // a copy: mutating it changes nothing served
    expect(s.day(UID, '2025-05-10')?.summary.stp.ttl).toBe(123_456);
    s.reset();
    expect(s.day(UID, '2025-05-10')?.summary.stp.ttl).not.toBe(123_456);
  });

  it('setFrom and setUntil bound the days with data', () => {
    const s = store(5);
    s.setFrom('2025-06-01');
    s.setUntil('2025-06-30');
    const days = s.days(UID, '2025-05-01', '2025-07-31').map((d) => d.date);
    expect(days[0]! >= '2025-06-01' && days.at(-1)! <= '2025-06-30').toBe(true);
    expect(days.length).toBeGreaterThan(20);
  });
});

describe('fake data for a long backfill', () => {
  // How fast this is per day is a figure of `npm run bench` (src/bench/throughput.ts).
  it('generates and encodes 10 years of detail days', () => {
    const { days, bytes } = encodeDays(store(1, '2016-01-01'), UID, '2016-01-01', '2025-12-31');
    expect(days).toBeGreaterThan(3000);
    expect(bytes).toBeGreaterThan(3000 * 8000);
  });
});
