// Overview: today and the last 7/30 days at a glance (dashboard 1).
import { DAILY, U, bars, byName, dashboard, markdownLinks, steps, type Json } from './lib.ts';
import { hypnogram, restingHr, stepsVsGoal } from './shared.ts';

const MAIN = `${U} AND "sleep" = 'main' AND $timeFilter`;

/** The Overview dashboard JSON. */
export function overview(): Json {
  return dashboard({
    uid: 'mifit-overview', title: 'Overview', from: 'now-30d',
    description: 'Steps against goal, last night, sleep score, resting heart rate, PAI and goal streaks.',
    panels: [
      { type: 'stat', title: 'Steps (latest day)', w: 4, h: 5, timeFrom: '2d', unit: 'none',
        targets: [{ query: `SELECT last("steps") AS "steps" FROM "activity_daily" WHERE ${U} AND $timeFilter` }] },
      { type: 'gauge', title: 'Goal reached (latest day)', w: 4, h: 5, timeFrom: '2d', unit: 'percent', min: 0, max: 150,
        steps: steps('red', [50, 'orange'], [100, 'green']),
        targets: [{ query: `SELECT last("steps") / last("goal_steps") * 100 AS "goal" FROM "activity_daily" WHERE ${U} AND $timeFilter` }] },
      { type: 'stat', title: 'Average steps, 7 days', w: 4, h: 5, timeFrom: '7d', unit: 'none', decimals: 0,
        targets: [{ query: `SELECT mean("steps") AS "steps" FROM "activity_daily" WHERE ${U} AND $timeFilter` }] },
      { type: 'stat', title: 'Average steps, 30 days', w: 4, h: 5, timeFrom: '30d', unit: 'none', decimals: 0,
        targets: [{ query: `SELECT mean("steps") AS "steps" FROM "activity_daily" WHERE ${U} AND $timeFilter` }] },
      { type: 'stat', title: 'Days at goal, 7 days', w: 4, h: 5, timeFrom: '7d', unit: 'none', noValue: '0',
        steps: steps('red', [3, 'orange'], [5, 'green']),
        targets: [{ query: `SELECT count("over") AS "days" FROM (SELECT last("steps") - last("goal_steps") AS "over" FROM "activity_daily" WHERE ${U} AND $timeFilter ${DAILY}) WHERE "over" >= 0` }] },
      { type: 'stat', title: 'Days at goal, 30 days', w: 4, h: 5, timeFrom: '30d', unit: 'none', noValue: '0',
        steps: steps('red', [10, 'orange'], [20, 'green']),
        targets: [{ query: `SELECT count("over") AS "days" FROM (SELECT last("steps") - last("goal_steps") AS "over" FROM "activity_daily" WHERE ${U} AND $timeFilter ${DAILY}) WHERE "over" >= 0` }] },

      { type: 'stat', title: 'Last night asleep', w: 4, h: 5, timeFrom: '36h', unit: 'm',
        steps: steps('red', [360, 'orange'], [420, 'green']),
        targets: [{ query: `SELECT last("asleep_min") AS "asleep" FROM "sleep_daily" WHERE ${MAIN}` }] },
      { type: 'stat', title: 'Sleep score', w: 4, h: 5, timeFrom: '36h', unit: 'none', min: 0, max: 100,
        steps: steps('red', [60, 'orange'], [80, 'green']),
        targets: [{ query: `SELECT last("score") AS "score" FROM "sleep_daily" WHERE ${MAIN}` }] },
      { type: 'bargauge', title: "Last night's phases", w: 8, h: 5, timeFrom: '36h', unit: 'm', min: 0,
        options: { orientation: 'horizontal', displayMode: 'gradient', showUnfilled: true },
        targets: [{ query: `SELECT last("deep_min") AS "deep", last("light_min") AS "light", last("rem_min") AS "REM", last("awake_min") AS "awake" FROM "sleep_daily" WHERE ${MAIN}` }] },
      { type: 'stat', title: 'Resting heart rate (last night)', w: 4, h: 5, timeFrom: '36h', unit: 'suffix: bpm',
        targets: [{ query: `SELECT last("resting_hr_bpm") AS "resting" FROM "sleep_daily" WHERE ${MAIN}` }] },
      { type: 'stat', title: 'Days behind', w: 4, h: 5, timeFrom: '7d', unit: 'none',
        steps: steps('green', [1, 'orange'], [2, 'red']),
        targets: [{ query: `SELECT last("days_behind") AS "days" FROM "sync_run" WHERE ${U} AND $timeFilter` }] },

      hypnogram('Last night', 24, '36h'),
      stepsVsGoal(12),
      restingHr(12),
      { type: 'gauge', title: 'PAI (7 days)', w: 6, h: 8, timeFrom: '4d', unit: 'none', min: 0, max: 150, decimals: 0,
        description: 'PAI of the trailing 7 days as the app shows it (pai_daily.total_pai, the newest day the service has computed: one to two days late); target 100.',
        steps: steps('red', [50, 'orange'], [100, 'green']),
        targets: [{ query: `SELECT last("total_pai") AS "PAI" FROM "pai_daily" WHERE ${U} AND $timeFilter` }] },
      { type: 'timeseries', title: 'PAI per day and 7-day total', w: 18, h: 8, unit: 'none', min: 0, decimals: 0,
        description: 'PAI earned each day (bars, pai_daily.pai) and the trailing 7-day total the app shows (line, pai_daily.total_pai) against the target of 100 (dashed).',
        custom: { ...bars(), thresholdsStyle: { mode: 'dashed' } }, steps: steps('transparent', [100, 'green']), color: { mode: 'palette-classic' },
        targets: [{ query: `SELECT last("pai") AS "daily", last("total_pai") AS "7-day total" FROM "pai_daily" WHERE ${U} AND $timeFilter ${DAILY}`, alias: '$col' }],
        overrides: [byName('7-day total', { 'custom.drawStyle': 'line', 'custom.lineWidth': 2, 'custom.fillOpacity': 0, 'custom.showPoints': 'never' })] },
      { type: 'state-timeline', title: 'Goal streaks (green: goal reached)', w: 24, h: 4, unit: 'percent',
        steps: steps('red', [100, 'green']), options: { showValue: 'never', mergeValues: false },
        targets: [{ query: `SELECT last("steps") / last("goal_steps") * 100 AS "goal" FROM "activity_daily" WHERE ${U} AND $timeFilter ${DAILY}` }] },
      { type: 'text', title: 'More', w: 24, h: 3,
        options: { mode: 'markdown', content: markdownLinks('mifit-overview') } },
    ],
  });
}
