// Scheduled runs spread over the sync interval: on every SYNC_SCHEDULE tick each account
// starts at its own offset into the interval, a fraction of it fixed by a hash of the
// account's state key (the same after every restart), so that many accounts do not burst
// the Huami cloud at the same second. Each account's run is its own: one that is slow or
// failing is skipped at its next offset while the others keep theirs.
import { createHash } from 'node:crypto';

/** The account's fixed place in the interval, in [0, 1): from the first 32 bits of sha256(key). */
export function jitterFraction(key: string): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) / 2 ** 32;
}

/** Share of the interval the offsets cover, so the last account still starts before the next tick. */
export const SPREAD_SHARE = 0.9;

export interface SpreadOptions {
  /** State keys of the accounts to schedule. */
  keys(): readonly string[];
  /** Length of the interval just begun, ms (time to the next tick). */
  intervalMs(): number;
  /** Start one account's run (must not throw; not awaited). */
  run(key: string): unknown;
  /** Timer functions (tests pass vi's fake timers through the globals). */
  setTimer?: (fn: () => void, ms: number) => NodeJS.Timeout;
  clearTimer?: (t: NodeJS.Timeout) => void;
}

export interface Spreader {
  /** A tick of the schedule: start every account at its offset into the interval. */
  tick(): void;
  /** The offset of `key` in an interval of `ms`. */
  offsetMs(key: string, ms: number): number;
  /** Forget every pending start. */
  stop(): void;
}

/** Per-account offsets into each interval. */
export function createSpreader(o: SpreadOptions): Spreader {
  const setTimer = o.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = o.clearTimer ?? ((t) => clearTimeout(t));
  const pending = new Map<string, NodeJS.Timeout>();
  const offsetMs = (key: string, ms: number): number => Math.floor(jitterFraction(key) * Math.max(0, ms) * SPREAD_SHARE);
  return {
    offsetMs,
    tick() {
      const ms = o.intervalMs();
      for (const key of o.keys()) {
        // A start not yet reached from the previous tick (the clock jumped): this one replaces it.
        const old = pending.get(key);
        if (old) clearTimer(old);
        pending.set(
          key,
          setTimer(() => {
            pending.delete(key);
            o.run(key);
          }, offsetMs(key, ms)),
        );
      }
    },
    stop() {
      for (const t of pending.values()) clearTimer(t);
      pending.clear();
    },
  };
}
