// Per-item decoding context: the day label, the zone and a warning sink. Local to one
// decodeItem call, so the decoder stays pure.
import type { Zone } from 'luxon';
import type { DecodeWarning } from './types.js';
import type { LocalDate } from './time.js';

/** Collects warnings for one day. */
export class DayContext {
  readonly warnings: DecodeWarning[] = [];
  constructor(
    readonly day: string,
    readonly user: string,
  ) {}

  /** Record a problem; the decoder carries on with the rest of the day. */
  warn(code: string, message: string): void {
    this.warnings.push({ day: this.day, code, message });
  }
}

/** What the parts of a day need once the date and zone are known. */
export interface DayFrame {
  ctx: DayContext;
  date: LocalDate;
  zone: Zone;
  /** [start, end) of the record date in the zone, epoch seconds. */
  window: { start: number; end: number };
  /** [start, end) the record's sleep points must lie in (time.ts sleepWindow, docs/metrics.md "Windows"). */
  sleepWindow: { start: number; end: number };
}
