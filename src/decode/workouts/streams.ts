// The detail streams of a workout (docs/metrics.md "Workouts and weigh-ins"): records joined by
// `;` (a trailing `;` and empty records are skipped), components by `,`. `time` holds Δ seconds
// per track point (summed onto `trackid`), `longitude_latitude` Δ latitude, Δ longitude in 1e-8
// degree (summed; latitude first), `altitude` absolute centimetres, `heart_rate` `Δt,Δbpm` pairs
// (the first pair counts from `trackid` and from 0 bpm; an empty Δt is 1; Δt 0 is the same
// second, the later value wins), `pause` `start,duration,…`. -2000000 means "no value": the
// last known value carries on (forward fill) and is never a value itself.
import { numberOf, STREAM_NO_VALUE, type Sink } from './common.js';

/** The records of a stream, each split into components; undefined when the field is not a string. */
export function records(v: unknown): string[][] | undefined {
  if (typeof v !== 'string') return undefined;
  return v.split(';').filter((r) => r.trim() !== '').map((r) => r.split(','));
}

/** One decoded sample: an instant and what was measured at it. */
export interface TrackSample { t: number; lat?: number; lon?: number; altitudeM?: number; real: boolean }
export interface HrSample { t: number; bpm: number }
export interface Pause { start: number; end: number }

const comp = (r: string[], i: number): number | undefined => numberOf(r[i]);

/** Track points (outdoor sports) at their true instants; forward-filled where the watch sent the sentinel. */
export function decodeTrack(detail: Record<string, unknown>, trackid: number, sink: Sink): TrackSample[] {
  const time = records(detail.time) ?? [];
  const pos = records(detail.longitude_latitude) ?? [];
  const alt = records(detail.altitude) ?? [];
  if (time.length === 0) return [];
  if (pos.length !== time.length && pos.length > 0) sink.warn('TRACK_LENGTHS', `longitude_latitude has ${pos.length} records, time ${time.length}: positions past the shorter are left out`);
  const out: TrackSample[] = [];
  let t = trackid, lat = 0, lon = 0, known = false, altCm: number | undefined;
  let badTime = 0;
  for (let k = 0; k < time.length; k++) {
    const dt = comp(time[k] ?? [], 0);
    const p = pos[k];
    const dLat = p ? comp(p, 0) : undefined;
    const dLon = p ? comp(p, 1) : undefined;
    const real = dLat !== undefined && dLon !== undefined && dLat !== STREAM_NO_VALUE && dLon !== STREAM_NO_VALUE;
    if (real) {
      lat += dLat;
      lon += dLon;
      known = true;
    }
    const a = alt[k] ? comp(alt[k] ?? [], 0) : undefined;
    if (a !== undefined && a !== STREAM_NO_VALUE) altCm = a;
    if (dt === undefined || dt === STREAM_NO_VALUE || dt < 0) {
      badTime++;
      continue; // no instant for this point; its position delta still counts
    }
    t += dt;
    const s: TrackSample = { t, real: real && known };
    if (known) {
      s.lat = lat / 1e8;
      s.lon = lon / 1e8;
    }
    if (altCm !== undefined) s.altitudeM = altCm / 100;
    out.push(s);
  }
  if (badTime > 0) sink.warn('TRACK_TIME_INVALID', `time: ${badTime} record(s) without a valid Δ seconds, their points left out`);
  return out;
}

/** Heart-rate samples, one per instant (the last of a Δt-0 run wins). */
export function decodeHeartRate(detail: Record<string, unknown>, trackid: number, sink: Sink): HrSample[] {
  const pairs = records(detail.heart_rate) ?? [];
  const at = new Map<number, number>();
  let t = trackid, bpm = 0, bad = 0, have = false;
  for (const r of pairs) {
    const rawDt = r[0]?.trim() ?? '';
    const dt = rawDt === '' ? 1 : comp(r, 0);
    const dhr = comp(r, 1);
    if (dt === undefined || dt < 0 || dt === STREAM_NO_VALUE) {
      bad++;
      continue;
    }
    t += dt;
    if (dhr !== undefined && dhr !== STREAM_NO_VALUE) {
      bpm += dhr;
      have = true;
    } else if (dhr === undefined) bad++;
    if (have) at.set(t, bpm);
  }
  if (bad > 0) sink.warn('HEART_RATE_INVALID', `heart_rate: ${bad} pair(s) not numbers, skipped`);
  return [...at].map(([time, value]) => ({ t: time, bpm: value }));
}

/** Pauses as [start, end) epoch-second intervals. */
export function decodePauses(detail: Record<string, unknown>): Pause[] {
  const out: Pause[] = [];
  for (const r of records(detail.pause) ?? []) {
    const start = comp(r, 0), duration = comp(r, 1);
    if (start !== undefined && duration !== undefined && duration > 0) out.push({ start, end: start + duration });
  }
  return out;
}

/** Great-circle distance in metres (haversine, mean Earth radius). */
export function haversineM(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(a)));
}
