// Merged deletes of a group of rewritten days: hand-made spans, hand-computed ranges.
import { describe, expect, it } from 'vitest';
import { mergeSpans, notCovered } from '../../src/sync/spans.js';
import type { DaySpan } from '../../src/decode/index.js';

const DAY = 86_400;
const hr = (start: number, end: number): DaySpan => ({ measurement: 'heart_rate', start, end });

describe('mergeSpans', () => {
  it('merges the spans of three consecutive days into one range', () => {
    expect(mergeSpans([hr(0, DAY), hr(DAY, 2 * DAY), hr(2 * DAY, 3 * DAY)], [])).toEqual([hr(0, 3 * DAY)]);
  });

  it('bridges a gap that holds nothing of another day', () => {
    expect(mergeSpans([hr(0, 100), hr(5 * DAY, 5 * DAY + 100)], [])).toEqual([hr(0, 5 * DAY + 100)]);
  });

  it('does not bridge a gap where a day outside the group owns points', () => {
    const other = hr(2 * DAY, 3 * DAY);
    expect(mergeSpans([hr(0, DAY), hr(4 * DAY, 5 * DAY)], [other])).toEqual([hr(0, DAY), hr(4 * DAY, 5 * DAY)]);
  });

  it('keeps measurements and tag sets apart', () => {
    const main: DaySpan = { measurement: 'sleep_stage', start: 0, end: 10, tags: { sleep: 'main' } };
    const nap: DaySpan = { measurement: 'sleep_stage', start: 20, end: 30, tags: { sleep: 'nap' } };
    const main2: DaySpan = { measurement: 'sleep_stage', start: 40, end: 50, tags: { sleep: 'main' } };
    // The nap of the same day lies in main's gap but is another series: it does not block it.
    expect(mergeSpans([main, nap, main2, hr(0, 5)], [])).toEqual([{ ...main, end: 50 }, nap, hr(0, 5)]);
    // A main-sleep span of another day in the gap does.
    expect(mergeSpans([main, main2], [{ measurement: 'sleep_stage', start: 15, end: 25, tags: { sleep: 'main' } }])).toEqual([main, main2]);
  });

  it('a blocker that only touches the gap border does not block', () => {
    expect(mergeSpans([hr(0, 10), hr(20, 30)], [hr(30, 40), hr(5, 10)])).toEqual([hr(0, 30)]);
  });
});

describe('notCovered', () => {
  it('keeps only the spans no range of the same series contains whole', () => {
    const ranges = [hr(0, 3 * DAY), { measurement: 'sleep_stage' as const, start: 0, end: DAY, tags: { sleep: 'main' } }];
    const inside = hr(DAY, 2 * DAY);
    const over = hr(2 * DAY, 4 * DAY); // sticks out of the range: still to delete
    const nap: DaySpan = { measurement: 'sleep_stage', start: 10, end: 20, tags: { sleep: 'nap' } }; // another series
    const main: DaySpan = { measurement: 'sleep_stage', start: 10, end: 20, tags: { sleep: 'main' } };
    expect(notCovered([inside, over, nap, main], ranges)).toEqual([over, nap]);
    expect(notCovered([inside], [])).toEqual([inside]);
  });
});
