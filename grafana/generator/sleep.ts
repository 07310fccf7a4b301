// Sleep: hypnogram, phase minutes, bedtime/wake consistency, sleep debt, naps (dashboard 2).
import { DAILY, U, bars, dashboard, line, steps, type Json } from './lib.ts';
import { hypnogram } from './shared.ts';

const MAIN = `${U} AND "sleep" = 'main' AND $timeFilter`;
const DEBT = `SELECT $target_hours * 60 - sum("asleep_min") AS "debt" FROM "sleep_daily" WHERE ${MAIN} ${DAILY}`;

/** The Sleep dashboard JSON. */
export function sleep(): Json {
  return dashboard({
    uid: 'mifit-sleep', title: 'Sleep', from: 'now-14d',
    description: 'Nights by wake day (sleep_daily at wake time): phases, timing, debt against a target, naps.',
    variables: [{
      name: 'target_hours', label: 'Sleep target (h)', type: 'custom', query: '8,7.5,7,6.5,6,8.5,9',
      current: { text: '8', value: '8' }, multi: false, includeAll: false, hide: 0,
      description: 'Nightly sleep target used for the sleep debt panels',
    }],
    panels: [
      hypnogram('Hypnogram', 24),
      { type: 'timeseries', title: 'Phase minutes per night', w: 12, h: 8, unit: 'm', min: 0, custom: bars(true),
        targets: [{ query: `SELECT sum("deep_min") AS "deep", sum("light_min") AS "light", sum("rem_min") AS "REM", sum("awake_min") AS "awake" FROM "sleep_daily" WHERE ${MAIN} ${DAILY}`, alias: '$col' }] },
      { type: 'timeseries', title: 'Sleep score', w: 12, h: 8, unit: 'none', min: 0, max: 100, custom: line,
        steps: steps('red', [60, 'orange'], [80, 'green']),
        targets: [{ query: `SELECT last("score") AS "score" FROM "sleep_daily" WHERE ${MAIN} ${DAILY}`, alias: '$col' }] },
      { type: 'timeseries', title: 'Bedtime and wake time (hours after local midnight)', w: 16, h: 8, unit: 'none', decimals: 1,
        description: 'Bedtime counts from the evening\'s midnight, so 23.5 is 23:30 and 24.5 is 00:30.', custom: { ...line, showPoints: 'always' },
        targets: [{ query: `SELECT last("bedtime_local_min") / 60 AS "bedtime", last("wake_local_min") / 60 AS "wake time" FROM "sleep_daily" WHERE ${MAIN} ${DAILY}`, alias: '$col' }] },
      { type: 'stat', title: 'Timing spread (std. dev.)', w: 8, h: 8, unit: 'm', decimals: 0,
        steps: steps('green', [30, 'orange'], [60, 'red']),
        targets: [{ query: `SELECT stddev("bedtime_local_min") AS "bedtime", stddev("wake_local_min") AS "wake time" FROM "sleep_daily" WHERE ${MAIN}` }] },
      { type: 'timeseries', title: 'Sleep debt per night (target − asleep)', w: 8, h: 8, unit: 'm', custom: bars(),
        steps: steps('green', [0, 'red']), color: { mode: 'thresholds' },
        targets: [{ query: DEBT, alias: '$col' }] },
      { type: 'timeseries', title: 'Accumulated sleep debt', w: 10, h: 8, unit: 'm', custom: line,
        targets: [{ query: `SELECT cumulative_sum("debt") AS "debt" FROM (${DEBT})`, alias: '$col' }] },
      { type: 'stat', title: 'Sleep debt over the range', w: 6, h: 8, unit: 'm',
        steps: steps('green', [60, 'orange'], [300, 'red']),
        targets: [{ query: `SELECT sum("debt") AS "debt" FROM (${DEBT})` }] },
      { type: 'table', title: 'Naps', w: 12, h: 8, unit: 'm',
        targets: [{ query: `SELECT "asleep_min" AS "asleep", "in_bed_min" AS "in bed", "light_min" AS "light", "deep_min" AS "deep" FROM "sleep_daily" WHERE ${U} AND "sleep" = 'nap' AND $timeFilter`, format: 'table' }] },
      { type: 'timeseries', title: 'Nap minutes per day', w: 12, h: 8, unit: 'm', min: 0, custom: bars(),
        targets: [{ query: `SELECT sum("asleep_min") AS "naps" FROM "sleep_daily" WHERE ${U} AND "sleep" = 'nap' AND $timeFilter ${DAILY}`, alias: '$col' }] },
      { type: 'timeseries', title: 'Wake-ups per night', w: 12, h: 7, unit: 'none', min: 0, custom: bars(),
        targets: [{ query: `SELECT last("wake_count") AS "wake-ups" FROM "sleep_daily" WHERE ${MAIN} ${DAILY}`, alias: '$col' }] },
      { type: 'timeseries', title: 'Time in bed vs asleep', w: 12, h: 7, unit: 'm', min: 0, custom: line,
        targets: [{ query: `SELECT sum("in_bed_min") AS "in bed", sum("asleep_min") AS "asleep" FROM "sleep_daily" WHERE ${MAIN} ${DAILY}`, alias: '$col' }] },
    ],
  });
}
