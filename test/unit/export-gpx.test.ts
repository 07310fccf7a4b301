// The GPX writer read back by an independent reader (Debian's python3-gpxpy, installed by
// scripts/install-deps.sh): the same points, times, elevations and heart rates as the fake's
// ground truth of the workout (positions forward-filled over dropouts, heart rate held for
// up to HR_HOLD_S seconds, docs/metrics.md "Workouts and weigh-ins").
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeWorkout } from '../../src/decode/workouts/index.js';
import { HR_HOLD_S, workoutToGpx } from '../../src/export/gpx.js';
import { FakeDataStore } from '../../src/fake/data/store.js';
import { detailData, historyItem } from '../../src/fake/data/workout-wire.js';
import { readGpx } from '../support/gpx-reader.js';
import { tempDir } from '../support/tmp.js';

const ZONE = 'Europe/Berlin';
const store = new FakeDataStore({
  seed: 9, from: '2025-10-01', now: () => new Date('2026-01-20T12:00:00Z'), zoneFor: () => ZONE,
  nightConvention: 'wake-date', tzField: 'actual', recordWidth: 3, napAnchor: 'sleep-anchor',
});

describe('GPX export', () => {
  it('python3-gpxpy reads back the ground-truth track: positions, times, elevations, heart rates', () => {
    const w = store.workouts('1000000001').find((x) => x.type === 1 && x.track.some((p) => p.lat === null))!;
    const decoded = decodeWorkout(historyItem(w), detailData(w), { timeZone: ZONE, user: 'u' });
    const file = join(tempDir('gpx-'), 'run.gpx');
    writeFileSync(file, workoutToGpx({ points: decoded.points }));
    const read = readGpx(file);
    expect(read.version).toBe('1.1');
    // Expected from the ground truth: every track point, dropouts at the last known position.
    const hrs = new Map<number, number>();
    for (const s of w.hr) hrs.set(s.t, s.bpm);
    const hrTimes = [...hrs.keys()].sort((a, b) => a - b);
    let lat = 0, lon = 0, alt: number | null = null;
    const expected = w.track.map((p) => {
      if (p.lat !== null && p.lon !== null) [lat, lon] = [p.lat, p.lon];
      if (p.alt !== null) alt = p.alt;
      const last = hrTimes.filter((t) => t <= p.t).at(-1);
      const hr = last !== undefined && p.t - last <= HR_HOLD_S ? hrs.get(last)! : null;
      return [lat / 1e8, lon / 1e8, alt === null ? null : alt / 100, p.t, hr];
    });
    expect(read.points).toEqual(expected);
    expect(read.points.filter((p) => p[4] !== null).length).toBeGreaterThan(w.track.length * 0.9);
  });

  it('writes a valid empty track for an indoor workout', () => {
    const w = store.workouts('1000000001').find((x) => x.type === 10)!;
    const file = join(tempDir('gpx-'), 'indoor.gpx');
    writeFileSync(file, workoutToGpx({ points: decodeWorkout(historyItem(w), detailData(w), { timeZone: ZONE, user: 'u' }).points }));
    const read = readGpx(file);
    expect(read.points).toEqual([]);
  });
});
