// Time handling of the fake data: DST days keep 1440 minutes with the chosen mapping (wall-clock
// index, skipped hour = 254, repeated hour = first occurrence), `tz` variants, today's
// partial record with its trailing not-yet-synced block, future days absent.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { dayClock } from '../../src/fake/data/clock.js';
import { FakeDataStore } from '../../src/fake/data/store.js';
import { dayBefore, localMidnight, sleepSums } from '../support/fake-helpers.js';

const UID = '1000000001';

function store(zone: string, now: string, over: Partial<ConstructorParameters<typeof FakeDataStore>[0]> = {}): FakeDataStore {
  return new FakeDataStore({
    seed: 3, from: '2024-01-01', now: () => new Date(now), zoneFor: () => zone,
    nightConvention: 'wake-date', tzField: 'actual', recordWidth: 3, napAnchor: 'sleep-anchor', ...over,
  });
}

/** First present day at or after `date` (a DST day itself may be a no-wear day for this seed). */
function presentFrom(s: FakeDataStore, date: string) {
  const d = s.days(UID, date, date)[0];
  if (!d) throw new Error(`seed 3 has no record on ${date}; pick another seed`);
  return d;
}

describe.each([
  { zone: 'Europe/Berlin', spring: '2025-03-30', fall: '2025-10-26', winter: '3600', summer: '7200', repeated: 120 },
  { zone: 'America/New_York', spring: '2025-03-09', fall: '2025-11-02', winter: '-18000', summer: '-14400', repeated: 60 },
])('fake data on DST days in $zone', ({ zone, spring, fall, winter, summer, repeated }) => {
  const s = store(zone, '2026-01-10T12:00:00Z');

  it('keeps 1440 minutes on the 23-hour day and fills the skipped hour with 254 / 0x7E', () => {
    const d = presentFrom(s, spring);
    expect(d.hr.length).toBe(1440);
    expect(d.data.length).toBe(4320);
    expect([...d.hr.subarray(120, 180)].every((b) => b === 254)).toBe(true);
    for (let i = 120; i < 180; i++) expect([d.data[i * 3], d.data[i * 3 + 1], d.data[i * 3 + 2]]).toEqual([0x7e, 0, 0]);
    expect(d.hr[119]).not.toBe(254);
    expect(d.hr[180]).not.toBe(254);
  });

  it('keeps 1440 minutes on the 25-hour day, the repeated hour holding data (its first occurrence)', () => {
    const d = presentFrom(s, fall);
    expect(d.hr.length).toBe(1440);
    expect([...d.hr.subarray(60, 240)].some((b) => b === 254)).toBe(false);
    const clock = dayClock(fall, zone);
    const inRepeated = clock.minuteEpoch(repeated + 30) as number; // e.g. 02:30 in Berlin
    expect(DateTime.fromSeconds(inRepeated, { zone }).offset * 60).toBe(Number(summer)); // the first occurrence
    expect(clock.minuteEpoch(repeated + 90)).toBe(inRepeated + 7200); // the hour after it is two real hours later
  });

  it('anchors the night that crosses the switch on local midnight of the evening date', () => {
    for (const date of [spring, fall]) {
      const { slp } = presentFrom(s, date).summary;
      if (!slp.stage.length) continue;
      const anchor = localMidnight(dayBefore(date), zone);
      expect(slp.st - (slp.stage[0] as { start: number }).start * 60).toBe(anchor);
      expect(slp.ed).toBe(anchor + ((slp.stage.at(-1) as { stop: number }).stop + 1) * 60);
      expect((slp.ed - slp.st) / 60).toBe(sleepSums(slp.stage).total);
    }
  });

  it('writes the offset in force at local midnight in `tz`, or the standard offset all year', () => {
    const std = store(zone, '2026-01-10T12:00:00Z', { tzField: 'standard' });
    const july = s.days(UID, '2025-07-01', '2025-07-10')[0];
    expect(july?.summary.tz).toBe(summer);
    expect(std.day(UID, july?.date as string)?.summary.tz).toBe(winter);
    expect(s.days(UID, '2025-01-10', '2025-01-20')[0]?.summary.tz).toBe(winter);
    expect(presentFrom(s, spring).summary.tz).toBe(winter); // midnight is still winter time
  });
});

describe("fake data: today's partial record", () => {
  const zone = 'Europe/Berlin';

  it('ends at the last sync: trailing 254 / 0x7E block, stages only before it, sync = last sync', () => {
    const now = '2025-06-15T10:05:00Z'; // 12:05 in Berlin
    const s = store(zone, now);
    const lastSync = Date.parse('2025-06-15T10:00:00Z') / 1000; // the band syncs every 10 minutes
    const d = s.day(UID, '2025-06-15');
    expect(d).toBeDefined();
    if (!d) return;
    const firstMissing = (lastSync - localMidnight('2025-06-15', zone)) / 60; // minute 720
    expect(d.summary.sync).toBe(lastSync);
    expect([...d.hr.subarray(firstMissing)].every((b) => b === 254)).toBe(true);
    expect([...d.hr.subarray(0, firstMissing)].some((b) => b !== 254 && b !== 255)).toBe(true);
    for (let i = firstMissing; i < 1440; i++) expect(d.data[i * 3]).toBe(0x7e);
    for (const st of d.summary.stp.stage) expect(st.stop).toBeLessThan(firstMissing);
    expect(s.day(UID, '2025-06-16')).toBeUndefined(); // future days are absent
  });

  it('serves an unfinished night up to the last sync, with sums still matching', () => {
    const s = store(zone, '2025-06-15T02:31:00Z'); // 04:31 local, asleep
    const d = s.day(UID, '2025-06-15');
    if (!d || !d.summary.slp.stage.length) throw new Error('seed 3 must have a night here');
    const { slp } = d.summary;
    expect(slp.ed).toBe(Date.parse('2025-06-15T02:30:00Z') / 1000);
    expect((slp.ed - slp.st) / 60).toBe(sleepSums(slp.stage).total);
    const full = store(zone, '2025-06-16T12:00:00Z').day(UID, '2025-06-15');
    expect(full?.summary.slp.ed).toBeGreaterThan(slp.ed);
  });

  it('grows as time passes (the same day re-read later has more data)', () => {
    const early = store(zone, '2025-06-15T08:00:00Z').day(UID, '2025-06-15');
    const late = store(zone, '2025-06-15T18:00:00Z').day(UID, '2025-06-15');
    const count = (hr?: Uint8Array) => (hr ? [...hr].filter((b) => b === 254).length : -1);
    expect(count(late?.hr)).toBeLessThan(count(early?.hr));
    expect(late?.summary.stp.ttl).toBeGreaterThanOrEqual(early?.summary.stp.ttl ?? Infinity);
  });
});
