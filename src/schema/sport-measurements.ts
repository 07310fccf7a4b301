// The workout and body-scale measurements of the schema (docs/metrics.md `workout`,
// `workout_sample`, `weigh_in`), kept in their own module and listed at the end of MEASUREMENTS
// (src/schema/measurements.ts), which stays the one place every measurement is reachable from.
import type { FieldRange, FieldSpec, MeasurementSpec, TagSpec } from './measurements.js';

const user: TagSpec = { description: 'Account name (config `name` / ACCOUNT_NAME; default the Huami user id)' };
const sport: TagSpec = { description: 'Sport as a readable name from the Huami `type` code (`outdoor_run`, `walking`, `pool_swim`, …; `sport_<code>` for codes not in the table)' };
const track: TagSpec = { description: 'Huami track id of the workout (`trackid`, its start in epoch seconds): a re-uploaded workout replaces exactly its own points' };

const int = (description: string, unit?: string, range?: FieldRange): FieldSpec => ({ type: 'integer', description, ...(unit ? { unit } : {}), ...(range ? { range } : {}) });
const float = (description: string, unit?: string, range?: FieldRange): FieldSpec => ({ type: 'float', description, ...(unit ? { unit } : {}), ...(range ? { range } : {}) });

const BPM: FieldRange = { min: 20, max: 250 };
const WEEK_S: FieldRange = { min: 0, max: 604_800 };
const PCT: FieldRange = { min: 0, max: 100 };

export const SPORT_MEASUREMENTS = {
  workout: {
    description: 'One workout from the workout history (`run/history.json`), with only the fields its sport has',
    time: 'workout start (`trackid`)',
    tags: { user, sport, track },
    fields: {
      type_code: int('Raw Huami sport `type` code'),
      duration_s: int('From start to end (`end_time` − `trackid`), pauses included', 's', WEEK_S),
      moving_s: int('Moving time (`run_time`)', 's', WEEK_S),
      distance_m: float('Distance as the service reports it (`dis`; never recomputed from the track)', 'm', { min: 0, max: 1_000_000 }),
      calories_kcal: float('Calories (`calorie`)', 'kcal', { min: 0, max: 20_000 }),
      avg_hr_bpm: int('Average heart rate (`avg_heart_rate`, rounded)', 'bpm', BPM),
      max_hr_bpm: int('Maximum heart rate (`max_heart_rate`)', 'bpm', BPM),
      avg_pace_s_per_km: float('Average pace of foot sports (`avg_pace` s/m × 1000)', 's/km'),
      avg_pace_s_per_100m: float('Average pace of swims (`avg_pace` s/m × 100)', 's/100m'),
      avg_speed_kmh: float('Average speed of cycling (3.6 / `avg_pace`)', 'km/h'),
      ascent_m: float('Elevation gain (`altitude_ascend`)', 'm'),
      descent_m: float('Elevation loss (`altitude_descend`)', 'm'),
      cadence_spm: int('Average cadence of foot sports (`avg_frequency`)', 'steps/min'),
      cadence_rpm: int('Average pedalling cadence of cycling (`avg_cadence`)', 'rpm'),
      steps: int('Steps (`total_step`)', 'steps'),
      training_effect: float('Aerobic training effect 0–5 (`te` / 10)', undefined, { min: 0, max: 5 }),
      anaerobic_te: float('Anaerobic training effect 0–5 (`anaerobic_te` / 10)', undefined, { min: 0, max: 5 }),
      pool_length_m: int('Pool length of a swim (`swim_pool_length`)', 'm'),
      laps: int('Pool lengths swum (`total_trips`)'),
      strokes: int('Strokes (`total_strokes`)'),
      swolf: int('Average SWOLF (`swolf`)'),
    },
  },
  workout_sample: {
    description: 'The samples of one workout at their true instants: heart rate from `heart_rate`, position, altitude and speed from the GPS track (outdoor sports only)',
    time: 'the sample instant (`trackid` + the summed time deltas)',
    tags: { user, sport, track },
    fields: {
      bpm: int('Heart rate', 'bpm', BPM),
      lat: float('Latitude', '°', { min: -90, max: 90 }),
      lon: float('Longitude', '°', { min: -180, max: 180 }),
      altitude_m: float('Altitude (`altitude` cm / 100)', 'm', { min: -500, max: 9000 }),
      speed_mps: float('Speed from the previous track point (great-circle distance / time; not across a pause)', 'm/s', { min: 0, max: 100 }),
    },
  },
  weigh_in: {
    description: 'One weigh-in on the body-composition scale (`weightRecords`); body composition only when the scale measured it',
    time: 'the measurement (`generatedTime`)',
    tags: {
      user,
      member: { description: 'Scale member: `owner` for the account owner (memberId -1), else the family member id' },
    },
    fields: {
      weight_kg: float('Weight', 'kg', { min: 1, max: 500 }),
      bmi: float('Body-mass index (`bmi`; else weight / height², height from the record or the profile)', 'kg/m²', { min: 5, max: 150 }),
      fat_pct: float('Body fat (`fatRate`)', '%', PCT),
      water_pct: float('Body water (`bodyWaterRate`)', '%', PCT),
      muscle_kg: float('Muscle mass (`muscleRate`, a mass despite its name)', 'kg', { min: 0, max: 500 }),
      bone_kg: float('Bone mass (`boneMass`)', 'kg', { min: 0, max: 50 }),
      protein_pct: float('Protein (`proteinRatio`)', '%', PCT),
      visceral_fat: float('Visceral fat rating (`visceralFat`)', undefined, { min: 0, max: 60 }),
      metabolism_kcal: float('Basal metabolism (`metabolism`)', 'kcal', { min: 0, max: 10_000 }),
      body_score: int('Body score 0–100 (`bodyScore`)', undefined, PCT),
      impedance_ohm: int('Impedance (`impedance`)', 'Ω', { min: 1, max: 3000 }),
      weight_type: int('Raw `weightType` (0 scale, 1 weight only, 7 imported from Apple Health)'),
    },
  },
} as const satisfies Record<string, MeasurementSpec>;
