// Shapes of the fake ground truth and of the decoded `summary` it serves (docs/huami-api.md "Summary JSON").
// Remote field names are kept as the API spells them.

/** A sleep segment: minutes after the record's anchor midnight, `stop` inclusive. */
export interface SleepStage { start: number; stop: number; mode: number }

/** A step segment: wall-clock minutes after local midnight of `date_time`, `stop` inclusive. */
export interface StepStage { start: number; stop: number; mode: number; step: number; dis: number; cal: number }

/** Decoded `stp`. */
export interface SummaryStp {
  ttl: number; dis: number; cal: number; wk: number; rn: number;
  runDist: number; runCal: number; conAct: number; ncal: number;
  stage: StepStage[];
}

/** Decoded `slp`. `st`/`ed` are epoch SECONDS; `dt` is REM minutes despite its name. */
export interface SummarySlp {
  st: number; ed: number; dp: number; lt: number; dt: number; wk: number; wc: number;
  rhr: number; ss: number; is: number; lb: number; usrSt: number; usrEd: number;
  ps: number; pe: number; supRem: boolean; supNap: boolean; sleepScoreVersion: string;
  stage: SleepStage[]; odd_stage: SleepStage[];
}

/** Decoded `summary` in the modern v6 shape. `tz` is a STRING of seconds. */
export interface Summary {
  v: number; goal: number; tz: string; sn: string; sync: number; algv: string; byteLength: number;
  isMerged: number; hr?: { maxHr: { hr: number; ts: number } };
  stp: SummaryStp; slp: SummarySlp;
}

/** The band that records a user's data (shared by band_data items and /users/{uid}/devices). */
export interface FakeDevice { deviceId: string; sn: string; mac: string; source: number; uuid: string; displayName: string }

/** One served day: what band_data.json returns for it, before encoding (the ground truth). */
export interface FakeDay {
  userId: string;
  date: string;
  timezone: string;
  device: FakeDevice;
  summary: Summary;
  /** 1440 × recordWidth bytes. */
  data: Uint8Array;
  /** 1440 bytes, uint8 bpm with sentinels 255/254/0. */
  hr: Uint8Array;
  /** Epoch seconds before which the record holds data (= summary.sync for a partial day, else Infinity). */
  cutoff: number;
}

/** Switches for uncertain behaviours (docs/huami-api.md "Fake server switches"). */
export interface GeneratorSwitches {
  /** Which record owns a night. */
  nightConvention: 'wake-date' | 'evening-date';
  /** `tz` = offset in force at local midnight, or the standard offset all year. */
  tzField: 'actual' | 'standard';
  /** Bytes per minute in `data`. */
  recordWidth: 3 | 8;
  /** odd_stage minutes: relative to the same anchor as `stage` (default) or to the record's own midnight. Unknown. */
  napAnchor: 'sleep-anchor' | 'own-midnight';
}
