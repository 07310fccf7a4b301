// The metric schema: every measurement, tag and field with its one Influx type.
// This module is the single place where a field's type is declared;
// docs/metrics.md describes the same schema for humans and a test keeps the two equal.
// Times are epoch seconds. Fields absent from a point are simply not written; a field
// never changes type.

import { SPORT_MEASUREMENTS } from './sport-measurements.js';

export type FieldType = 'integer' | 'float' | 'string' | 'boolean';

/** Inclusive bounds of the physically possible values of a numeric field. */
export interface FieldRange {
  min: number;
  max: number;
}

export interface FieldSpec {
  type: FieldType;
  unit?: string;
  description: string;
  /** Physically possible values (inclusive); a value outside is never written (docs/metrics.md "Ranges"). */
  range?: FieldRange;
}

export interface TagSpec {
  description: string;
  values?: readonly string[];
}

export interface MeasurementSpec {
  description: string;
  /** What instant the point's timestamp is. */
  time: string;
  tags: Record<string, TagSpec>;
  fields: Record<string, FieldSpec>;
}

const user: TagSpec = {
  description: 'Account name (config `name` / ACCOUNT_NAME; default the Huami user id)',
};

const int = (description: string, unit?: string, range?: FieldRange): FieldSpec => ({ type: 'integer', description, ...(unit ? { unit } : {}), ...(range ? { range } : {}) });
const float = (description: string, unit?: string, range?: FieldRange): FieldSpec => ({ type: 'float', description, ...(unit ? { unit } : {}), ...(range ? { range } : {}) });
const str = (description: string): FieldSpec => ({ type: 'string', description });

export const STEP_KINDS = ['slow_walk', 'fast_walk', 'run', 'light_activity', 'unknown'] as const;
export const SLEEP_PHASES = ['light', 'deep', 'rem', 'awake', 'end'] as const;
export const SLEEP_KINDS = ['main', 'nap'] as const;
// Physical ranges (docs/metrics.md "Ranges"). A minute record holds at most 255 steps (one
// byte), so a day at most 1440 × 255 and an hour 60 × 255; a day has at most 1440 minutes.
/** Epoch seconds the schema accepts: 2000-01-01T00:00:00Z up to the end of 2099. */
export const EPOCH_RANGE: FieldRange = { min: 946_684_800, max: 4_102_444_799 };
const DAY_MIN: FieldRange = { min: 0, max: 1440 };
const DAY_STEPS: FieldRange = { min: 0, max: 1440 * 255 };
const DISTANCE_M: FieldRange = { min: 0, max: 1_000_000 };
const KCAL: FieldRange = { min: 0, max: 20_000 };
/** Heart rates a person can have. */
export const BPM_RANGE: FieldRange = { min: 20, max: 250 };
const BYTE: FieldRange = { min: 0, max: 255 };
/** Stress levels, readiness scores, percentages and SpO₂ (docs/metrics.md "Ranges"). */
const STRESS: FieldRange = { min: 0, max: 100 };
const SCORE: FieldRange = { min: 0, max: 100 };
const PCT: FieldRange = { min: 0, max: 100 };
/** Saturations below 50 % are not a reading from a living wearer. */
const SPO2: FieldRange = { min: 50, max: 100 };

/** The `hour` tag of activity_hourly: the 24 local hours of day, "00"…"23". */
export const HOURS = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'));

export const MEASUREMENTS = {
  activity_daily: {
    description: 'Daily activity totals from the summary `stp` of one day',
    time: 'local midnight of the day (account time zone)',
    tags: { user },
    fields: {
      steps: int('Total steps of the day (`stp.ttl`)', 'steps', DAY_STEPS),
      distance_m: int('Distance (`stp.dis`)', 'm', DISTANCE_M),
      calories_kcal: int('Active calories (`stp.cal`)', 'kcal', KCAL),
      goal_steps: int('Daily step goal (`goal`)', 'steps', { min: 0, max: 1_000_000 }),
      walk_min: int('Walking time (`stp.wk`)', 'min', DAY_MIN),
      run_min: int('Running time (`stp.rn`)', 'min', DAY_MIN),
      run_distance_m: int('Running distance (`stp.runDist`)', 'm', DISTANCE_M),
      run_calories_kcal: int('Running calories (`stp.runCal`)', 'kcal', KCAL),
      band_sync_s: int('When the band last synced into this day (`sync`), epoch seconds', 's', EPOCH_RANGE),
    },
  },
  activity_stage: {
    description: 'One detected activity period (`stp.stage[]`)',
    time: 'stage start',
    tags: {
      user,
      kind: { description: 'Activity kind mapped from the raw mode', values: STEP_KINDS },
    },
    fields: {
      steps: int('Steps in the stage', 'steps', DAY_STEPS),
      distance_m: int('Distance in the stage', 'm', DISTANCE_M),
      calories_kcal: int('Calories in the stage', 'kcal', KCAL),
      duration_min: int('Length of the stage (stop − start + 1)', 'min', { min: 1, max: 1440 }),
      mode: int('Raw Huami step mode (1 slow walk, 3 fast walk, 4 run, 7 light activity; others kept as is)'),
    },
  },
  sleep_daily: {
    description: 'One night (main sleep) or one nap, summarised',
    time: 'wake time (end of the sleep)',
    tags: {
      user,
      sleep: { description: '`main` for the night, `nap` for naps from `odd_stage`', values: SLEEP_KINDS },
    },
    fields: {
      deep_min: int('Deep sleep', 'min', DAY_MIN),
      light_min: int('Light sleep', 'min', DAY_MIN),
      rem_min: int('REM sleep', 'min', DAY_MIN),
      awake_min: int('Awake time inside the sleep window', 'min', DAY_MIN),
      asleep_min: int('Total asleep: deep + light + REM', 'min', DAY_MIN),
      in_bed_min: int('Whole sleep window: end − start', 'min', DAY_MIN),
      start_s: int('Sleep start, epoch seconds', 's', EPOCH_RANGE),
      end_s: int('Sleep end (exclusive), epoch seconds', 's', EPOCH_RANGE),
      bedtime_local_min: int('Sleep start as wall-clock minutes after local midnight of the evening before the wake day (≥ 1440 after midnight; main sleep only)', 'min', { min: 0, max: 2879 }),
      wake_local_min: int('Sleep end as wall-clock minutes after local midnight of the wake day (main sleep only)', 'min', { min: 0, max: 1439 }),
      resting_hr_bpm: int('Resting heart rate (`slp.rhr`; absent when 0; main sleep only)', 'bpm', BPM_RANGE),
      score: int('Sleep score 0–100 (`slp.ss`; absent when missing; main sleep only)', undefined, { min: 0, max: 100 }),
      wake_count: int('Number of wake-ups (`slp.wc`; absent when missing; main sleep only)', undefined, DAY_MIN),
    },
  },
  sleep_stage: {
    description: 'One sleep phase; a closing point with phase `end` marks the true end of every sleep so a state timeline draws the last phase to its end',
    time: 'phase start (for `end`: the sleep end)',
    tags: {
      user,
      phase: { description: 'Sleep phase', values: SLEEP_PHASES },
      sleep: { description: '`main` or `nap`', values: SLEEP_KINDS },
    },
    fields: {
      duration_min: int('Length of the phase (0 for `end`)', 'min', DAY_MIN),
      phase_code: int('Phase as a number for state timelines: 0 end/out of bed, 1 awake, 2 REM, 3 light, 4 deep', undefined, { min: 0, max: 4 }),
      mode: int('Raw Huami sleep mode (4 light, 5 deep, 7 awake, 8 REM; 0 for `end`)', undefined, { min: 0, max: 8 }),
    },
  },
  heart_rate: {
    description: 'Minute heart rate from `data_hr` (no point for the 0/254/255 sentinels)',
    time: 'the minute',
    tags: { user },
    fields: {
      bpm: int('Heart rate', 'bpm', BPM_RANGE),
    },
  },
  activity_minute: {
    description: 'Minute activity from `data` (3-byte records; other widths are reported, not guessed)',
    time: 'the minute',
    tags: { user },
    fields: {
      steps: int('Steps in the minute', 'steps', BYTE),
      intensity: int('Raw intensity byte 0–255', undefined, BYTE),
      kind: int('Band activity kind: low nibble of the raw kind byte', undefined, { min: 0, max: 15 }),
      raw_kind: int('Raw kind byte as sent', undefined, BYTE),
    },
  },
  activity_hourly: {
    description: 'Hourly sums of the minute data in `data`, one point per local wall-clock hour of the day that holds synced minutes (3-byte records only, like activity_minute)',
    time: 'start of the local hour (account time zone); on a fall-back day the repeated hour is its first occurrence',
    tags: {
      user,
      hour: { description: 'Local hour of day of the wall-clock minutes summed, `00`…`23`', values: HOURS },
    },
    fields: {
      steps: int('Steps in the hour (sum of the minutes)', 'steps', { min: 0, max: 60 * 255 }),
      active_min: int('Minutes of the hour with steps > 0', 'min', { min: 0, max: 60 }),
      hr_avg_bpm: int('Mean of the valid `data_hr` readings of the hour, rounded to an integer (absent when the hour has none)', 'bpm', BPM_RANGE),
    },
  },
  sync_run: {
    description: 'One sync run of one account, written by mifit-sync itself',
    time: 'end of the run',
    tags: { user },
    fields: {
      success: int('1 when the run succeeded, 0 when it failed'),
      days_fetched: int('Days downloaded from Huami in the run', 'days'),
      days_written: int('Days written to InfluxDB in the run', 'days'),
      points: int('Points written in the run', 'points'),
      warnings: int('Decoder warnings in the run (not counting the readiness "no value" markers, SENTINEL, logged at debug)'),
      requests: int('Huami HTTP requests made in the run'),
      duration_s: float('Wall time of the run', 's'),
      days_behind: int('Days between today and the newest day the band has uploaded (synced up to) after the run', 'days'),
      days_failed: int('Days in the failed state after the run (malformed or oversized answers; retried on later runs)', 'days'),
      days_no_data: int('Days fetched in the run that had no band data (band not worn or not uploaded yet)', 'days'),
      last_data_s: int('Newest band sync time seen (`sync` of the latest day), epoch seconds', 's'),
      last_success_s: int('End of the last successful run of this account, epoch seconds', 's'),
      token_expires_s: int('When the current app_token expires (best estimate), epoch seconds', 's'),
      error_code: str('Stable error code of the failure, empty string on success'),
      timezone: str('IANA time zone configured for the account (dashboards use it as the default `timezone` variable)'),
    },
  },
  stress_daily: {
    description: 'All-day stress of one local day (`all_day_stress` event item)',
    time: 'local midnight of the day (account time zone)',
    tags: { user },
    fields: {
      stress_avg: int('Mean stress of the day as the service computes it (`avgStress`, a truncated mean)', undefined, STRESS),
      stress_min: int('Lowest stress sample (`minStress`)', undefined, STRESS),
      stress_max: int('Highest stress sample (`maxStress`)', undefined, STRESS),
      relaxed_pct: int('Share of samples in the relaxed zone 0–39 (`relaxProportion`)', '%', PCT),
      normal_pct: int('Share of samples in the normal zone 40–59 (`normalProportion`)', '%', PCT),
      medium_pct: int('Share of samples in the medium zone 60–79 (`mediumProportion`)', '%', PCT),
      high_pct: int('Share of samples in the high zone 80–100 (`highProportion`)', '%', PCT),
      samples: int('Number of stress samples written for the day (`data`)', undefined, DAY_MIN),
    },
  },
  stress_sample: {
    description: 'One all-day stress measurement (`all_day_stress` item `data[]`)',
    time: 'the sample instant (`time`, epoch milliseconds in the source, written in seconds)',
    tags: { user },
    fields: {
      stress: int('Stress level 0–100', undefined, STRESS),
    },
  },
  blood_oxygen_spot: {
    description: 'One SpO₂ spot check (`blood_oxygen` / `click` event item)',
    time: 'the reading (`timestamp`)',
    tags: { user },
    fields: {
      saturation_pct: int('Blood oxygen saturation (`extra.spo2`)', '%', SPO2),
      auto: int('1 when the watch measured on its own, 0 when the user started it (`extra.isAuto`)', undefined, { min: 0, max: 1 }),
      history_samples: int('Non-padding samples in `extra.spo2History` (written as blood_oxygen_sample points)', undefined, { min: 0, max: 3600 }),
    },
  },
  blood_oxygen_sample: {
    description: 'One sample of a spot check\'s `extra.spo2History` (trailing zeros are padding and are not written)',
    time: 'the reading minus one second per later sample: the last sample at the reading instant',
    tags: { user },
    fields: {
      saturation_pct: int('Blood oxygen saturation', '%', SPO2),
    },
  },
  blood_oxygen_odi: {
    description: 'Nightly oxygen desaturation index (`blood_oxygen` / `odi` event item)',
    time: 'local midnight of the wake date (`timestamp`)',
    tags: { user },
    fields: {
      odi_per_h: float('Desaturations per hour of sleep (`odi`, truncated to two decimals by the service)', '/h', { min: 0, max: 1000 }),
      desaturations: int('Desaturations in the night (`odiNum`)', undefined, { min: 0, max: 10_000 }),
      sleep_s: int('Length of the main sleep the index counts over (`cost`)', 's', { min: 0, max: 86_400 }),
      score: int('Score 0–100 (`score`)', undefined, { min: 0, max: 100 }),
      valid: int('1 when the service marks the night valid (`valid`)', undefined, { min: 0, max: 1 }),
    },
  },
  blood_oxygen_desaturation: {
    description: 'One nightly oxygen desaturation (`blood_oxygen` / `osa_event` event item)',
    time: 'the event (`timestamp`)',
    tags: { user },
    fields: {
      drop_pct: int('Drop of the saturation (`extra.spo2_decrease`)', '%', { min: 0, max: 100 }),
    },
  },
  pai_daily: {
    description: 'Personal Activity Intelligence of one local day (`PaiHealthInfo` event item; computed by the service one to two days late)',
    time: 'local midnight of the day (account time zone)',
    tags: { user },
    fields: {
      pai: float('PAI earned that day (`dailyPai`, capped at 75 by the service)', undefined, { min: 0, max: 1000 }),
      total_pai: float('PAI of the trailing seven days as the service shows it (`totalPai`; a decaying window, not the plain sum)', undefined, { min: 0, max: 10_000 }),
      low_zone_pai: float('PAI earned in the low zone (`lowZonePai`)', undefined, { min: 0, max: 1000 }),
      medium_zone_pai: float('PAI earned in the medium zone (`mediumZonePai`)', undefined, { min: 0, max: 1000 }),
      high_zone_pai: float('PAI earned in the high zone (`highZonePai`)', undefined, { min: 0, max: 1000 }),
      low_zone_min: int('Minutes in the low zone (`lowZoneMinutes`)', 'min', DAY_MIN),
      medium_zone_min: int('Minutes in the medium zone (`mediumZoneMinutes`)', 'min', DAY_MIN),
      high_zone_min: int('Minutes in the high zone (`highZoneMinutes`)', 'min', DAY_MIN),
      low_zone_lower_bpm: int('Lower heart-rate limit of the low zone (`lowZoneLowerLimit`)', 'bpm', BPM_RANGE),
      medium_zone_lower_bpm: int('Lower heart-rate limit of the medium zone (`mediumZoneLowerLimit`)', 'bpm', BPM_RANGE),
      high_zone_lower_bpm: int('Lower heart-rate limit of the high zone (`highZoneLowerLimit`)', 'bpm', BPM_RANGE),
      resting_hr_bpm: int('Resting heart rate the service used (`restHr`)', 'bpm', BPM_RANGE),
      max_hr_bpm: int('Maximum heart rate the service used (`maxHr`)', 'bpm', BPM_RANGE),
    },
  },
  readiness: {
    description: 'Nightly readiness (`readiness` / `watch_score` event item; of two items for one night the one with the later `timestampUpdate`)',
    time: 'local midnight of the wake date (`timestamp`; `value.timestamp` in the version-2 shape)',
    tags: { user },
    fields: {
      sleep_hrv_ms: int('Heart-rate variability during sleep (`sleepHRV`)', 'ms', { min: 1, max: 300 }),
      sleep_rhr_bpm: int('Resting heart rate during sleep (`sleepRHR`)', 'bpm', BPM_RANGE),
      skin_temp_delta_c: float('Skin temperature difference from the personal baseline (`skinTempCalibrated` / 100)', '°C', { min: -10, max: 10 }),
      readiness_score: int('Readiness score (`rdnsScore`)', undefined, SCORE),
      hrv_score: int('HRV score (`hrvScore`)', undefined, SCORE),
      rhr_score: int('Resting heart rate score (`rhrScore`)', undefined, SCORE),
      skin_temp_score: int('Skin temperature score (`skinTempScore`)', undefined, SCORE),
      physical_score: int('Physical score (`phyScore`)', undefined, SCORE),
      mental_score: int('Mental score (`mentScore`)', undefined, SCORE),
      ahi_score: int('Breathing (apnea-hypopnea) score (`ahiScore`)', undefined, SCORE),
      hrv_baseline_ms: int('Personal HRV baseline (`hrvBaseline`)', 'ms', { min: 1, max: 300 }),
      rhr_baseline_bpm: int('Personal resting heart rate baseline (`rhrBaseline`)', 'bpm', BPM_RANGE),
      computed_s: int('When the service computed the scores (`timestampUpdate`), epoch seconds', 's', EPOCH_RANGE),
    },
  },
  // Workouts and body-scale weigh-ins (src/schema/sport-measurements.ts).
  workout: SPORT_MEASUREMENTS.workout,
  workout_sample: SPORT_MEASUREMENTS.workout_sample,
  weigh_in: SPORT_MEASUREMENTS.weigh_in,
} as const satisfies Record<string, MeasurementSpec>;

export type MeasurementName = keyof typeof MEASUREMENTS;
