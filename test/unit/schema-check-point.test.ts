// checkPoint (src/schema/check.ts): the schema a written point must satisfy, hand-picked cases.
import { describe, expect, it } from 'vitest';
import { checkField, checkPoint } from '../../src/schema/check.js';
import type { Point } from '../../src/schema/point.js';

const hr = (bpm: unknown, time: unknown = 1768434000): Point => ({ measurement: 'heart_rate', tags: { user: 'alice' }, fields: { bpm: bpm as number }, time: time as number });
const kinds = (p: Point) => checkPoint(p).map((x) => `${x.where}:${x.key}${x.kind ? `:${x.kind}` : ''}`);

describe('checkPoint', () => {
  it('accepts a valid point, the range ends included', () => {
    expect(checkPoint(hr(60))).toEqual([]);
    expect(checkPoint(hr(20))).toEqual([]);
    expect(checkPoint(hr(250))).toEqual([]);
  });

  it('rejects values outside the physical range, unsafe integers, NaN and non-numbers', () => {
    expect(kinds(hr(19))).toEqual(['field:bpm:range']);
    expect(kinds(hr(251))).toEqual(['field:bpm:range']);
    expect(kinds(hr(2 ** 53))).toEqual(['field:bpm:type']);
    expect(kinds(hr(60.5))).toEqual(['field:bpm:type']);
    expect(kinds(hr(Number.NaN))).toEqual(['field:bpm:type']);
    expect(kinds(hr('60'))).toEqual(['field:bpm:type']);
    expect(checkPoint(hr(19))[0]?.message).toBe('heart_rate.bpm = 19 is outside 20–250 bpm');
  });

  it('rejects a non-finite float and accepts a finite one', () => {
    expect(checkField('sync_run', 'duration_s', 1.5)).toBeUndefined();
    expect(checkField('sync_run', 'duration_s', Number.POSITIVE_INFINITY)?.kind).toBe('type');
  });

  it('holds sleep minutes to a day and epoch fields to 2000–2099', () => {
    expect(checkField('sleep_daily', 'asleep_min', 1440)).toBeUndefined();
    expect(checkField('sleep_daily', 'asleep_min', 1441)?.kind).toBe('range');
    expect(checkField('sleep_daily', 'bedtime_local_min', Number.NaN)?.kind).toBe('type');
    expect(checkField('sleep_daily', 'start_s', 946684800)).toBeUndefined(); // 2000-01-01T00:00:00Z
    expect(checkField('sleep_daily', 'start_s', 946684799)?.kind).toBe('range');
    expect(checkField('activity_daily', 'band_sync_s', 1768460000000)?.kind).toBe('range'); // milliseconds
  });

  it('rejects a time that is not integer epoch seconds of 2000–2099', () => {
    expect(kinds(hr(60, 1768434000.5))).toEqual(['time:time']);
    expect(kinds(hr(60, 1768434000000))).toEqual(['time:time']);
    expect(kinds(hr(60, 4102444800))).toEqual(['time:time']); // 2100-01-01
  });

  it('rejects undeclared fields and tags, tag values outside the list, an empty user and no fields', () => {
    expect(kinds({ ...hr(60), fields: { bpm: 60, spo2: 97 } })).toEqual(['field:spo2:undeclared']);
    expect(kinds({ ...hr(60), tags: { user: 'alice', device: 'x' } })).toEqual(['tag:device']);
    expect(kinds({ measurement: 'sleep_stage', tags: { user: 'a', phase: 'dream', sleep: 'main' }, fields: { duration_min: 5 }, time: 1768434000 })).toEqual(['tag:phase']);
    expect(kinds({ ...hr(60), tags: { user: '' } })).toEqual(['tag:user']);
    expect(kinds({ ...hr(60), tags: {} })).toEqual(['tag:user']);
    expect(kinds({ ...hr(60), fields: {} })).toEqual(['fields:']);
    expect(kinds({ ...hr(60), measurement: 'hr' as Point['measurement'] })).toEqual(['measurement:hr']);
  });
});
