// The `sync_run` point of one account's run (MEASUREMENTS.sync_run): how the run went,
// written through the same writer at the end of the run so dashboards and alerts see it.
import type { Point } from '../schema/point.js';
import type { AccountRunResult } from './types.js';

export interface RunPointMeta {
  user: string;
  timezone: string;
  /** Epoch ms of the end of the last successful run (this one when it succeeded). */
  lastSuccessAt?: number;
}

const sec = (ms: number): number => Math.floor(ms / 1000);

/** One sync_run point for a finished account run. */
export function syncRunPoint(r: AccountRunResult, meta: RunPointMeta): Point {
  const fields: Point['fields'] = {
    success: r.ok ? 1 : 0,
    days_fetched: r.daysFetched,
    days_written: r.daysWritten,
    points: r.points,
    warnings: r.warnings,
    requests: r.requests,
    duration_s: Math.max(0, r.finishedAt - r.startedAt) / 1000,
    days_behind: r.daysBehind,
    days_failed: r.daysFailed,
    days_no_data: r.daysNoData,
    error_code: r.error?.code ?? '',
    timezone: meta.timezone,
  };
  if (r.lastDataAt !== undefined) fields.last_data_s = sec(r.lastDataAt);
  if (meta.lastSuccessAt !== undefined) fields.last_success_s = sec(meta.lastSuccessAt);
  if (r.tokenExpiresAt !== undefined) fields.token_expires_s = sec(r.tokenExpiresAt);
  return { measurement: 'sync_run', tags: { user: meta.user }, fields, time: sec(r.finishedAt) };
}
