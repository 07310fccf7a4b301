// Activity: steps vs goal, distance, calories, stages, steps by hour, active minutes (issue 6, dashboard 3).
import { DAILY, U, bars, dashboard, line, type Json } from './lib.ts';
import { stepsVsGoal } from './shared.ts';

const W = `${U} AND $timeFilter`;

/** The Activity dashboard JSON. */
export function activity(): Json {
  return dashboard({
    uid: 'mifit-activity', title: 'Activity', from: 'now-30d',
    description: 'Daily totals at local midnight (activity_daily), activity stages and minute steps.',
    panels: [
      stepsVsGoal(24),
      { type: 'timeseries', title: 'Distance per day', w: 12, h: 8, unit: 'lengthm', min: 0, custom: bars(),
        targets: [{ query: `SELECT last("distance_m") AS "distance", last("run_distance_m") AS "running" FROM "activity_daily" WHERE ${W} ${DAILY}`, alias: '$col' }] },
      { type: 'timeseries', title: 'Active calories per day', w: 12, h: 8, unit: 'suffix: kcal', min: 0, custom: bars(),
        targets: [{ query: `SELECT last("calories_kcal") AS "calories", last("run_calories_kcal") AS "running" FROM "activity_daily" WHERE ${W} ${DAILY}`, alias: '$col' }] },
      { type: 'timeseries', title: 'Steps over the day (minute data)', w: 16, h: 8, timeFrom: '24h', interval: '1m', unit: 'none', min: 0, custom: bars(),
        targets: [{ query: `SELECT sum("steps") AS "steps" FROM "activity_minute" WHERE ${W} GROUP BY time($__interval) fill(0)`, alias: '$col' }] },
      { type: 'table', title: 'Activity stages (last 2 days)', w: 8, h: 8, timeFrom: '2d',
        overrides: [], targets: [{ query: `SELECT "duration_min" AS "minutes", "steps", "distance_m" AS "metres", "calories_kcal" AS "kcal" FROM "activity_stage" WHERE ${W} GROUP BY "kind"`, format: 'table' }] },
      { type: 'heatmap', title: 'Hourly steps per day', w: 12, h: 9, interval: '1h',
        description: 'Each column is a day; colour counts the hours of that day in each step bucket (hourly sums of minute steps).',
        targets: [{ query: `SELECT sum("steps") AS "steps" FROM "activity_minute" WHERE ${W} GROUP BY time(1h) fill(0) tz('$timezone')` }],
        options: {
          calculate: true,
          calculation: { xBuckets: { mode: 'size', value: '1d' }, yBuckets: { mode: 'count', value: '12' } },
          color: { mode: 'scheme', scheme: 'Oranges', steps: 64, exponent: 0.5, fill: 'dark-orange', reverse: false },
          yAxis: { axisPlacement: 'left', unit: 'none' }, cellGap: 1, legend: { show: true }, tooltip: { mode: 'single', yHistogram: false },
        } },
      { type: 'barchart', title: 'Steps by hour of day', w: 12, h: 9,
        description: 'Hourly step sums folded onto the hour of day over the selected range (Grafana formats the hour in the dashboard time zone; table results name the time column "Time").',
        targets: [{ query: `SELECT sum("steps") AS "steps" FROM "activity_minute" WHERE ${W} GROUP BY time(1h) fill(0) tz('$timezone')`, format: 'table' }],
        unit: 'none',
        transformations: [
          { id: 'formatTime', options: { timeField: 'Time', outputFormat: 'HH', useTimezone: true } },
          { id: 'groupBy', options: { fields: { Time: { aggregations: [], operation: 'groupby' }, steps: { aggregations: ['sum'], operation: 'aggregate' } } } },
          { id: 'sortBy', options: { sort: [{ field: 'Time' }] } },
        ],
        options: { orientation: 'vertical', xField: 'Time', showValue: 'never', legend: { showLegend: false, displayMode: 'list', placement: 'bottom' } } },
      { type: 'timeseries', title: 'Active minutes by kind (stages)', w: 12, h: 8, unit: 'm', min: 0, custom: bars(true),
        targets: [{ query: `SELECT sum("duration_min") AS "minutes" FROM "activity_stage" WHERE ${W} GROUP BY time(1d), "kind" fill(none) tz('$timezone')`, alias: '$tag_kind' }] },
      { type: 'timeseries', title: 'Walking and running time', w: 12, h: 8, unit: 'm', min: 0, custom: bars(true),
        targets: [{ query: `SELECT last("walk_min") AS "walking", last("run_min") AS "running" FROM "activity_daily" WHERE ${W} ${DAILY}`, alias: '$col' }] },
      { type: 'timeseries', title: 'Steps in activity stages by kind', w: 24, h: 7, unit: 'none', min: 0, custom: { ...line, drawStyle: 'points', pointSize: 8 },
        targets: [{ query: `SELECT sum("steps") AS "steps" FROM "activity_stage" WHERE ${W} GROUP BY time($__interval), "kind" fill(none)`, alias: '$tag_kind' }] },
    ],
  });
}
