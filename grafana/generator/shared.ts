// Panels used on more than one dashboard (Overview repeats the key Sleep/Activity/Heart panels).
import { DAILY, U, bars, byName, line, steps, valueMap, type PanelSpec } from './lib.ts';

/** sleep_stage.phase_code → name and colour; 0 is the closing `end` point (out of bed). */
export const PHASE_MAPPING = valueMap({
  '0': { text: 'out of bed', color: 'transparent' },
  '1': { text: 'awake', color: 'red' },
  '2': { text: 'REM', color: 'purple' },
  '3': { text: 'light', color: 'light-blue' },
  '4': { text: 'deep', color: 'dark-blue' },
});

/** Hypnogram: each phase_code point holds until the next; the `end` point (0) closes the last phase at wake time. */
export function hypnogram(title: string, w: number, timeFrom?: string): PanelSpec {
  return {
    type: 'state-timeline', title, w, h: 7, ...(timeFrom ? { timeFrom } : {}),
    description: 'Sleep phases in order (sleep_stage.phase_code); a row per sleep kind (main night, nap).',
    targets: [{
      query: `SELECT "phase_code" AS "phase" FROM "sleep_stage" WHERE ${U} AND $timeFilter GROUP BY "sleep"`,
      alias: '$tag_sleep',
    }],
    mappings: [PHASE_MAPPING],
    color: { mode: 'fixed', fixedColor: 'text' },
    custom: { fillOpacity: 90, lineWidth: 0 },
    options: { mergeValues: true, showValue: 'never', rowHeight: 0.9, alignValue: 'left', legend: { showLegend: true, displayMode: 'list', placement: 'bottom' } },
  };
}

/** Daily steps as bars with the day's goal as a line. */
export function stepsVsGoal(w: number, timeFrom?: string): PanelSpec {
  return {
    type: 'timeseries', title: 'Steps per day vs goal', w, h: 8, ...(timeFrom ? { timeFrom } : {}),
    targets: [{
      query: `SELECT last("steps") AS "steps", last("goal_steps") AS "goal" FROM "activity_daily" WHERE ${U} AND $timeFilter ${DAILY}`,
      alias: '$col',
    }],
    unit: 'none', min: 0, custom: bars(),
    overrides: [byName('goal', { 'custom.drawStyle': 'line', 'custom.lineStyle': { fill: 'dash', dash: [10, 10] }, color: { mode: 'fixed', fixedColor: 'orange' } })],
  };
}

/** Resting heart rate per night (from sleep_daily) by wake day. */
export function restingHr(w: number, timeFrom?: string): PanelSpec {
  return {
    type: 'timeseries', title: 'Resting heart rate', w, h: 8, ...(timeFrom ? { timeFrom } : {}),
    targets: [
      { query: `SELECT last("resting_hr_bpm") AS "resting" FROM "sleep_daily" WHERE ${U} AND "sleep" = 'main' AND $timeFilter ${DAILY}`, alias: '$col' },
      { query: `SELECT moving_average(last("resting_hr_bpm"), 7) AS "7-night baseline" FROM "sleep_daily" WHERE ${U} AND "sleep" = 'main' AND $timeFilter ${DAILY}`, alias: '$col' },
    ],
    unit: 'suffix: bpm', custom: line, steps: steps('green'),
  };
}
