import { afterEach, describe, expect, it } from 'vitest';
import { ScheduleError, startSchedules, validateSchedules, type Schedules } from '../../src/daemon/scheduler.js';

let running: Schedules | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

describe('schedules', () => {
  it('rejects an invalid SYNC_SCHEDULE with a stable code before anything starts', () => {
    expect(() => validateSchedules('every half hour', '17 */6 * * *')).toThrow(ScheduleError);
    try {
      validateSchedules('*/30 * * * *', '61 * * * *');
    } catch (err) {
      expect((err as ScheduleError).code).toBe('CONFIG_SCHEDULE_INVALID');
      expect((err as Error).message).toContain('REFRESH_SCHEDULE');
    }
  });

  it('computes the next sync in the configured zone, not the host zone', () => {
    running = startSchedules({ syncSchedule: '0 6 * * *', refreshSchedule: '17 */6 * * *', timezone: 'Asia/Tokyo', onSync: () => {}, onRefresh: () => {} });
    const next = running.nextSyncAt();
    expect(next).toBeGreaterThan(Date.now());
    // 06:00 in Tokyo (UTC+9, no DST) is 21:00 UTC.
    expect(new Date(next!).getUTCHours()).toBe(21);
    expect(new Date(next!).getUTCMinutes()).toBe(0);
  });

  it('calls the sync function on every tick (here: every second)', async () => {
    let ticks = 0;
    running = startSchedules({ syncSchedule: '* * * * * *', refreshSchedule: '17 */6 * * *', timezone: 'UTC', onSync: () => void ticks++, onRefresh: () => {} });
    await new Promise((r) => setTimeout(r, 2_300));
    expect(ticks).toBeGreaterThanOrEqual(2);
    await running.stop();
    const after = ticks;
    await new Promise((r) => setTimeout(r, 1_200));
    expect(ticks).toBe(after);
  });
});
