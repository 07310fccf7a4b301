// Cron wiring (node-cron 4): it only calls plain functions at the right times, in an
// explicit IANA zone so "every day at 06:00" does not follow the container's TZ.
import cron, { type ScheduledTask } from 'node-cron';
import { isCronExpression } from '../config/formats.js';

export class ScheduleError extends Error {
  readonly code = 'CONFIG_SCHEDULE_INVALID';
  constructor(name: string, expr: string) {
    super(`${name}="${expr}" is not a valid cron expression (e.g. "*/30 * * * *")`);
  }
}

export interface Schedules {
  /** Epoch ms of the next sync tick, if any. */
  nextSyncAt(): number | undefined;
  /** Stop and forget both timers. */
  stop(): Promise<void>;
}

export interface ScheduleOptions {
  syncSchedule: string;
  refreshSchedule: string;
  timezone: string;
  onSync(): unknown;
  onRefresh(): unknown;
}

/**
 * Validate both expressions before anything starts (throws ScheduleError). loadConfig
 * already refuses a bad expression with the other settings (the same check, from
 * src/config/formats.ts); this guards callers that build a configuration themselves.
 */
export function validateSchedules(syncSchedule: string, refreshSchedule: string): void {
  if (!isCronExpression(syncSchedule)) throw new ScheduleError('SYNC_SCHEDULE', syncSchedule);
  if (!isCronExpression(refreshSchedule)) throw new ScheduleError('REFRESH_SCHEDULE', refreshSchedule);
}

/** Start the sync and refresh timers. The callbacks must not throw; they are not awaited. */
export function startSchedules(o: ScheduleOptions): Schedules {
  validateSchedules(o.syncSchedule, o.refreshSchedule);
  // The runner does its own skip-while-busy (so a manual run also blocks a tick); the
  // callbacks return at once, so node-cron never sees an overlap of its own.
  const tasks: ScheduledTask[] = [
    cron.schedule(o.syncSchedule, () => void o.onSync(), { timezone: o.timezone, name: 'sync' }),
    cron.schedule(o.refreshSchedule, () => void o.onRefresh(), { timezone: o.timezone, name: 'refresh' }),
  ];
  const [sync] = tasks;
  return {
    nextSyncAt: () => sync?.getNextRun()?.getTime(),
    async stop() {
      for (const t of tasks) await t.destroy();
    },
  };
}
