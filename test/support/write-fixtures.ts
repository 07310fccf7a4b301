// Points and helpers shared by the writer's integration tests.
import { createLogger } from '../../src/log.js';
import type { Point } from '../../src/schema/point.js';
import type { RetryPolicy } from '../../src/write/retry.js';
import type { Writer } from '../../src/write/types.js';
import { WriteError } from '../../src/write/errors.js';

export const quietLogger = createLogger('silent');

/** Retries in milliseconds instead of seconds. */
export const fastRetry: Partial<RetryPolicy> = { maxRetries: 2, baseDelayMs: 20, maxDelayMs: 100, jitter: 0 };

export const T0 = 1_700_000_000; // 2023-11-14T22:13:20Z

/** One point of each field type: integers, a float, a string. */
export function mixedPoints(user: string): Point[] {
  return [
    { measurement: 'activity_daily', tags: { user }, fields: { steps: 12345, distance_m: 9000, calories_kcal: 0 }, time: T0 },
    { measurement: 'sleep_stage', tags: { user, phase: 'rem', sleep: 'main' }, fields: { duration_min: 17, phase_code: 2, mode: 8 }, time: T0 + 60 },
    {
      measurement: 'sync_run',
      tags: { user },
      fields: { success: 1, duration_s: 2, points: 3, error_code: 'say "hi", \\ok', timezone: 'Europe/Berlin' },
      time: T0 + 120,
    },
    { measurement: 'sync_run', tags: { user }, fields: { success: 0, duration_s: 1.25, error_code: '' }, time: T0 + 180 },
  ];
}

/** `n` minute heart-rate points of one user from `start`. */
export function heartRate(user: string, n: number, start = T0): Point[] {
  return Array.from({ length: n }, (_, i) => ({
    measurement: 'heart_rate' as const,
    tags: { user },
    fields: { bpm: 50 + (i % 70) },
    time: start + i * 60,
  }));
}

/** The WriteError that the writer's start-up check() rejects with (the writer is closed after). */
export async function checkError(w: Writer): Promise<WriteError> {
  const err = await w.check().then(
    () => undefined,
    (e: unknown) => e,
  );
  await w.close();
  if (!(err instanceof WriteError)) throw new Error(`check() did not reject with a WriteError: ${String(err)}`);
  return err;
}
