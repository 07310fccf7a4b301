// The cron wiring on fake timers: ticks, the zone of the next run and stop() are checked
// against a clock the test moves, so nothing here waits in real time.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ScheduleError, startSchedules, validateSchedules, type Schedules } from '../../src/daemon/scheduler.js';

// A Sunday morning in UTC (the day Europe/Berlin moves to summer time; Tokyo has no DST).
const NOW = Date.UTC(2025, 2, 30, 10, 0, 0);
let running: Schedules | undefined;
beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
});
afterEach(async () => {
  await running?.stop();
  running = undefined;
  vi.useRealTimers();
});

/** The error `fn` throws; fails the test when it throws nothing. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw, nothing was thrown');
}

describe('schedules', () => {
  it('rejects an invalid SYNC_SCHEDULE with a stable code before anything starts', () => {
    expect(() => validateSchedules('every half hour', '17 */6 * * *')).toThrow(ScheduleError);
    const err = thrown(() => validateSchedules('*/30 * * * *', '61 * * * *'));
    expect(err).toBeInstanceOf(ScheduleError);
    expect((err as ScheduleError).code).toBe('CONFIG_SCHEDULE_INVALID');
    expect((err as Error).message).toContain('REFRESH_SCHEDULE');
  });

  it('computes the next sync in the configured zone, not the host zone', () => {
    running = startSchedules({ syncSchedule: '0 6 * * *', refreshSchedule: '17 */6 * * *', timezone: 'Asia/Tokyo', onSync: () => {}, onRefresh: () => {} });
    const next = running.nextSyncAt();
    expect(next).toBeGreaterThan(Date.now());
    // 06:00 in Tokyo (UTC+9, no DST) is 21:00 UTC.
    expect(new Date(next!).getUTCHours()).toBe(21);
    expect(new Date(next!).getUTCMinutes()).toBe(0);
    // From 10:00 UTC (19:00 in Tokyo) the next 06:00 Tokyo is the same UTC day's 21:00.
    expect(next).toBe(Date.UTC(2025, 2, 30, 21, 0, 0));
  });

  it('calls the sync function on every tick (here: every second)', async () => {
    let ticks = 0;
    running = startSchedules({ syncSchedule: '* * * * * *', refreshSchedule: '17 */6 * * *', timezone: 'UTC', onSync: () => void ticks++, onRefresh: () => {} });
    await vi.advanceTimersByTimeAsync(2_300);
    expect(ticks).toBeGreaterThanOrEqual(2);
    await running.stop();
    const after = ticks;
    await vi.advanceTimersByTimeAsync(1_200);
    expect(ticks).toBe(after);
  });
});
