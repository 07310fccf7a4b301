// Whole-range deletes for a group of rewritten days: InfluxDB overwrites a point with the same
// series and timestamp, so the cost of a rewrite is in the DELETE statements, one per span
// and day until now. Spans of the same measurement and tags are merged into one range when
// they overlap or touch, and a gap between them is bridged as well when no other day this
// account knows of (its state's spans) owns anything in it: a day without a state file has
// no point of ours (docs/architecture.md "Day life cycle"). Pure.
import type { DaySpan } from '../decode/index.js';

const groupKey = (s: DaySpan): string => JSON.stringify([s.measurement, Object.entries(s.tags ?? {}).sort()]);

/** Spans by measurement and tags; with `only`, spans of other keys are left out. */
function byGroup(spans: Iterable<DaySpan>, only?: ReadonlyMap<string, unknown>): Map<string, DaySpan[]> {
  const out = new Map<string, DaySpan[]>();
  for (const s of spans) {
    const k = groupKey(s);
    if (only && !only.has(k)) continue;
    const list = out.get(k);
    if (list) list.push(s);
    else out.set(k, [s]);
  }
  return out;
}

/**
 * The fewest ranges that cover every span of `spans` and touch nothing of `others` (spans of
 * days not in the group) that the spans themselves do not already cover.
 */
export function mergeSpans(spans: readonly DaySpan[], others: Iterable<DaySpan>): DaySpan[] {
  const byKey = byGroup(spans);
  const blockers = byGroup(others, byKey);
  const out: DaySpan[] = [];
  for (const [k, list] of byKey) {
    const sorted = [...list].sort((a, b) => a.start - b.start || a.end - b.end);
    const block = blockers.get(k) ?? [];
    let cur: DaySpan | undefined;
    for (const s of sorted) {
      if (cur && (s.start <= cur.end || !block.some((b) => b.start < s.start && b.end > cur!.end))) {
        // Overlapping, touching, or a gap that holds nothing of another day: one range.
        if (s.end > cur.end) cur = { ...cur, end: s.end };
        continue;
      }
      if (cur) out.push(cur);
      cur = { ...s };
    }
    if (cur) out.push(cur);
  }
  return out;
}

/** The spans of `spans` that no range of `ranges` (same measurement and tags) contains whole. */
export function notCovered(spans: readonly DaySpan[], ranges: readonly DaySpan[]): DaySpan[] {
  if (ranges.length === 0) return [...spans];
  const byKey = byGroup(ranges);
  return spans.filter((s) => !(byKey.get(groupKey(s)) ?? []).some((r) => r.start <= s.start && r.end >= s.end));
}
