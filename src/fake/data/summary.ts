// Derives a record's decoded `summary` (v6 shape, docs/huami-api.md "Summary JSON") from the ground truth, so
// every number in it agrees with the minute arrays: stage step sums are the minutes' steps,
// `ttl` also counts stray steps (so it exceeds the stage sum), sleep counters are the
// per-mode sums of the stages and `ed − st` is their total, `ed = anchor + (last.stop+1)·60`.
import type { DayClock } from './clock.js';
import type { DayPlan } from './activity.js';
import type { MinuteArrays } from './minutes.js';
import type { Night } from './night.js';
import type { Rng } from './rng.js';
import type { FakeDevice, GeneratorSwitches, SleepStage, StepStage, Summary, SummarySlp, SummaryStp } from './types.js';

const STRIDE: Record<number, number> = { 1: 0.62, 3: 0.75, 4: 1.05, 7: 0.5 };
const KCAL_PER_STEP: Record<number, number> = { 1: 0.035, 3: 0.045, 4: 0.07, 7: 0.03 };

export interface SummaryInput {
  clock: DayClock;
  plan: DayPlan;
  minutes: MinuteArrays;
  /** The night this record owns under the chosen convention. */
  night: Night;
  /** Epoch seconds that odd_stage minutes count from. */
  napAnchor: number;
  /** Resting HR and sleep score of the owned night (the same whichever record carries it). */
  nightScores: { rhr: number; ss: number };
  cutoff: number;
  sync: number;
  switches: GeneratorSwitches;
  device: FakeDevice;
  rng: Rng;
}

function buildStp(plan: DayPlan, minutes: MinuteArrays): SummaryStp {
  const stage: StepStage[] = [];
  let ttl = 0, staged = 0;
  for (let i = 0; i < 1440; i++) if (minutes.awakeData[i]) ttl += plan.steps[i] as number;
  for (const p of plan.stages) {
    let step = 0, stop = -1;
    for (let i = p.start; i <= p.stop; i++) {
      if (!minutes.awakeData[i]) break; // a partial day ends at the last sync
      step += plan.steps[i] as number;
      stop = i;
    }
    if (stop < p.start) continue;
    const s = { start: p.start, stop, mode: p.mode, step, dis: Math.round(step * (STRIDE[p.mode] ?? 0.6)), cal: Math.round(step * (KCAL_PER_STEP[p.mode] ?? 0.03)) };
    stage.push(s);
    staged += step;
  }
  const stray = ttl - staged;
  const sum = (f: (s: StepStage) => number, modes: number[]) => stage.filter((s) => modes.includes(s.mode)).reduce((a, s) => a + f(s), 0);
  const all = [1, 3, 4, 7];
  return {
    ttl,
    dis: sum((s) => s.dis, all) + Math.round(stray * 0.62),
    cal: sum((s) => s.cal, all) + Math.round(stray * 0.03),
    wk: sum((s) => s.stop - s.start + 1, [1, 3]),
    rn: sum((s) => s.stop - s.start + 1, [4]),
    runDist: sum((s) => s.dis, [4]),
    runCal: sum((s) => s.cal, [4]),
    conAct: 0,
    ncal: 0,
    stage,
  };
}

/** Stages that began before the cutoff, the last one cut at it. */
function truncate(stages: readonly SleepStage[], anchor: number, cutoff: number): SleepStage[] {
  const maxStop = Number.isFinite(cutoff) ? Math.floor((cutoff - anchor) / 60) - 1 : Infinity;
  return stages.filter((s) => s.start <= maxStop).map((s) => ({ ...s, stop: Math.min(s.stop, maxStop) }));
}

function minutesOf(stages: readonly SleepStage[], mode: number): number {
  return stages.filter((s) => s.mode === mode).reduce((a, s) => a + s.stop - s.start + 1, 0);
}

function buildSlp(input: SummaryInput): SummarySlp {
  const { night, clock, plan, cutoff, sync, rng } = input;
  const stage = night.worn ? truncate(night.stages, night.anchor, cutoff) : [];
  // Naps: wall-clock minutes of this day → minutes after the chosen anchor.
  const napRaw = plan.nap.filter((s) => (clock.minuteEpoch(s.start) ?? Infinity) < cutoff);
  const odd = truncate(
    napRaw.map((s) => ({ mode: s.mode, start: ((clock.minuteEpoch(s.start) as number) - input.napAnchor) / 60, stop: ((clock.minuteEpoch(s.stop) as number) - input.napAnchor) / 60 })),
    input.napAnchor,
    cutoff,
  );
  const firstNap = odd[0], lastNap = odd[odd.length - 1];
  const first = stage[0], last = stage[stage.length - 1];
  const asleep = first !== undefined && last !== undefined;
  return {
    // No main sleep: st == ed around the sync time and all counters 0 (an older variant, docs/huami-api.md "Sleep summary").
    st: asleep ? night.anchor + first.start * 60 : sync,
    ed: asleep ? night.anchor + (last.stop + 1) * 60 : sync,
    dp: minutesOf(stage, 5),
    lt: minutesOf(stage, 4),
    dt: minutesOf(stage, 8),
    wk: minutesOf(stage, 7),
    wc: stage.filter((s) => s.mode === 7).length,
    rhr: asleep ? input.nightScores.rhr : 0,
    ss: asleep ? input.nightScores.ss : 0,
    is: asleep ? rng.int(5, 25) : 0,
    lb: asleep ? rng.int(5, 20) : 0,
    usrSt: -1440,
    usrEd: -1440,
    ps: firstNap ? input.napAnchor + firstNap.start * 60 : 0,
    pe: lastNap ? input.napAnchor + (lastNap.stop + 1) * 60 : 0,
    supRem: true,
    supNap: true,
    sleepScoreVersion: '1.0.2',
    stage,
    odd_stage: odd,
  };
}

/** Build the summary of one record. */
export function buildSummary(input: SummaryInput): Summary {
  const { clock, plan, minutes, switches, device, sync } = input;
  let maxHr = 0, maxAt = 0;
  for (let i = 0; i < 1440; i++) {
    const b = minutes.hr[i] as number;
    if (b > 0 && b < 254 && b > maxHr) { maxHr = b; maxAt = clock.minuteEpoch(i) as number; }
  }
  const summary: Summary = {
    v: 6,
    goal: plan.goal,
    tz: String(switches.tzField === 'standard' ? clock.standardOffset : clock.offsetAtMidnight),
    sn: device.sn,
    sync,
    algv: '2.13.14',
    // Meaning unknown: 8 and 190 are the values seen.
    byteLength: switches.recordWidth === 8 ? 8 : 190,
    isMerged: 0,
    stp: buildStp(plan, minutes),
    slp: buildSlp(input),
  };
  if (maxHr > 0) summary.hr = { maxHr: { hr: maxHr, ts: maxAt } };
  return summary;
}
