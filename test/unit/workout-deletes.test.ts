import { describe, expect, it } from 'vitest';
import { trackDeletes } from '../../src/sync/workouts.js';
import type { DaySpan } from '../../src/decode/index.js';
import type { WorkoutState } from '../../src/store/workouts.js';

const DAY = 86_400;
const WEEK = 7 * DAY;
const t1 = 1_700_000_000;
const t2 = t1 + 3600;
const t3 = t1 + 10 * DAY;
// What a workout owns (docs/metrics.md "Workouts and weigh-ins"): its summary second and 7 days of samples.
const own = (t: number): DaySpan[] => [
  { measurement: 'workout', start: t, end: t + 1, tags: { track: String(t) } },
  { measurement: 'workout_sample', start: t, end: t + WEEK, tags: { track: String(t) } },
];
const kept = (t: number, user = 'anna'): WorkoutState => ({ trackid: String(t), date: '', hash: 'h', writtenAt: 1, spans: own(t), points: 10, user });
const sortSpans = (s: DaySpan[]) => [...s].sort((a, b) => a.measurement.localeCompare(b.measurement) || a.start - b.start);

describe('trackDeletes', () => {
  it('merges every rewritten workout into one range per measurement when no other workout is near', () => {
    const out = trackDeletes([...own(t1), ...own(t2), ...own(t3)], [kept(t1 + 20 * DAY)], new Set(), 'anna');
    expect(sortSpans(out)).toEqual([
      { measurement: 'workout', start: t1, end: t3 + 1, tags: {} },
      { measurement: 'workout_sample', start: t1, end: t3 + WEEK, tags: {} },
    ]);
  });

  it('keeps the track tag where a workout left alone overlaps, and never bridges a gap that holds one', () => {
    const k = t1 + 5 * DAY; // its samples [t1+5d, t1+12d) overlap all three sample spans
    const out = trackDeletes([...own(t1), ...own(t2), ...own(t3)], [kept(k)], new Set(), 'anna');
    expect(sortSpans(out)).toEqual([
      { measurement: 'workout', start: t1, end: t2 + 1, tags: {} },
      { measurement: 'workout', start: t3, end: t3 + 1, tags: {} },
      ...own(t1).slice(1),
      ...own(t2).slice(1),
      ...own(t3).slice(1),
    ]);
  });

  it('does not let a rewritten workout block the others (its own points go anyway)', () => {
    const out = trackDeletes([...own(t1), ...own(t2)], [kept(t1), kept(t2)], new Set([String(t1), String(t2)]), 'anna');
    expect(sortSpans(out)).toEqual([
      { measurement: 'workout', start: t1, end: t2 + 1, tags: {} },
      { measurement: 'workout_sample', start: t1, end: t2 + WEEK, tags: {} },
    ]);
  });

  it('ignores a workout last written under another user tag (the delete names this one)', () => {
    const out = trackDeletes([...own(t1), ...own(t2)], [kept(t1 + DAY, 'old-name')], new Set(), 'anna');
    expect(out).toHaveLength(2);
    expect(out.every((s) => Object.keys(s.tags ?? {}).length === 0)).toBe(true);
  });
});
