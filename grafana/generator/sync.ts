// Sync health: last success, days behind and failed days per account, runs and errors, points, token expiry (dashboard 5).
import { U, bars, byName, dashboard, line, steps, valueMap, type Json } from './lib.ts';

const W = `${U} AND $timeFilter`;
/** Any failed day is worth a look: 0 green, 1 or more red. */
const FAILED_STEPS = steps('green', [1, 'red']);
const OUTCOME = valueMap({ '1': { text: 'OK', color: 'green' }, '0': { text: 'failed', color: 'red' } });

/** The Sync health dashboard JSON. */
export function syncHealth(): Json {
  return dashboard({
    uid: 'mifit-sync-health', title: 'Sync health', from: 'now-2d',
    description: 'One sync_run point per run and account, written by mifit-sync itself.',
    panels: [
      { type: 'table', title: 'Accounts (latest run, last 30 days)', w: 24, h: 6, timeFrom: '30d',
        mappings: [OUTCOME],
        overrides: [
          byName('last success', { unit: 'dateTimeFromNow' }),
          byName('last band data', { unit: 'dateTimeFromNow' }),
          byName('token expires', { unit: 'dateTimeFromNow' }),
          byName('days behind', { unit: 'none', 'custom.cellOptions': { type: 'color-text' }, thresholds: { mode: 'absolute', steps: steps('green', [1, 'orange'], [2, 'red']) } }),
          byName('days failed', { unit: 'none', 'custom.cellOptions': { type: 'color-text' }, thresholds: { mode: 'absolute', steps: FAILED_STEPS } }),
        ],
        targets: [{ format: 'table', query: 'SELECT last("success") AS "ok", last("days_behind") AS "days behind", last("days_failed") AS "days failed", last("last_success_s") * 1000 AS "last success", last("last_data_s") * 1000 AS "last band data", last("token_expires_s") * 1000 AS "token expires", last("error_code") AS "last error", last("timezone") AS "time zone" FROM "sync_run" WHERE $timeFilter GROUP BY "user"' }] },
      { type: 'stat', title: 'Last successful sync', w: 5, h: 5, timeFrom: '30d', unit: 'dateTimeFromNow',
        targets: [{ query: `SELECT last("last_success_s") * 1000 AS "last success" FROM "sync_run" WHERE ${W}` }] },
      { type: 'stat', title: 'Days behind', w: 5, h: 5, timeFrom: '30d', unit: 'none',
        steps: steps('green', [1, 'orange'], [2, 'red']),
        targets: [{ query: `SELECT last("days_behind") AS "days behind" FROM "sync_run" WHERE ${W}` }] },
      { type: 'stat', title: 'Days failing', w: 4, h: 5, timeFrom: '30d', unit: 'none', steps: FAILED_STEPS,
        description: 'Days left in the failed state by the latest run (malformed or oversized answers); they are retried on every run. The "Days failing" alert fires when this stays above 0.',
        targets: [{ query: `SELECT last("days_failed") AS "days failed" FROM "sync_run" WHERE ${W}` }] },
      { type: 'stat', title: 'Newest band data', w: 5, h: 5, timeFrom: '30d', unit: 'dateTimeFromNow',
        targets: [{ query: `SELECT last("last_data_s") * 1000 AS "band data" FROM "sync_run" WHERE ${W}` }] },
      { type: 'stat', title: 'Token expires', w: 5, h: 5, timeFrom: '30d', unit: 'dateTimeFromNow',
        targets: [{ query: `SELECT last("token_expires_s") * 1000 AS "token expires" FROM "sync_run" WHERE ${W}` }] },
      { type: 'state-timeline', title: 'Run outcome', w: 24, h: 4, mappings: [OUTCOME], interval: '30m',
        options: { showValue: 'never', mergeValues: true },
        targets: [{ query: `SELECT min("success") AS "run" FROM "sync_run" WHERE ${W} GROUP BY time($__interval) fill(none)`, alias: '$col' }] },
      { type: 'timeseries', title: 'Runs and failures', w: 12, h: 8, interval: '1h', unit: 'none', min: 0, custom: bars(),
        overrides: [byName('failed', { color: { mode: 'fixed', fixedColor: 'red' } })],
        targets: [{ query: `SELECT count("success") AS "runs", count("success") - sum("success") AS "failed" FROM "sync_run" WHERE ${W} GROUP BY time($__interval) fill(none)`, alias: '$col' }] },
      { type: 'timeseries', title: 'Points and days written', w: 12, h: 8, interval: '1h', unit: 'none', min: 0, custom: bars(),
        targets: [{ query: `SELECT sum("points") AS "points", sum("days_written") AS "days written" FROM "sync_run" WHERE ${W} GROUP BY time($__interval) fill(none)`, alias: '$col' }] },
      { type: 'table', title: 'Failed runs', w: 12, h: 8,
        targets: [{ format: 'table', query: `SELECT "error_code" AS "error", "days_behind" AS "days behind", "requests", "duration_s" AS "seconds" FROM "sync_run" WHERE ${W} AND "success" = 0` }] },
      { type: 'timeseries', title: 'Run duration and Huami requests', w: 12, h: 8, interval: '1h', unit: 'none', custom: line,
        overrides: [byName('duration', { unit: 's' })],
        targets: [{ query: `SELECT mean("duration_s") AS "duration", sum("requests") AS "requests", sum("warnings") AS "warnings" FROM "sync_run" WHERE ${W} GROUP BY time($__interval) fill(none)`, alias: '$col' }] },
      { type: 'timeseries', title: 'Failed days and days without data', w: 24, h: 6, interval: '1h', unit: 'none', min: 0, custom: line,
        description: 'days failed: days in the failed state after the runs (retried on each run). days without data: days fetched that the band had not uploaded (not worn, or not synced to the phone yet).',
        overrides: [byName('days failed', { color: { mode: 'fixed', fixedColor: 'red' } })],
        targets: [{ query: `SELECT max("days_failed") AS "days failed", max("days_no_data") AS "days without data" FROM "sync_run" WHERE ${W} GROUP BY time($__interval) fill(none)`, alias: '$col' }] },
    ],
  });
}
