// Property test: random valid days and random corruptions of them. The decoder never throws,
// never emits a point outside what its day owns, never emits a field of another type than the
// schema declares, and on consistent payloads the stage durations add up to the daily totals.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { decodeItem, decodeResponse, type DecodedDay } from '../../src/decode/index.js';
import { MEASUREMENTS, type FieldSpec } from '../../src/schema/measurements.js';
import { toLine } from '../../src/schema/line-protocol.js';
import type { Point } from '../../src/schema/point.js';
import { corrupt, generateDay, rng } from '../support/decode-gen.js';

const RUNS = 250;
const SLEEP = new Set(['sleep_daily', 'sleep_stage']);

function checkTypes(points: Point[]): void {
  // Problems are collected and asserted once: an expect() per field would dominate the run time.
  const problems: string[] = [];
  for (const p of points) {
    const spec = MEASUREMENTS[p.measurement];
    for (const [k, v] of Object.entries(p.fields)) {
      const f = (spec.fields as Record<string, FieldSpec>)[k];
      if (!f) problems.push(`${p.measurement}.${k} undeclared`);
      else if (f.type === 'integer' && !Number.isSafeInteger(v)) problems.push(`${p.measurement}.${k}=${String(v)} not an integer`);
    }
    for (const k of Object.keys(p.tags)) if (!(k in spec.tags)) problems.push(`${p.measurement} tag ${k}`);
    if (!p.tags.user) problems.push(`${p.measurement} without user`);
    try {
      toLine(p);
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  expect(problems).toEqual([]);
}

// Every point lies in a span of its own day for its measurement whose tags it carries; points
// other than sleep lie inside the record's local day (computed here with luxon directly).
function checkOwnership(day: DecodedDay, zone: string): void {
  const start = DateTime.fromISO(day.date, { zone }).startOf('day');
  const window = { start: start.toSeconds(), end: start.plus({ days: 1 }).startOf('day').toSeconds() };
  const problems: string[] = [];
  for (const p of day.points) {
    const owned = day.spans.some(
      (s) => s.measurement === p.measurement && p.time >= s.start && p.time < s.end && Object.entries(s.tags ?? {}).every(([k, v]) => p.tags[k] === v),
    );
    if (!owned) problems.push(`${day.date} ${p.measurement} ${p.time} has no span`);
    if (!SLEEP.has(p.measurement) && (p.time < window.start || p.time >= window.end)) problems.push(`${day.date} ${p.measurement} ${p.time} outside the day`);
  }
  expect(problems).toEqual([]);
}

function checkTotals(points: Point[]): void {
  for (const kind of ['main', 'nap']) {
    const daily = points.filter((p) => p.measurement === 'sleep_daily' && p.tags.sleep === kind);
    for (const d of daily) {
      const stages = points.filter((p) => p.measurement === 'sleep_stage' && p.tags.sleep === kind && p.time >= (d.fields.start_s as number) && p.time <= d.time);
      const sum = (phase: string) => stages.filter((p) => p.tags.phase === phase).reduce((a, p) => a + (p.fields.duration_min as number), 0);
      for (const phase of ['deep', 'light', 'rem', 'awake']) expect(d.fields[`${phase}_min`] ?? 0).toBe(sum(phase));
      expect(d.fields.in_bed_min).toBe(stages.reduce((a, p) => a + (p.fields.duration_min as number), 0));
      expect(stages.at(-1)?.tags.phase).toBe('end');
      expect(stages.at(-1)?.time).toBe(d.fields.end_s);
    }
  }
}

describe('decoder properties', () => {
  it(`${RUNS} random valid days decode without warnings, inside their spans, with schema types and consistent totals`, () => {
    const r = rng(20260101);
    for (let i = 0; i < RUNS; i++) {
      const g = generateDay(r);
      const day = decodeItem(g.item, { timeZone: g.zone, user: 'u' });
      expect(day.warnings, `${g.zone} ${g.date} ${g.convention}`).toEqual(g.item.data && Buffer.from(String(g.item.data), 'base64').length === 11520 ? [expect.objectContaining({ code: 'DATA_WIDTH' })] : []);
      checkTypes(day.points);
      checkOwnership(day, g.zone);
      checkTotals(day.points);
      expect(day.points.some((p) => p.measurement === 'sleep_daily' && p.tags.sleep === 'main')).toBe(g.hasNight);
    }
  });

  it(`${RUNS} random corruptions never throw, never mislabel the day, and keep types and ownership`, () => {
    const r = rng(7);
    for (let i = 0; i < RUNS; i++) {
      const g = generateDay(r);
      const bad = corrupt(g, r);
      let day: DecodedDay | undefined;
      expect(() => (day = decodeItem(bad, { timeZone: g.zone, user: 'u' }))).not.toThrow();
      if (!day) continue;
      checkTypes(day.points);
      if (day.date === g.date) checkOwnership(day, g.zone);
      else expect(day.points).toEqual([]);
      for (const w of day.warnings) expect(w.day).toBe(day.date);
    }
  });

  it('a multi-day response never gives two days overlapping spans of the same measurement and tags', () => {
    const r = rng(99);
    for (let i = 0; i < 40; i++) {
      const zone = 'Europe/Berlin';
      const days = Array.from({ length: 4 }, () => generateDay(r)).map((g, k) => ({ ...g.item, date_time: DateTime.fromISO('2026-03-27').plus({ days: k }).toISODate() }));
      const { days: decoded } = decodeResponse({ code: 1, data: days }, { timeZone: zone, user: 'u' });
      const spans = decoded.flatMap((d, k) => d.spans.map((s) => ({ ...s, k })));
      for (const a of spans)
        for (const b of spans)
          if (a.k < b.k && a.measurement === b.measurement && JSON.stringify(a.tags ?? {}) === JSON.stringify(b.tags ?? {}) && !SLEEP.has(a.measurement))
            expect(a.end <= b.start || b.end <= a.start, `${a.measurement} days ${a.k}/${b.k}`).toBe(true);
    }
  });
});
