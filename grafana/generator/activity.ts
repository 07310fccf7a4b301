// Activity: steps vs goal, distance, calories, stages, steps by hour, active minutes (dashboard 3).
import { DAILY, U, bars, dashboard, line, type Json } from './lib.ts';
import { stepsVsGoal } from './shared.ts';

const W = `${U} AND $timeFilter`;
const DAY_MS = 86_400_000;

/**
 * A heatmap built from rows (calculate: false) treats each timestamp as the END of its x bucket
 * (rowsToCellsHeatmap names the field xMax: Prometheus convention), while InfluxDB labels a
 * GROUP BY time(1d) bucket by its START. Without this shift every day is drawn one column early.
 * Per frame: a number field "day end" = Time + 1 day, made a time field, and the old Time dropped.
 * (23/25-hour DST days end an hour off: invisible at one column per day.)
 */
function dayEndTime(): Json[] {
  return [
    { id: 'calculateField', options: { mode: 'binary', alias: 'day end', replaceFields: false,
      binary: { left: { matcher: { id: 'byName', options: 'Time' } }, operator: '+', right: { fixed: String(DAY_MS) } } } },
    { id: 'convertFieldType', options: { fields: {}, conversions: [{ targetField: 'day end', destinationType: 'time' }] } },
    { id: 'organize', options: { excludeByName: { Time: true }, indexByName: { 'day end': 0 }, renameByName: {} } },
  ];
}

/** The Activity dashboard JSON. */
export function activity(): Json {
  return dashboard({
    uid: 'mifit-activity', title: 'Activity', from: 'now-30d',
    description: 'Daily totals at local midnight (activity_daily), activity stages, minute steps and steps by local hour of day (activity_hourly).',
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
      { type: 'heatmap', title: 'Steps by hour of day, per day', w: 12, h: 9,
        description: 'One column per local day, one row per local hour of day (activity_hourly; hour 00 at the top); colour = steps in that hour. Empty cells: no steps.',
        // 24 series named by the `hour` tag; with calculate: false Grafana uses each series as one
        // row, ordered by its numeric name (heatmap fields.ts prepareHeatmapData → rowsToCellsHeatmap).
        targets: [{ query: `SELECT sum("steps") AS "steps" FROM "activity_hourly" WHERE ${W} GROUP BY time(1d), "hour" fill(0) tz('$timezone')`, alias: '$tag_hour' }],
        transformations: dayEndTime(),
        options: {
          calculate: false,
          rowsFrame: { layout: 'unknown', value: 'steps' },
          color: { mode: 'scheme', scheme: 'Oranges', steps: 64, exponent: 0.5, fill: 'dark-orange', reverse: false, scale: 'exponential', min: 0 },
          yAxis: { axisPlacement: 'left', reverse: true, axisLabel: 'hour of day' },
          cellGap: 1, cellValues: { unit: 'none', decimals: 0 }, showValue: 'never',
          legend: { show: true }, tooltip: { mode: 'single', yHistogram: false, showColorScale: true },
          exemplars: { color: 'rgba(255,0,255,0.7)' },
        } },
      { type: 'barchart', title: 'Steps by hour of day', w: 12, h: 9,
        description: 'Steps per local hour of day (activity_hourly.hour), summed over the selected range.',
        targets: [{ query: `SELECT sum("steps") AS "steps" FROM "activity_hourly" WHERE ${W} GROUP BY "hour"`, format: 'table' }],
        unit: 'none', min: 0,
        // Table results carry the range start as "Time"; the bars only need the hour and the sum.
        transformations: [{ id: 'organize', options: { excludeByName: { Time: true }, renameByName: { hour: 'hour of day' } } }],
        options: { orientation: 'vertical', xField: 'hour of day', showValue: 'never', legend: { showLegend: false, displayMode: 'list', placement: 'bottom' } } },
      { type: 'timeseries', title: 'Active minutes by kind (stages)', w: 12, h: 8, unit: 'm', min: 0, custom: bars(true),
        targets: [{ query: `SELECT sum("duration_min") AS "minutes" FROM "activity_stage" WHERE ${W} GROUP BY time(1d), "kind" fill(none) tz('$timezone')`, alias: '$tag_kind' }] },
      { type: 'timeseries', title: 'Walking and running time', w: 12, h: 8, unit: 'm', min: 0, custom: bars(true),
        targets: [{ query: `SELECT last("walk_min") AS "walking", last("run_min") AS "running" FROM "activity_daily" WHERE ${W} ${DAILY}`, alias: '$col' }] },
      { type: 'timeseries', title: 'Steps in activity stages by kind', w: 24, h: 7, unit: 'none', min: 0, custom: { ...line, drawStyle: 'points', pointSize: 8 },
        targets: [{ query: `SELECT sum("steps") AS "steps" FROM "activity_stage" WHERE ${W} GROUP BY time($__interval), "kind" fill(none)`, alias: '$tag_kind' }] },
    ],
  });
}
