// Projects the ground truth onto a record's per-minute arrays (docs/huami-api.md "Minute blobs"):
// `data_hr` = 1440 uint8 bpm with sentinels 255 (no measurement this minute), 254 (no data:
// after the last sync, or a wall-clock minute that does not exist), 0 (invalid reading);
// `data` = 1440 × W bytes, W = 3: [raw_kind, intensity, steps] with the band's activity kind
// in the low nibble and a varying high nibble.
import type { DayClock } from './clock.js';
import { CHARGING, OFF, type DayPlan } from './activity.js';
import { nightStateAt, type Night } from './night.js';
import type { Rng } from './rng.js';

export const HR_NONE = 255, HR_NO_DATA = 254, HR_INVALID = 0;
/** Filler kind byte of minutes after the last sync (0x7E with intensity 0, steps 0). */
export const KIND_NO_DATA = 0x7e;
const KIND = { noChange: 0, activity: 1, running: 2, notWorn: 3, charging: 6, lightSleep: 9, deepSleep: 11, wakeUp: 12 };
const HIGH_NIBBLES = [0x00, 0x10, 0x50, 0x60, 0x70];
const IDLE_KINDS = [KIND.activity, KIND.noChange];
const SLEEP_HR_DELTA: Record<number, number> = { 4: 0, 5: -4, 7: 9, 8: 5 };
const SLEEP_KIND: Record<number, number> = { 4: KIND.lightSleep, 5: KIND.deepSleep, 7: KIND.wakeUp, 8: KIND.lightSleep };
const ACTIVE_HR: Record<number, [number, number]> = { 1: [84, 96], 3: [98, 115], 4: [138, 165], 7: [80, 95] };
const INTENSITY: Record<number, [number, number]> = { 1: [40, 80], 3: [60, 110], 4: [90, 140], 7: [25, 60] };

export interface MinuteInput {
  clock: DayClock;
  plan: DayPlan;
  /** The night ending this morning and the one starting this evening. */
  nights: readonly Night[];
  cutoff: number;
  rng: Rng;
  recordWidth: 3 | 8;
}

export interface MinuteArrays {
  hr: Uint8Array;
  data: Uint8Array;
  /** 1 where the minute holds data (exists, before the cutoff, not asleep): counts toward stp. */
  awakeData: Uint8Array;
}

/** Render the 1440 minutes of one record. */
export function renderMinutes(input: MinuteInput): MinuteArrays {
  const { clock, plan, nights, cutoff, rng, recordWidth: w } = input;
  const hr = new Uint8Array(1440);
  const data = new Uint8Array(1440 * w);
  const awakeData = new Uint8Array(1440);
  const nap = new Uint8Array(1440);
  for (const s of plan.nap) nap.fill(s.mode, s.start, s.stop + 1);

  for (let i = 0; i < 1440; i++) {
    const t = clock.minuteEpoch(i);
    const o = i * w;
    if (t === null || t >= cutoff) {
      hr[i] = HR_NO_DATA;
      data[o] = KIND_NO_DATA;
      continue;
    }
    const sampled = (i - plan.hrPhase) % plan.hrInterval === 0;
    let night = 0;
    for (const n of nights) night ||= nightStateAt(n, t);
    const sleepMode = night === 3 ? 0 : night || (nap[i] as number);
    const high = rng.pick(HIGH_NIBBLES);
    let kind: number, intensity = 0, steps = 0, bpm = HR_NONE;
    if (sleepMode) {
      kind = SLEEP_KIND[sleepMode] as number;
      intensity = rng.int(0, 12);
      if (sampled) bpm = plan.rhr + (SLEEP_HR_DELTA[sleepMode] as number) + rng.int(-2, 2);
    } else if (night === 3 || plan.state[i] === OFF || plan.state[i] === CHARGING) {
      kind = plan.state[i] === CHARGING ? KIND.charging : KIND.notWorn;
      if (sampled && rng.chance(0.15)) bpm = HR_INVALID; // the sensor tried and got nothing valid
    } else {
      awakeData[i] = 1;
      steps = plan.steps[i] as number;
      const mode = plan.stageMode[i] as number;
      if (mode) {
        kind = mode === 4 ? KIND.running : KIND.activity;
        const [lo, hi] = INTENSITY[mode] as [number, number];
        intensity = rng.int(lo, hi);
        const [hLo, hHi] = ACTIVE_HR[mode] as [number, number];
        if (sampled || mode === 4) bpm = rng.int(hLo, hHi); // workouts are measured every minute
      } else {
        kind = steps > 0 ? KIND.activity : rng.pick(IDLE_KINDS);
        intensity = steps > 0 ? rng.int(10, 40) : rng.int(0, 25);
        if (sampled) bpm = plan.rhr + rng.int(8, 28);
      }
    }
    hr[i] = bpm;
    data[o] = high | kind;
    data[o + 1] = intensity;
    data[o + 2] = steps;
    // W = 8: the real layout is UNKNOWN. Filled plausibly: the 3 bytes above, the
    // minute's HR byte, then four zero bytes. Clients must not decode it (they store it raw).
    if (w === 8) data[o + 3] = bpm;
  }
  return { hr, data, awakeData };
}
