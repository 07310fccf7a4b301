// The fake cloud's ground truth must hold the invariants real data holds (docs/huami-api.md "band_data.json"),
// checked over a whole generated year per night convention.
import { describe, expect, it } from 'vitest';
import { FakeDataStore } from '../../src/fake/data/store.js';
import type { FakeDay } from '../../src/fake/data/types.js';
import { dayBefore, localMidnight, meanHr, sleepSums } from '../support/fake-helpers.js';

const ZONE = 'Europe/Berlin';
const UID = '1000000001';

function store(over: Partial<ConstructorParameters<typeof FakeDataStore>[0]> = {}): FakeDataStore {
  return new FakeDataStore({
    seed: 7, from: '2025-01-01', now: () => new Date('2026-01-20T12:00:00Z'), zoneFor: () => ZONE,
    nightConvention: 'wake-date', tzField: 'actual', recordWidth: 3, napAnchor: 'sleep-anchor', ...over,
  });
}
const year = (s: FakeDataStore) => s.days(UID, '2025-01-01', '2025-12-31');

describe('fake data invariants over a year (wake-date convention)', () => {
  const days = year(store());

  it('omits some days (band not worn) but serves most', () => {
    expect(days.length).toBeGreaterThan(320);
    expect(days.length).toBeLessThan(365);
  });

  it('sleep phase sums equal dp/lt/dt/wk and (ed − st)/60, with contiguous stages and modes 4/5/7/8', () => {
    let nights = 0;
    for (const d of days) {
      const { slp } = d.summary;
      const sums = sleepSums(slp.stage);
      expect([slp.lt, slp.dp, slp.wk, slp.dt]).toEqual([sums[4], sums[5], sums[7], sums[8]]);
      expect((slp.ed - slp.st) / 60).toBe(sums.total);
      slp.stage.forEach((s, i) => {
        expect([4, 5, 7, 8]).toContain(s.mode);
        expect(s.stop).toBeGreaterThanOrEqual(s.start);
        if (i > 0) expect(s.start).toBe((slp.stage[i - 1] as { stop: number }).stop + 1);
      });
      if (slp.stage.length) nights++;
      else expect([slp.st === slp.ed, slp.dp, slp.lt, slp.dt, slp.wk]).toEqual([true, 0, 0, 0, 0]); // no-sleep day
    }
    expect(nights).toBeGreaterThan(days.length * 0.8);
    expect(nights).toBeLessThan(days.length); // some records have no night
  });

  it('anchors each night on local midnight of the day before the record, stage minutes ≥ 1440 in the morning', () => {
    for (const d of days.filter((x) => x.summary.slp.stage.length)) {
      const { st, ed, stage } = d.summary.slp;
      const anchor = localMidnight(dayBefore(d.date), ZONE);
      expect(st - (stage[0] as { start: number }).start * 60).toBe(anchor);
      expect(ed).toBe(anchor + ((stage.at(-1) as { stop: number }).stop + 1) * 60);
      expect((stage.at(-1) as { stop: number }).stop).toBeGreaterThanOrEqual(1440);
    }
  });

  it('keeps stp.ttl strictly above the stage step sum, and the data blob agrees with both', () => {
    for (const d of days) {
      const { stp } = d.summary;
      const staged = stp.stage.reduce((a, s) => a + s.step, 0);
      expect(stp.ttl).toBeGreaterThan(staged);
      let blobTotal = 0;
      for (let i = 0; i < 1440; i++) blobTotal += d.data[i * 3 + 2] as number;
      expect(blobTotal).toBe(stp.ttl);
      for (const s of stp.stage) {
        let sum = 0;
        for (let i = s.start; i <= s.stop; i++) sum += d.data[i * 3 + 2] as number;
        expect(sum).toBe(s.step);
        const cadence = s.step / (s.stop - s.start + 1);
        const [lo, hi] = ({ 1: [40, 75], 3: [95, 125], 4: [150, 178], 7: [12, 35] } as Record<number, number[]>)[s.mode] ?? [];
        expect(cadence).toBeGreaterThanOrEqual(lo as number);
        expect(cadence).toBeLessThanOrEqual(hi as number);
      }
    }
  });

  it('has 1440 HR bytes with only plausible values or the 0/254/255 sentinels, lower while asleep', () => {
    let checked = 0;
    for (const d of days) {
      expect(d.hr.length).toBe(1440);
      expect(d.data.length).toBe(1440 * 3);
      expect(d.hr.filter((b) => !(b === 0 || b >= 254 || (b >= 35 && b <= 200))).length).toBe(0);
      const midnight = localMidnight(d.date, ZONE);
      if (localMidnight(d.date, ZONE) + 86_400 !== localMidnight(new Date(Date.parse(`${d.date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10), ZONE)) continue; // DST days: own test
      const { st, ed, stage } = d.summary.slp;
      if (!stage.length) continue;
      const asleep: number[] = [], awake: number[] = [];
      for (let i = 0; i < 1440; i++) (midnight + i * 60 >= st && midnight + i * 60 < ed ? asleep : awake).push(i);
      expect(meanHr(d.hr, asleep)).toBeLessThan(meanHr(d.hr, awake) - 5);
      checked++;
    }
    expect(checked).toBeGreaterThan(200);
  });

  it('marks activity kinds in the low nibble with a varying high nibble', () => {
    const d = days[100] as FakeDay;
    const kinds = new Set<number>(), highs = new Set<number>();
    for (let i = 0; i < 1440; i++) {
      kinds.add((d.data[i * 3] as number) & 0x0f);
      highs.add((d.data[i * 3] as number) & 0xf0);
    }
    for (const k of kinds) expect([0, 1, 2, 3, 6, 9, 11, 12]).toContain(k);
    expect(kinds.has(9) && kinds.has(1)).toBe(true);
    expect(highs.size).toBeGreaterThan(1);
  });

  it('puts naps in odd_stage on some days, relative to the same anchor as the main sleep', () => {
    const napDays = days.filter((d) => d.summary.slp.odd_stage.length);
    expect(napDays.length).toBeGreaterThan(10);
    for (const d of napDays) {
      const first = d.summary.slp.odd_stage[0] as { start: number };
      const anchor = localMidnight(dayBefore(d.date), ZONE);
      expect(d.summary.slp.ps).toBe(anchor + first.start * 60);
      expect(first.start).toBeGreaterThan(1440 + 12 * 60); // an afternoon of the record date
    }
  });
});

describe('fake data: the two night conventions', () => {
  it('serves the same night in the evening record (evening-date) as in the next record (wake-date)', () => {
    const wake = store();
    const evening = store({ nightConvention: 'evening-date' });
    let compared = 0;
    for (const e of evening.days(UID, '2025-02-01', '2025-05-31')) {
      const w = wake.day(UID, new Date(Date.parse(`${e.date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10));
      if (!w || !e.summary.slp.stage.length) continue;
      expect(e.summary.slp.stage).toEqual(w.summary.slp.stage);
      expect([e.summary.slp.st, e.summary.slp.ed]).toEqual([w.summary.slp.st, w.summary.slp.ed]);
      // evening-date: minutes relative to the record's own midnight
      expect(e.summary.slp.st - (e.summary.slp.stage[0] as { start: number }).start * 60).toBe(localMidnight(e.date, ZONE));
      compared++;
    }
    expect(compared).toBeGreaterThan(90);
  });

  it("counts odd_stage minutes from the record's own midnight when napAnchor is 'own-midnight'", () => {
    const napDays = store({ napAnchor: 'own-midnight' }).days(UID, '2025-01-01', '2025-12-31').filter((d) => d.summary.slp.odd_stage.length);
    expect(napDays.length).toBeGreaterThan(10);
    for (const d of napDays) {
      const first = d.summary.slp.odd_stage[0] as { start: number };
      expect(first.start).toBeLessThan(1440);
      expect(d.summary.slp.ps).toBe(localMidnight(d.date, ZONE) + first.start * 60);
    }
  });

  it('does not change the minute arrays, only which record owns the night', () => {
    expect(store().day(UID, '2025-04-10')?.hr).toEqual(store({ nightConvention: 'evening-date' }).day(UID, '2025-04-10')?.hr);
  });
});
