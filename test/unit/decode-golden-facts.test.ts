// Key values of the golden cases computed from first principles (UTC arithmetic and the
// known DST rules), independently of the decoder and of luxon, so a wrong expected.lp
// accepted by UPDATE_GOLDEN=1 is still caught.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeResponse, type DecodedDay } from '../../src/decode/index.js';
import type { Point } from '../../src/schema/point.js';
import { buildResponse, type GoldenInput } from '../golden/make.js';

const utc = (y: number, mo: number, d: number, h = 0, mi = 0): number => Date.UTC(y, mo - 1, d, h, mi) / 1000;

function decodeCase(name: string): { days: DecodedDay[]; points: Point[]; warnings: { code: string }[] } {
  const dir = new URL(`../golden/${name}/`, import.meta.url);
  const input = JSON.parse(readFileSync(new URL('input.json', dir), 'utf8')) as GoldenInput;
  const opts = JSON.parse(readFileSync(new URL('options.json', dir), 'utf8')) as { timeZone: string; user: string };
  const { days, warnings } = decodeResponse(buildResponse(input), opts);
  return { days, points: days.flatMap((d) => d.points), warnings };
}
const times = (ps: Point[], m: string): number[] => ps.filter((p) => p.measurement === m).map((p) => p.time);
const sleepLines = (ps: Point[]): string[] => ps.filter((p) => p.measurement.startsWith('sleep')).map((p) => JSON.stringify(p));

describe('DST days map local wall-clock minutes to the right instants', () => {
  it('Berlin spring forward: the day starts 23:00Z, 02:00–02:59 has no points, 03:00 CEST is 01:00Z', () => {
    const { points, days } = decodeCase('dst-berlin-spring-forward');
    expect(times(points, 'activity_daily')).toEqual([utc(2026, 3, 28, 23)]);
    const hr = times(points, 'heart_rate');
    expect(hr).toContain(utc(2026, 3, 29, 0, 59)); // minute 119 = 01:59 CET
    expect(hr).toContain(utc(2026, 3, 29, 1, 0)); // minute 180 = 03:00 CEST
    expect(hr.filter((t) => t > utc(2026, 3, 29, 0, 59) && t < utc(2026, 3, 29, 1, 0))).toEqual([]);
    expect(hr).toHaveLength(3 + (190 - 110 + 1) - 60); // the 60 missing wall-clock minutes give no point
    const day = days[0]?.spans.find((s) => s.measurement === 'heart_rate');
    expect(day && day.end - day.start).toBe(23 * 3600);
    const night = points.find((p) => p.measurement === 'sleep_daily');
    expect(night?.fields.wake_local_min).toBe(7 * 60); // 420 elapsed minutes from 23:00 CET end at 07:00 CEST
    expect(night?.time).toBe(utc(2026, 3, 29, 5));
  });
  it('Berlin fall back: the repeated 02:xx maps to its first (CEST) occurrence and the day has 25 hours', () => {
    const { points, days } = decodeCase('dst-berlin-fall-back');
    expect(times(points, 'activity_daily')).toEqual([utc(2026, 10, 24, 22)]);
    const hr = times(points, 'heart_rate');
    expect(hr).toContain(utc(2026, 10, 25, 0, 30)); // minute 150 = 02:30 CEST (first occurrence)
    expect(hr).not.toContain(utc(2026, 10, 25, 1, 30)); // 02:30 CET, the second occurrence
    expect(hr).toContain(utc(2026, 10, 25, 2, 0)); // minute 180 = 03:00 CET
    const span = days[0]?.spans.find((s) => s.measurement === 'activity_minute' || s.measurement === 'heart_rate');
    expect(span && span.end - span.start).toBe(25 * 3600);
    expect(points.find((p) => p.measurement === 'sleep_daily')?.time).toBe(utc(2026, 10, 25, 6)); // 07:00 CET
  });
  it('New York spring forward: local midnight is 05:00Z and 03:00 EDT is 07:00Z', () => {
    const { points } = decodeCase('dst-new-york-spring-forward');
    expect(times(points, 'activity_daily')).toEqual([utc(2026, 3, 8, 5)]);
    const hr = times(points, 'heart_rate');
    expect(hr).toContain(utc(2026, 3, 8, 6, 59)); // 01:59 EST
    expect(hr).toContain(utc(2026, 3, 8, 7, 0)); // 03:00 EDT
  });
  it('New York fall back: a stage at 01:30 (repeated) starts at 05:30Z, the EDT occurrence', () => {
    const { points } = decodeCase('dst-new-york-fall-back');
    expect(times(points, 'activity_daily')).toEqual([utc(2026, 11, 1, 4)]);
    expect(times(points, 'activity_stage')).toEqual([utc(2026, 11, 1, 5, 30), utc(2026, 11, 1, 15)]); // 10:00 EST = 15:00Z
  });
  it('a record whose tz is the standard offset in summer still decodes in CEST, without a warning', () => {
    const { points, warnings } = decodeCase('tz-standard-in-summer');
    expect(warnings).toEqual([]);
    expect(times(points, 'activity_daily')).toEqual([utc(2026, 8, 1, 22)]);
    expect(times(points, 'sleep_stage')[0]).toBe(utc(2026, 8, 2, 21, 51)); // 23:51 CEST, as in the 2019 sample
    expect(points.find((p) => p.measurement === 'sleep_daily')?.fields.bedtime_local_min).toBe(1431);
  });
});

describe('night conventions and de-duplication', () => {
  it('the evening-date and the wake-date record of one night give identical sleep points', () => {
    const evening = sleepLines(decodeCase('night-evening-date').points);
    expect(evening.length).toBeGreaterThan(5);
    expect(sleepLines(decodeCase('night-wake-date').points)).toEqual(evening);
    // 23:10 CET on Feb 10 = 22:10Z.
    expect(times(decodeCase('night-wake-date').points, 'sleep_stage')[0]).toBe(utc(2026, 2, 10, 22, 10));
  });
  it('a night carried by two records of one response is emitted once, with its spans on one day only', () => {
    const { days, points } = decodeCase('night-two-records');
    expect(points.filter((p) => p.measurement === 'sleep_daily')).toHaveLength(1);
    expect(days.map((d) => d.spans.filter((s) => s.tags?.sleep === 'main').length)).toEqual([2, 0]);
  });
});

describe('sentinels and partial days', () => {
  it('drops HR 0/254/255 and bytes no heart beats at (1, 253: outside 20–250 bpm), keeps every other byte as bpm', () => {
    const bpm = decodeCase('hr-sentinels').points.filter((p) => p.measurement === 'heart_rate').map((p) => p.fields.bpm);
    expect(bpm).toEqual([60, 61, 199]);
    expect(decodeCase('hr-sentinels').warnings.map((w) => w.code)).toEqual(['VALUE_OUT_OF_RANGE']);
  });
  it('today: no minute points after the last sync, zero-step and not-worn minutes kept', () => {
    const { points } = decodeCase('today-not-synced');
    const lastSync = utc(2026, 1, 16, 12, 20); // minute 800 = 13:20 CET
    const minutes = points.filter((p) => p.measurement === 'activity_minute');
    expect(minutes).toHaveLength(800);
    expect(Math.max(...minutes.map((p) => p.time))).toBe(lastSync - 60);
    expect(Math.max(...times(points, 'heart_rate'))).toBeLessThan(lastSync);
    expect(minutes.filter((p) => p.fields.steps === 0).length).toBeGreaterThan(600);
    expect(minutes.filter((p) => p.fields.kind === 3)).toHaveLength(20);
  });
  it('8-byte minute records give one warning and no activity_minute points, HR still decodes', () => {
    const { points, warnings } = decodeCase('minute-records-8-byte');
    expect(warnings.map((w) => w.code)).toEqual(['DATA_WIDTH']);
    expect(times(points, 'activity_minute')).toEqual([]);
    expect(times(points, 'heart_rate')).toHaveLength(2);
  });
  it('unknown step modes are tagged unknown and keep the raw mode', () => {
    const stages = decodeCase('unknown-step-mode').points.filter((p) => p.measurement === 'activity_stage');
    expect(stages.map((p) => [p.tags.kind, p.fields.mode])).toEqual([
      ['unknown', 76],
      ['unknown', 2],
      ['run', 4],
    ]);
  });
});

describe('malformed input costs only the broken part', () => {
  it.each(['malformed-bad-base64', 'malformed-bad-json'])('%s: the other day still decodes in full', (name) => {
    const { days } = decodeCase(name);
    expect(days.map((d) => d.date)).toEqual(['2026-01-24', '2026-01-25']);
    expect(days[0]?.points.map((p) => p.measurement)).toEqual(['heart_rate']);
    expect(days[1]?.points.some((p) => p.measurement === 'activity_daily')).toBe(true);
  });
  it('strings holding numbers are read, strings holding anything else are warned about', () => {
    const { points, warnings } = decodeCase('malformed-string-numbers');
    const daily = points.find((p) => p.measurement === 'activity_daily');
    expect(daily?.fields).toMatchObject({ steps: 6548, goal_steps: 8000 });
    expect(daily?.fields).not.toHaveProperty('distance_m');
    expect(points.find((p) => p.measurement === 'sleep_daily')?.fields.resting_hr_bpm).toBe(58);
    expect(warnings.map((w) => w.code)).toEqual(['FIELD_INVALID', 'FIELD_INVALID', 'STAGE_INVALID']);
  });
});

describe('activity_hourly sums the minute data per local wall-clock hour', () => {
  // The local hour of an instant from Intl (not luxon, not the decoder), as two digits.
  const berlinHour = (t: number): string =>
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', hourCycle: 'h23' }).format(new Date(t * 1000));
  const hourly = (ps: Point[]): Point[] => ps.filter((p) => p.measurement === 'activity_hourly');
  const stepsOf = (ps: Point[]): number => ps.reduce((a, p) => a + Number(p.fields.steps), 0);
  /** Every minute point's Intl local hour is the hour tag of the hourly point covering it, and the steps add up per hour. */
  function expectMinutesFoldIntoTheirHour(points: Point[]): void {
    const minutes = points.filter((p) => p.measurement === 'activity_minute');
    const byHour = new Map<string, number>();
    for (const m of minutes) byHour.set(berlinHour(m.time), (byHour.get(berlinHour(m.time)) ?? 0) + Number(m.fields.steps));
    const hours = hourly(points);
    expect(Object.fromEntries(hours.map((h) => [h.tags.hour, h.fields.steps]))).toEqual(Object.fromEntries(byHour));
    for (const m of minutes) {
      const covering = hours.filter((h) => h.time <= m.time).at(-1);
      expect(covering?.tags.hour, `minute at ${m.time}`).toBe(berlinHour(m.time));
    }
    for (const h of hours) expect(berlinHour(h.time)).toBe(h.tags.hour);
  }

  it('today: hours in the not-synced tail give no point, synced zero-step hours do, and the day adds up', () => {
    const { points, days } = decodeCase('today-not-synced');
    const hours = hourly(points);
    // input.json: minutes 0–799 synced (800 = 13:20 CET is the last sync), 15 × 47 and 11 × 12 steps.
    expect(hours.map((p) => p.tags.hour)).toEqual(['00', '01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '13']);
    expect(stepsOf(hours)).toBe(15 * 47 + 11 * 12);
    expect(stepsOf(hours)).toBe(stepsOf(points.filter((p) => p.measurement === 'activity_minute')));
    expect(hours.find((p) => p.tags.hour === '08')?.fields).toMatchObject({ steps: 15 * 47, active_min: 15 });
    expect(hours.find((p) => p.tags.hour === '03')?.fields).toMatchObject({ steps: 0, active_min: 0 });
    expect(hours[0]?.time).toBe(utc(2026, 1, 15, 23)); // 00:00 CET
    const span = days[0]?.spans.find((s) => s.measurement === 'activity_hourly');
    expect(span && [span.start, span.end]).toEqual([utc(2026, 1, 15, 23), utc(2026, 1, 16, 23)]);
    expectMinutesFoldIntoTheirHour(points);
  });

  it('Berlin spring forward: no point for the skipped 02:xx, 03:00 CEST is 01:00Z, the partly synced hour counts its synced minutes', () => {
    const { points } = decodeCase('hourly-dst-berlin-spring-forward');
    const hours = hourly(points);
    expect(hours.map((p) => p.tags.hour)).not.toContain('02');
    expect(hours).toHaveLength(20); // 00, 01, 03…20: 02 does not exist, 21–23 are not synced yet
    expect(hours.find((p) => p.tags.hour === '01')).toMatchObject({ time: utc(2026, 3, 29, 0), fields: { steps: 100, active_min: 10, hr_avg_bpm: 81 } }); // (80 + 81) / 2 rounds up
    expect(hours.find((p) => p.tags.hour === '03')).toMatchObject({ time: utc(2026, 3, 29, 1), fields: { steps: 35, active_min: 5, hr_avg_bpm: 90 } });
    expect(hours.find((p) => p.tags.hour === '20')).toMatchObject({ time: utc(2026, 3, 29, 18), fields: { steps: 30, active_min: 10 } });
    expect(hours.find((p) => p.tags.hour === '04')?.fields).toEqual({ steps: 0, active_min: 0 }); // no HR reading: no hr_avg_bpm
    // The 99-step records that input.json puts into the skipped hour count nowhere: the day is stp.ttl.
    expect(stepsOf(hours)).toBe(165);
    expectMinutesFoldIntoTheirHour(points);
  });

  it('Berlin fall back: the repeated 02:xx is one point at its first (CEST) occurrence, 03:00 CET two hours later, 24 points in 25 hours', () => {
    const { points, days } = decodeCase('hourly-dst-berlin-fall-back');
    const hours = hourly(points);
    expect(hours).toHaveLength(24);
    expect(hours.find((p) => p.tags.hour === '02')).toMatchObject({ time: utc(2026, 10, 25, 0), fields: { steps: 60, active_min: 30, hr_avg_bpm: 70 } });
    expect(hours.find((p) => p.tags.hour === '03')).toMatchObject({ time: utc(2026, 10, 25, 2), fields: { steps: 14, active_min: 2, hr_avg_bpm: 72 } });
    expect(hours.find((p) => p.tags.hour === '23')?.time).toBe(utc(2026, 10, 25, 22)); // 23:00 CET
    expect(stepsOf(hours)).toBe(124);
    const span = days[0]?.spans.find((s) => s.measurement === 'activity_hourly');
    expect(span && span.end - span.start).toBe(25 * 3600);
    expectMinutesFoldIntoTheirHour(points);
  });

  it('8-byte minute records give no activity_hourly points and own no activity_hourly span', () => {
    const { points, days } = decodeCase('minute-records-8-byte');
    expect(hourly(points)).toEqual([]);
    expect(days[0]?.spans.map((s) => s.measurement)).not.toContain('activity_hourly');
  });
});
