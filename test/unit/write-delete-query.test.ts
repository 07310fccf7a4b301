import { describe, expect, it } from 'vitest';
import { influxqlDelete, quoteIdent, quoteString, v2DeleteBody } from '../../src/write/delete-query.js';

describe('influxqlDelete (InfluxDB 1.x)', () => {
  it('deletes one measurement of one user in [start, end)', () => {
    expect(influxqlDelete('alice', { measurement: 'heart_rate', start: 1700000000, end: 1700086400 })).toBe(
      `DELETE FROM "heart_rate" WHERE "user"='alice' AND time >= 1700000000s AND time < 1700086400s`,
    );
  });

  it('adds extra tags sorted by key and never a second user clause', () => {
    expect(
      influxqlDelete('bob', { measurement: 'sleep_stage', start: 10, end: 20, tags: { sleep: 'main', user: 'mallory', phase: 'rem' } }),
    ).toBe(`DELETE FROM "sleep_stage" WHERE "user"='bob' AND "phase"='rem' AND "sleep"='main' AND time >= 10s AND time < 20s`);
  });

  it('escapes quotes and backslashes in identifiers and strings', () => {
    expect(quoteIdent('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(quoteString("o'brien\\x")).toBe("'o\\'brien\\\\x'");
    expect(influxqlDelete("o'brien", { measurement: 'heart_rate', start: 1, end: 2 })).toContain(`"user"='o\\'brien'`);
  });

  it('refuses an empty or non-integer span', () => {
    expect(() => influxqlDelete('a', { measurement: 'heart_rate', start: 5, end: 5 })).toThrow(RangeError);
    expect(() => influxqlDelete('a', { measurement: 'heart_rate', start: 1.5, end: 5 })).toThrow(RangeError);
  });
});

describe('v2DeleteBody (InfluxDB 2.x /api/v2/delete)', () => {
  it('turns the exclusive end into an inclusive stop one nanosecond earlier', () => {
    expect(v2DeleteBody('alice', { measurement: 'activity_daily', start: 1700006400, end: 1700092800 })).toEqual({
      start: '2023-11-15T00:00:00Z',
      stop: '2023-11-15T23:59:59.999999999Z',
      predicate: '_measurement="activity_daily" AND "user"="alice"',
    });
  });

  it('adds extra tags and escapes double quotes in values', () => {
    expect(v2DeleteBody('a"b', { measurement: 'sleep_daily', start: 0, end: 60, tags: { sleep: 'nap' } }).predicate).toBe(
      '_measurement="sleep_daily" AND "user"="a\\"b" AND "sleep"="nap"',
    );
  });
});
