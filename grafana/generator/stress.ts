// Stress & recovery: all-day stress, readiness with HRV / resting HR / skin temperature against
// their baselines, SpO₂ spot checks and the nightly ODI (the health events of docs/metrics.md).
import { DAILY, U, bars, byName, dashboard, line, steps, type Json, type PanelSpec } from './lib.ts';

const W = `${U} AND $timeFilter`;
/** Nightly ODI the service marks valid (blood_oxygen_odi.valid = 1). */
const ODI = `${U} AND "valid" = 1 AND $timeFilter`;

/** The service's stress zones (docs/metrics.md "Health events"): 0–39, 40–59, 60–79, 80–100. */
export const STRESS_ZONES = steps('blue', [40, 'green'], [60, 'orange'], [80, 'red']);
const ZONE_COLOURS: [string, string][] = [['relaxed', 'blue'], ['normal', 'green'], ['medium', 'orange'], ['high', 'red']];

const fixed = (color: string): Json => ({ color: { mode: 'fixed', fixedColor: color } });
const dashed = { 'custom.lineStyle': { fill: 'dash', dash: [10, 10] } };

/** A nightly value and its personal baseline from `readiness` (baseline dashed). */
function againstBaseline(title: string, field: string, alias: string, baseline: string, unit: string): PanelSpec {
  return {
    type: 'timeseries', title, w: 12, h: 8, unit, custom: { ...line, showPoints: 'always' },
    description: `readiness.${field} per night (wake day) and the service's personal baseline readiness.${baseline}.`,
    targets: [{ query: `SELECT last("${field}") AS "${alias}", last("${baseline}") AS "baseline" FROM "readiness" WHERE ${W} ${DAILY}`, alias: '$col' }],
    overrides: [byName('baseline', { ...dashed, ...fixed('text') })],
  };
}

/** The Stress & recovery dashboard JSON. */
export function stressRecovery(): Json {
  return dashboard({
    uid: 'mifit-stress-recovery', title: 'Stress & recovery', from: 'now-30d',
    description: 'All-day stress (stress_sample, stress_daily), readiness with HRV, resting heart rate and skin temperature against their baselines (readiness), SpO₂ spot checks and the nightly ODI (blood_oxygen_*).',
    panels: [
      { type: 'stat', title: 'Stress (latest day, average)', w: 4, h: 5, timeFrom: '2d', unit: 'none', steps: STRESS_ZONES,
        targets: [{ query: `SELECT last("stress_avg") AS "stress" FROM "stress_daily" WHERE ${W}` }] },
      { type: 'stat', title: 'Readiness (last night)', w: 4, h: 5, timeFrom: '2d', unit: 'none', min: 0, max: 100,
        steps: steps('red', [50, 'orange'], [70, 'green']),
        targets: [{ query: `SELECT last("readiness_score") AS "readiness" FROM "readiness" WHERE ${W}` }] },
      { type: 'stat', title: 'Sleep HRV (last night)', w: 4, h: 5, timeFrom: '2d', unit: 'ms',
        targets: [{ query: `SELECT last("sleep_hrv_ms") AS "HRV" FROM "readiness" WHERE ${W}` }] },
      { type: 'stat', title: 'Skin temperature vs baseline (last night)', w: 4, h: 5, timeFrom: '2d', unit: 'celsius', decimals: 2,
        steps: steps('blue', [-0.5, 'green'], [0.5, 'orange'], [1, 'red']),
        targets: [{ query: `SELECT last("skin_temp_delta_c") AS "skin temperature" FROM "readiness" WHERE ${W}` }] },
      { type: 'stat', title: 'SpO₂ (latest spot check)', w: 4, h: 5, timeFrom: '7d', unit: 'percent',
        steps: steps('red', [90, 'orange'], [95, 'green']),
        targets: [{ query: `SELECT last("saturation_pct") AS "SpO2" FROM "blood_oxygen_spot" WHERE ${W}` }] },
      { type: 'stat', title: 'ODI (last night)', w: 4, h: 5, timeFrom: '2d', unit: 'suffix: /h', decimals: 2,
        description: 'Oxygen desaturations per hour of sleep (blood_oxygen_odi.odi_per_h, nights the service marks valid).',
        steps: steps('green', [5, 'orange'], [15, 'red']),
        targets: [{ query: `SELECT last("odi_per_h") AS "ODI" FROM "blood_oxygen_odi" WHERE ${ODI}` }] },

      { type: 'state-timeline', title: 'Stress through the day (zones)', w: 24, h: 4, timeFrom: '24h', interval: '5m', unit: 'none',
        description: 'Stress per 5 minutes coloured by zone: blue relaxed (0–39), green normal (40–59), orange medium (60–79), red high (80–100). Empty: no sample (not worn).',
        steps: STRESS_ZONES, custom: { fillOpacity: 90, lineWidth: 0 },
        options: { mergeValues: false, showValue: 'never', rowHeight: 0.9, alignValue: 'left', legend: { showLegend: false, displayMode: 'list', placement: 'bottom' } },
        targets: [{ query: `SELECT mean("stress") AS "stress" FROM "stress_sample" WHERE ${W} GROUP BY time($__interval) fill(null)`, alias: '$col' }] },
      { type: 'timeseries', title: 'Stress through the day', w: 24, h: 7, timeFrom: '24h', interval: '5m', unit: 'none', min: 0, max: 100,
        steps: STRESS_ZONES, color: { mode: 'palette-classic' },
        custom: { ...line, fillOpacity: 0, spanNulls: false, thresholdsStyle: { mode: 'area' } },
        targets: [{ query: `SELECT mean("stress") AS "stress" FROM "stress_sample" WHERE ${W} GROUP BY time($__interval) fill(null)`, alias: '$col' }] },

      { type: 'timeseries', title: 'Daily stress (average, min, max)', w: 12, h: 8, unit: 'none', min: 0, max: 100, custom: line,
        description: "stress_daily per local day; the average is the service's own (a truncated mean).",
        targets: [{ query: `SELECT last("stress_avg") AS "average", last("stress_min") AS "min", last("stress_max") AS "max" FROM "stress_daily" WHERE ${W} ${DAILY}`, alias: '$col' }] },
      { type: 'timeseries', title: 'Stress zones per day', w: 12, h: 8, unit: 'percent', min: 0, max: 100, custom: bars(true),
        targets: [{ query: `SELECT last("relaxed_pct") AS "relaxed", last("normal_pct") AS "normal", last("medium_pct") AS "medium", last("high_pct") AS "high" FROM "stress_daily" WHERE ${W} ${DAILY}`, alias: '$col' }],
        overrides: ZONE_COLOURS.map(([zone, colour]) => byName(zone, fixed(colour))) },
      { type: 'bargauge', title: 'Stress zones over the range (mean share per day)', w: 8, h: 8, unit: 'percent', min: 0, max: 100,
        options: { orientation: 'horizontal', displayMode: 'gradient', showUnfilled: true },
        targets: [{ query: `SELECT mean("relaxed_pct") AS "relaxed", mean("normal_pct") AS "normal", mean("medium_pct") AS "medium", mean("high_pct") AS "high" FROM "stress_daily" WHERE ${W}` }],
        overrides: ZONE_COLOURS.map(([zone, colour]) => byName(zone, fixed(colour))) },
      { type: 'timeseries', title: 'Readiness score', w: 16, h: 8, unit: 'none', min: 0, max: 100, custom: { ...line, showPoints: 'always' },
        description: 'readiness.readiness_score per night (wake day) and its 7-night moving average.',
        steps: steps('red', [50, 'orange'], [70, 'green']), color: { mode: 'palette-classic' },
        targets: [
          { query: `SELECT last("readiness_score") AS "readiness" FROM "readiness" WHERE ${W} ${DAILY}`, alias: '$col' },
          { query: `SELECT moving_average(last("readiness_score"), 7) AS "7-night average" FROM "readiness" WHERE ${W} ${DAILY}`, alias: '$col' },
        ],
        overrides: [byName('7-night average', { ...dashed, ...fixed('text') })] },

      againstBaseline('Sleep HRV vs baseline', 'sleep_hrv_ms', 'HRV', 'hrv_baseline_ms', 'ms'),
      againstBaseline('Sleep resting heart rate vs baseline', 'sleep_rhr_bpm', 'resting', 'rhr_baseline_bpm', 'suffix: bpm'),
      { type: 'timeseries', title: 'Skin temperature vs baseline', w: 12, h: 8, unit: 'celsius', decimals: 2, custom: { ...bars(), thresholdsStyle: { mode: 'dashed' } },
        description: 'readiness.skin_temp_delta_c: the night\'s skin temperature minus the personal baseline (the dashed line at 0).',
        steps: steps('blue', [0, 'orange']), color: { mode: 'thresholds' },
        targets: [{ query: `SELECT last("skin_temp_delta_c") AS "skin temperature" FROM "readiness" WHERE ${W} ${DAILY}`, alias: '$col' }] },
      { type: 'timeseries', title: 'SpO₂ spot checks', w: 12, h: 8, unit: 'percent', min: 80, max: 100,
        description: 'Each spot check (blood_oxygen_spot, manual or automatic) and the samples of its measurement (blood_oxygen_sample).',
        custom: { ...line, drawStyle: 'points', pointSize: 8, spanNulls: false }, steps: steps('red', [90, 'orange'], [95, 'green']),
        color: { mode: 'palette-classic' },
        targets: [
          { query: `SELECT "saturation_pct" AS "spot check" FROM "blood_oxygen_spot" WHERE ${W}`, alias: '$col' },
          { query: `SELECT "saturation_pct" AS "sample" FROM "blood_oxygen_sample" WHERE ${W}`, alias: '$col' },
        ],
        overrides: [byName('sample', { 'custom.pointSize': 3 })] },

      { type: 'timeseries', title: 'Nightly ODI', w: 8, h: 8, unit: 'suffix: /h', decimals: 2, min: 0, custom: bars(),
        description: 'Oxygen desaturation index per night on its wake day (blood_oxygen_odi.odi_per_h, valid nights).',
        steps: steps('green', [5, 'orange'], [15, 'red']), color: { mode: 'thresholds' },
        targets: [{ query: `SELECT last("odi_per_h") AS "ODI" FROM "blood_oxygen_odi" WHERE ${ODI} ${DAILY}`, alias: '$col' }] },
      { type: 'timeseries', title: 'Desaturations per night', w: 8, h: 8, unit: 'none', min: 0, custom: bars(),
        targets: [{ query: `SELECT last("desaturations") AS "desaturations" FROM "blood_oxygen_odi" WHERE ${ODI} ${DAILY}`, alias: '$col' }] },
      { type: 'timeseries', title: 'Desaturation events (drop)', w: 8, h: 8, unit: 'percent', min: 0,
        description: 'Each nightly desaturation at its time, by how much the saturation dropped (blood_oxygen_desaturation.drop_pct).',
        custom: { ...line, drawStyle: 'points', pointSize: 6, spanNulls: false },
        targets: [{ query: `SELECT "drop_pct" AS "drop" FROM "blood_oxygen_desaturation" WHERE ${W}`, alias: '$col' }] },
    ],
  });
}
