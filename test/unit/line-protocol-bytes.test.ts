// encodeLines (the writer's and the sync's serialiser: lines written as bytes into a reused
// buffer) against lines written out by hand, and as strict as toLine: the same
// SchemaViolationError for every kind of bad point.
import { describe, expect, it } from 'vitest';
import { encodeLines, SchemaViolationError, tagValue, toLine, toLines } from '../../src/schema/line-protocol.js';
import type { Point } from '../../src/schema/point.js';

const run = (fields: Point['fields'], user = 'anna', time = 1_700_000_000): Point => ({ measurement: 'sync_run', tags: { user }, fields, time });

describe('encodeLines', () => {
  it('writes the lines written out by hand, byte for byte, each ending in a newline', () => {
    const points: Point[] = [
      { measurement: 'activity_minute', tags: { user: 'anna' }, fields: { steps: 87, intensity: 41, kind: 1, raw_kind: 17 }, time: 1_767_225_600 },
      { measurement: 'sleep_stage', tags: { phase: 'deep', user: 'anna', sleep: 'main' }, fields: { mode: 5, phase_code: 5, duration_min: 30 }, time: 1_767_229_200 },
      // Floats: integral ones keep `.0` (also -0 and 1e21), others their shortest form; integers: negative, past 2^31.
      run({ duration_s: 12, days_behind: -3, last_data_s: 4_102_444_799, points: 0 }),
      run({ duration_s: -0, points: 2_147_483_648 }),
      run({ duration_s: 0.1 + 0.2, points: 2_147_483_647 }),
      run({ duration_s: 1e21, points: 9_007_199_254_740_991 }),
      run({ duration_s: 2.5e-7, points: -9_007_199_254_740_991 }),
      // Escaping: tag values (comma, equals, space, backslash), string fields (quote, backslash); UTF-8.
      run({ error_code: 'a"b\\c', timezone: 'Europe/Zürich' }, 'Jürgen, B=1 \\x'),
      // An empty tag value is left out.
      run({ points: 1 }, ''),
      { measurement: 'workout_sample', tags: { user: 'anna', sport: 'outdoor_run', track: '1767225600' }, fields: { bpm: 151, lat: 52.51234567, lon: 13.40000001, altitude_m: 34.25, speed_mps: 3.3333333333333335 }, time: 1_767_225_601 },
    ];
    const expected = [
      'activity_minute,user=anna intensity=41i,kind=1i,raw_kind=17i,steps=87i 1767225600',
      'sleep_stage,phase=deep,sleep=main,user=anna duration_min=30i,mode=5i,phase_code=5i 1767229200',
      'sync_run,user=anna days_behind=-3i,duration_s=12.0,last_data_s=4102444799i,points=0i 1700000000',
      'sync_run,user=anna duration_s=0.0,points=2147483648i 1700000000',
      'sync_run,user=anna duration_s=0.30000000000000004,points=2147483647i 1700000000',
      'sync_run,user=anna duration_s=1e+21.0,points=9007199254740991i 1700000000',
      'sync_run,user=anna duration_s=2.5e-7,points=-9007199254740991i 1700000000',
      'sync_run,user=Jürgen\\,\\ B\\=1\\ \\\\x error_code="a\\"b\\\\c",timezone="Europe/Zürich" 1700000000',
      'sync_run points=1i 1700000000',
      'workout_sample,sport=outdoor_run,track=1767225600,user=anna altitude_m=34.25,bpm=151i,lat=52.51234567,lon=13.40000001,speed_mps=3.3333333333333335 1767225601',
    ];
    const bytes = encodeLines(points);
    expect(bytes.equals(Buffer.from(`${expected.join('\n')}\n`, 'utf8'))).toBe(true);
    // toLine and toLines are the same lines.
    expect(points.map(toLine)).toEqual(expected);
    expect(toLines(points)).toBe(expected.join('\n'));
    // A range of the points, and a second call (the buffer is reused) gives the same bytes.
    expect(encodeLines(points, 2, 4).toString('utf8')).toBe(`${expected[2]}\n${expected[3]}\n`);
    expect(encodeLines(points).equals(bytes)).toBe(true);
    expect(encodeLines([]).length).toBe(0);
  });

  it('rejects every bad point with the SchemaViolationError toLine gives', () => {
    const bad: [Point, string][] = [
      [{ measurement: 'heart_rate', tags: { user: 'u' }, fields: { bpm: 60.5 }, time: 1 }, 'heart_rate.bpm must be an integer, got 60.5'],
      [{ measurement: 'heart_rate', tags: { user: 'u' }, fields: { bpm: 2 ** 53 }, time: 1 }, 'heart_rate.bpm must be an integer, got 9007199254740992'],
      [{ measurement: 'heart_rate', tags: { user: 'u' }, fields: { pulse: 60 }, time: 1 }, 'heart_rate.pulse is not declared in src/schema/measurements.ts'],
      [{ measurement: 'heart_rate', tags: { user: 'u', pulse: 'x' }, fields: { bpm: 60 }, time: 1 }, 'heart_rate has no tag pulse'],
      [run({ duration_s: Number.NaN }), 'sync_run.duration_s must be a finite number, got NaN'],
      [run({ duration_s: '3' }), 'sync_run.duration_s must be a finite number, got 3'],
      [run({ error_code: 3 }), 'sync_run.error_code must be a string'],
      [run({}), 'sync_run point at 1700000000 has no fields'],
      [run({ points: 1 }, 'u', 1.5), 'sync_run time must be integer epoch seconds'],
      [{ measurement: 'pulse' as Point['measurement'], tags: { user: 'u' }, fields: { bpm: 60 }, time: 1 }, 'unknown measurement pulse'],
    ];
    const good: Point = { measurement: 'heart_rate', tags: { user: 'u' }, fields: { bpm: 60 }, time: 1 };
    for (const [p, message] of bad) {
      expect(() => toLine(p)).toThrow(message);
      // Also after good lines in the same call, and the next call starts clean.
      const err = (() => {
        try {
          encodeLines([good, p, good]);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(err).toBeInstanceOf(SchemaViolationError);
      expect((err as Error).message).toBe(message);
      expect(encodeLines([good]).toString()).toBe('heart_rate,user=u bpm=60i 1\n');
    }
  });

  it('keeps each cached tag value in its own allocation, not a slice that pins a shared Buffer pool', () => {
    // A workout's `track` tag is new for every workout: a cached slice of Buffer's 64 KiB pool
    // kept the whole pool alive (28 MB outside the heap in a 10-year backfill).
    for (const v of ['1700000000', 'anna', 'Zürich, Süd=1']) {
      const bytes = tagValue(v);
      expect(bytes.byteLength).toBeGreaterThan(0);
      expect(bytes.buffer.byteLength).toBe(bytes.byteLength);
      expect(bytes.byteOffset).toBe(0);
    }
    expect(Buffer.from(tagValue('Zürich, Süd=1')).toString()).toBe('Zürich\\,\\ Süd\\=1');
  });
});
