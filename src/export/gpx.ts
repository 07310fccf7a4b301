// A pure GPX 1.1 writer for one decoded workout (docs/metrics.md `workout_sample`): one track
// point per sample that has a position, with its time, elevation (`altitude_m`) and heart rate
// as the Garmin TrackPointExtension v1 (`gpxtpx:hr`). Heart rate comes at other instants than
// positions: a point carries the sample at its own instant, else the latest one at most
// HR_HOLD_S seconds before it. No I/O: the caller writes the string where it wants.
import type { Point } from '../schema/point.js';

/** How long a heart-rate reading is held for the track points after it, seconds. */
export const HR_HOLD_S = 10;

export interface GpxInput {
  /** The decoded points of one workout (`workout` and `workout_sample`; others are ignored). */
  points: readonly Point[];
  /** Track name; default "<sport> <start ISO>". */
  name?: string;
  creator?: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const iso = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The GPX 1.1 document of one workout's track (a track without points when it has no positions). */
export function workoutToGpx(input: GpxInput): string {
  const samples = input.points.filter((p) => p.measurement === 'workout_sample').slice().sort((a, b) => a.time - b.time);
  const summary = input.points.find((p) => p.measurement === 'workout');
  const start = summary?.time ?? samples[0]?.time;
  const sport = summary?.tags.sport ?? samples[0]?.tags.sport ?? 'workout';
  const name = input.name ?? `${sport}${start !== undefined ? ` ${iso(start)}` : ''}`;
  const lines: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<gpx version="1.1" creator="${esc(input.creator ?? 'mifit-sync')}" xmlns="http://www.topografix.com/GPX/1/1" xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.topografix.com/GPX/1/1 http://www.topografix.com/GPX/1/1/gpx.xsd">`,
    '  <metadata>',
    `    <name>${esc(name)}</name>`,
    ...(start !== undefined ? [`    <time>${iso(start)}</time>`] : []),
    '  </metadata>',
    '  <trk>',
    `    <name>${esc(name)}</name>`,
    `    <type>${esc(sport)}</type>`,
    '    <trkseg>',
  ];
  let hr: { t: number; bpm: number } | undefined;
  for (const p of samples) {
    const bpm = num(p.fields.bpm);
    if (bpm !== undefined) hr = { t: p.time, bpm };
    const lat = num(p.fields.lat), lon = num(p.fields.lon);
    if (lat === undefined || lon === undefined) continue;
    const ele = num(p.fields.altitude_m);
    const held = hr && p.time - hr.t <= HR_HOLD_S ? hr.bpm : undefined;
    lines.push(`      <trkpt lat="${lat}" lon="${lon}">`);
    if (ele !== undefined) lines.push(`        <ele>${ele}</ele>`);
    lines.push(`        <time>${iso(p.time)}</time>`);
    if (held !== undefined) lines.push('        <extensions>', '          <gpxtpx:TrackPointExtension>', `            <gpxtpx:hr>${held}</gpxtpx:hr>`, '          </gpxtpx:TrackPointExtension>', '        </extensions>');
    lines.push('      </trkpt>');
  }
  lines.push('    </trkseg>', '  </trk>', '</gpx>', '');
  return lines.join('\n');
}
