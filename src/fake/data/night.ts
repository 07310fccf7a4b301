// One night of sleep as ground truth: contiguous phases with a realistic cycle structure
// (~90-minute cycles: light → deep → light → REM, deep shrinking and REM growing through
// the night, brief awakenings between cycles). Modes (docs/huami-api.md "Sleep summary"): 4 light, 5 deep,
// 7 awake, 8 REM. Minutes are ELAPSED minutes after local midnight of the evening date,
// which equals wall-clock minutes except after a DST switch during the night; elapsed
// minutes keep the anchor arithmetic exact (segment = anchor + start·60
// … anchor + (stop+1)·60, ed = anchor + (last.stop+1)·60).
import type { Rng } from './rng.js';
import type { SleepStage } from './types.js';

/** A night that starts on the evening of `evening` (E) and ends on the next morning. */
export interface Night {
  evening: string;
  /** Epoch seconds of local midnight of E: the anchor of `stages`. */
  anchor: number;
  /** False when the band was not worn that night: its window is "not worn", no sleep is recorded. */
  worn: boolean;
  stages: SleepStage[];
  /** Mode per elapsed minute from stages[0].start (0 = not asleep); for fast rendering. */
  modeByMinute: Uint8Array;
}

function push(stages: SleepStage[], mode: number, minutes: number): void {
  if (minutes <= 0) return;
  const last = stages[stages.length - 1];
  if (last && last.mode === mode) {
    last.stop += minutes;
    return;
  }
  const start = last ? last.stop + 1 : 0;
  stages.push({ start, stop: start + minutes - 1, mode });
}

/** Generate the phases of one night (deterministic for a given rng state). */
export function generateNight(rng: Rng, evening: string, anchor: number, worn: boolean): Night {
  const bedtime = rng.int(1290, 1440); // 21:30 … 00:00
  const length = rng.int(380, 510);
  const rel: SleepStage[] = [];
  for (let cycle = 0; (rel[rel.length - 1]?.stop ?? -1) + 1 < length; cycle++) {
    push(rel, 4, rng.int(12, 35));
    push(rel, 5, cycle < 2 ? rng.int(25, 50) : cycle < 3 ? rng.int(8, 25) : rng.chance(0.4) ? rng.int(4, 10) : 0);
    push(rel, 4, rng.int(8, 25));
    push(rel, 8, cycle === 0 ? rng.int(4, 12) : rng.int(14, 30) + cycle * 3);
    if (rng.chance(0.4)) push(rel, 7, rng.int(2, 9));
  }
  // Cut to the planned length; never end on an awakening (the band then ends the sleep earlier).
  while (rel.length > 1 && (rel[rel.length - 1] as SleepStage).start >= length) rel.pop();
  const last = rel[rel.length - 1] as SleepStage;
  last.stop = Math.min(last.stop, length - 1);
  if (last.mode === 7 && rel.length > 1) rel.pop();
  const stages = rel.map((s) => ({ start: s.start + bedtime, stop: s.stop + bedtime, mode: s.mode }));
  const first = stages[0] as SleepStage;
  const modeByMinute = new Uint8Array((stages[stages.length - 1] as SleepStage).stop - first.start + 1);
  for (const s of stages) modeByMinute.fill(s.mode, s.start - first.start, s.stop - first.start + 1);
  return { evening, anchor, worn, stages, modeByMinute };
}

/** Sleep mode (4/5/7/8) at an instant, 0 when not asleep or the band was off; 3 when off during the night window. */
export function nightStateAt(night: Night, epochSec: number): number {
  const first = night.stages[0] as SleepStage;
  const e = Math.floor((epochSec - night.anchor) / 60) - first.start;
  if (e < 0 || e >= night.modeByMinute.length) return 0;
  return night.worn ? (night.modeByMinute[e] as number) : 3;
}
