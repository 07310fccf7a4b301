// Pure workout decoder (docs/metrics.md `workout`, `workout_sample`, "Workouts and weigh-ins"):
// one `run/history.json` summary item plus its `run/detail.json` data → one `workout` point at
// the start, with only the fields its sport has, and the `workout_sample` points at their true
// instants. Total: never throws; every point passes the schema's checkPoint.
import type { Point } from '../../schema/point.js';
import type { DecodeWarning, DaySpan } from '../types.js';
import { epochSeconds, keepValid, localDay, numberOf, Sink, valueOf } from './common.js';
import { sportOf, type SportFamily } from './sports.js';
import { decodeHeartRate, decodePauses, decodeTrack, haversineM, type Pause } from './streams.js';

export interface WorkoutOptions {
  /** The account's IANA zone (decides the local date the workout belongs to). */
  timeZone: string;
  user: string;
}

export interface DecodedWorkout {
  /** Local date of the start in the account zone (YYYY-MM-DD; '' when the item has no valid start). */
  date: string;
  /** `trackid` as a string ('' when invalid). */
  trackId: string;
  points: Point[];
  /** What this workout owns: its summary point and every sample tagged with its track id. */
  spans: DaySpan[];
  warnings: DecodeWarning[];
}

/** How long after its start a workout's samples may lie (the span a re-upload deletes). */
export const WORKOUT_SPAN_S = 7 * 86_400;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

function summaryFields(h: Record<string, unknown>, trackid: number, family: SportFamily, code: number): Record<string, number> {
  const f: Record<string, number> = { type_code: code };
  const pos = (k: string) => {
    const v = valueOf(h[k]);
    return v !== undefined && v > 0 ? v : undefined;
  };
  const set = (key: string, v: number | undefined) => {
    if (v !== undefined) f[key] = v;
  };
  const end = epochSeconds(h.end_time);
  if (end !== undefined && end >= trackid) f.duration_s = end - trackid;
  const moving = valueOf(h.run_time);
  if (moving !== undefined && moving >= 0) f.moving_s = Math.round(moving);
  const cal = valueOf(h.calorie);
  if (cal !== undefined && cal >= 0) f.calories_kcal = cal;
  set('avg_hr_bpm', pos('avg_heart_rate') !== undefined ? Math.round(pos('avg_heart_rate') as number) : undefined);
  set('max_hr_bpm', pos('max_heart_rate') !== undefined ? Math.round(pos('max_heart_rate') as number) : undefined);
  const te = valueOf(h.te), ate = valueOf(h.anaerobic_te);
  if (te !== undefined && te >= 0) f.training_effect = te / 10;
  if (ate !== undefined && ate >= 0) f.anaerobic_te = ate / 10;
  if (family === 'other') return f;
  set('distance_m', pos('dis'));
  const pace = pos('avg_pace'); // seconds per metre
  for (const [key, src] of [['ascent_m', 'altitude_ascend'], ['descent_m', 'altitude_descend']] as const) {
    const v = valueOf(h[src]);
    if (v !== undefined && v >= 0) f[key] = v;
  }
  if (family === 'foot') {
    if (pace !== undefined) f.avg_pace_s_per_km = round(pace * 1000, 3);
    set('cadence_spm', pos('avg_frequency') !== undefined ? Math.round(pos('avg_frequency') as number) : undefined);
    set('steps', pos('total_step') !== undefined ? Math.round(pos('total_step') as number) : undefined);
  } else if (family === 'cycle') {
    if (pace !== undefined) f.avg_speed_kmh = round(3.6 / pace, 3);
    set('cadence_rpm', pos('avg_cadence') !== undefined ? Math.round(pos('avg_cadence') as number) : undefined);
  } else {
    if (pace !== undefined) f.avg_pace_s_per_100m = round(pace * 100, 3);
    for (const [key, src] of [['pool_length_m', 'swim_pool_length'], ['laps', 'total_trips'], ['strokes', 'total_strokes'], ['swolf', 'swolf']] as const) {
      const v = pos(src);
      if (v !== undefined) f[key] = Math.round(v);
    }
  }
  return f;
}

const inPause = (pauses: readonly Pause[], from: number, to: number) => pauses.some((p) => p.start < to && p.end > from);

/** The detail's data object: accepts the whole response (`{code, data}`) or its `data`. */
function detailData(detail: unknown): Record<string, unknown> | undefined {
  if (!isObj(detail)) return undefined;
  return isObj(detail.data) && 'code' in detail ? detail.data : detail;
}

/** One workout → its points, spans and warnings; never throws. */
export function decodeWorkout(historyItem: unknown, detail: unknown, opts: WorkoutOptions): DecodedWorkout {
  const sink = new Sink();
  const empty = (trackId: string): DecodedWorkout => ({ date: sink.day, trackId, points: [], spans: [], warnings: sink.warnings });
  if (!isObj(historyItem)) {
    sink.warn('WORKOUT_INVALID', 'history item is not an object');
    return empty('');
  }
  const trackid = epochSeconds(historyItem.trackid);
  if (trackid === undefined) {
    sink.warn('WORKOUT_INVALID', `trackid ${JSON.stringify(historyItem.trackid)?.slice(0, 40)} is not epoch seconds of 2000–2099`);
    return empty('');
  }
  const trackId = String(trackid);
  sink.day = localDay(trackid, opts.timeZone);
  const code = numberOf(historyItem.type);
  if (code === undefined || !Number.isSafeInteger(code)) {
    sink.warn('WORKOUT_INVALID', `workout ${trackId}: sport type ${JSON.stringify(historyItem.type)?.slice(0, 40)} is not an integer`);
    return empty(trackId);
  }
  const sport = sportOf(code);
  const tags = { user: opts.user, sport: sport.name, track: trackId };
  const points: Point[] = [{ measurement: 'workout', tags, fields: summaryFields(historyItem, trackid, sport.family, code), time: trackid }];

  const data = detailData(detail);
  if (detail !== undefined && detail !== null && !data) sink.warn('DETAIL_INVALID', `workout ${trackId}: detail is not an object, summary only`);
  if (data) {
    const dTrack = numberOf(data.trackid);
    if (dTrack !== undefined && dTrack !== trackid) sink.warn('DETAIL_MISMATCH', `workout ${trackId}: detail is of track ${dTrack}, samples left out`);
    else points.push(...samples(data, trackid, tags, sink));
  }
  const spans: DaySpan[] = [
    { measurement: 'workout', start: trackid, end: trackid + 1, tags: { track: trackId } },
    { measurement: 'workout_sample', start: trackid, end: trackid + WORKOUT_SPAN_S, tags: { track: trackId } },
  ];
  return { date: sink.day, trackId, points: keepValid(points, sink), spans, warnings: sink.warnings };
}

function samples(data: Record<string, unknown>, trackid: number, tags: Record<string, string>, sink: Sink): Point[] {
  const pauses = decodePauses(data);
  const byTime = new Map<number, Record<string, number>>();
  const at = (t: number) => {
    let f = byTime.get(t);
    if (!f) byTime.set(t, (f = {}));
    return f;
  };
  let prev: { t: number; lat: number; lon: number } | undefined;
  for (const s of decodeTrack(data, trackid, sink)) {
    const f = at(s.t);
    if (s.lat !== undefined && s.lon !== undefined) {
      f.lat = s.lat;
      f.lon = s.lon;
    }
    if (s.altitudeM !== undefined) f.altitude_m = s.altitudeM;
    if (s.real && s.lat !== undefined && s.lon !== undefined) {
      if (prev && s.t > prev.t && !inPause(pauses, prev.t, s.t)) f.speed_mps = round(haversineM(prev.lat, prev.lon, s.lat, s.lon) / (s.t - prev.t), 3);
      prev = { t: s.t, lat: s.lat, lon: s.lon };
    }
  }
  for (const h of decodeHeartRate(data, trackid, sink)) at(h.t).bpm = h.bpm;
  let outside = 0;
  const out: Point[] = [];
  for (const [t, fields] of [...byTime].sort((a, b) => a[0] - b[0])) {
    if (t < trackid || t >= trackid + WORKOUT_SPAN_S) {
      outside++;
      continue;
    }
    if (Object.keys(fields).length > 0) out.push({ measurement: 'workout_sample', tags, fields, time: t });
  }
  if (outside > 0) sink.warn('SAMPLE_OUTSIDE_WORKOUT', `workout ${trackid}: ${outside} sample(s) before the start or more than 7 days after it, left out`);
  return out;
}
