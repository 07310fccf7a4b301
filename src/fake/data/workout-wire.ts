// A fake workout as the service sends it (docs/huami-api.md "Workouts"): the history item with
// most numbers as strings ("-1" where a field does not apply, -20000 for unknown altitudes,
// -100 for unknown elevation gain) and the detail whose streams are `;`-joined records with a
// trailing `;`: `time` Δ seconds, `longitude_latitude` Δ lat,Δ lon in 1e-8 degree (latitude
// first), `altitude` absolute centimetres, `heart_rate` `Δt,Δbpm` with the first pair absolute
// and an empty Δt meaning 1, -2000000 for "no value", `pause` start,duration,-1,-1,type.
import { SPORT, type FakeWorkout } from './workouts.js';

export const NO_VALUE = -2_000_000;
const FOOT = new Set<number>([SPORT.outdoorRun, SPORT.treadmill, SPORT.walking]);
const OUTDOOR = new Set<number>([SPORT.outdoorRun, SPORT.walking, SPORT.outdoorCycling]);

const str = (n: number) => (Number.isInteger(n) ? `${n}.0` : String(n));
const join = (records: string[]) => (records.length > 0 ? `${records.join(';')};` : ''); // each record ends with `;`

/** The `history.json` summary item. */
export function historyItem(w: FakeWorkout): Record<string, unknown> {
  const outdoor = OUTDOOR.has(w.type);
  const foot = FOOT.has(w.type);
  const alts: number[] = [];
  for (const p of w.track) if (p.alt !== null) alts.push(p.alt);
  const pace = w.distance > 0 ? w.runTime / w.distance : -1;
  const zones = [0.5, 0.6, 0.7, 0.8, 0.9, 1].map((f) => `${Math.round(w.runTime / 6)},${Math.round(190 * f)}`);
  return {
    trackid: String(w.trackid),
    source: w.source,
    dis: str(w.distance),
    calorie: str(w.calories),
    end_time: String(w.end),
    run_time: String(w.runTime),
    avg_pace: w.distance > 0 ? String(pace) : '-1',
    max_pace: '-1',
    min_pace: '-1',
    avg_frequency: foot && w.runTime > 0 ? str(Math.round(w.steps / (w.runTime / 60))) : '-1',
    avg_heart_rate: str(w.avgHr),
    max_heart_rate: String(w.maxHr),
    min_heart_rate: String(w.minHr),
    type: w.type,
    location: outdoor ? 'Berlin' : '',
    city: outdoor ? 'Berlin' : '',
    forefoot_ratio: '-1',
    bind_device: '1',
    version: 15,
    altitude_ascend: outdoor ? String(w.ascent) : '-100',
    altitude_descend: outdoor ? String(w.descent) : '-100',
    max_altitude: alts.length ? String(Math.round(Math.max(...alts) / 100)) : '-20000',
    min_altitude: alts.length ? String(Math.round(Math.min(...alts) / 100)) : '-20000',
    avg_altitude: alts.length ? String(Math.round(alts.reduce((a, v) => a + v, 0) / alts.length / 100)) : '-20000',
    elevationGain: outdoor ? w.ascent * 100 : -100,
    highestAltitude: alts.length ? Math.max(...alts) : -20000,
    total_step: foot ? String(w.steps) : '-1',
    avg_stride_length: foot && w.steps > 0 && w.distance > 0 ? String(Math.round((w.distance / w.steps) * 100)) : '-1',
    max_frequency: '-1',
    avg_cadence: '-1',
    max_cadence: '-1',
    swolf: w.swim ? String(w.swim.swolf) : '-1',
    total_strokes: w.swim ? String(w.swim.strokes) : '-1',
    total_trips: w.swim ? String(w.swim.laps) : '-1',
    avg_stroke_speed: w.swim ? String(w.swim.strokeRate) : '-1',
    swim_pool_length: w.swim ? String(w.swim.poolLength) : '-1',
    swim_style: w.swim ? 1 : -1,
    te: w.te,
    anaerobic_te: String(w.anaerobicTe),
    heart_range: join(zones),
    sport_mode: 0,
    max_slope: -361,
    temperature: -274.0,
    pause_time: String(w.pauses.reduce((a, p) => a + p.duration, 0)),
    createTime: w.end * 1000 + 60_000,
    updateTime: w.updateTime,
  };
}

/** The `detail.json` data object (every stream a string; empty for indoor sports). */
export function detailData(w: FakeWorkout): Record<string, unknown> {
  const time: string[] = [], pos: string[] = [], alt: string[] = [], acc: string[] = [];
  let prevT = w.trackid, lat = 0, lon = 0;
  for (const p of w.track) {
    time.push(String(p.t - prevT));
    prevT = p.t;
    if (p.lat === null || p.lon === null) pos.push(`${NO_VALUE},${NO_VALUE}`);
    else {
      pos.push(`${p.lat - lat},${p.lon - lon}`);
      lat = p.lat;
      lon = p.lon;
    }
    alt.push(String(p.alt ?? NO_VALUE));
    acc.push(p.lat === null ? '-1' : '5');
  }
  const hr: string[] = [];
  let t = w.trackid, bpm = 0;
  for (const [k, s] of w.hr.entries()) {
    const dt = s.t - t;
    hr.push(`${k > 0 && dt === 1 ? '' : dt},${s.bpm - bpm}`);
    t = s.t;
    bpm = s.bpm;
  }
  return {
    trackid: w.trackid,
    source: w.source,
    longitude_latitude: join(pos),
    altitude: join(alt),
    accuracy: join(acc),
    time: join(time),
    gait: '',
    pace: '',
    pause: join(w.pauses.map((p) => `${p.start},${p.duration},-1,-1,1`)),
    spo2: '',
    flag: '',
    kilo_pace: '',
    mile_pace: '',
    heart_rate: join(hr),
    version: 15,
    provider: 'huami',
    speed: '',
    bearing: '',
    distance: '',
    lap: '',
    air_pressure_altitude: '',
    course: '',
    correct_altitude: '',
    stroke_speed: '',
    cadence: '',
    daily_performance_info: '',
    rope_skipping_frequency: '',
    weather_info: '',
    coaching_segment: '',
    golf_swing_rt_data: '',
    power_meter: '',
  };
}
