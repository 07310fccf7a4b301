// Heart: minute heart rate, daily min/average/max, resting heart rate with baseline (dashboard 4).
import { DAILY, U, dashboard, line, steps, type Json } from './lib.ts';
import { restingHr } from './shared.ts';

const MAIN = `${U} AND "sleep" = 'main' AND $timeFilter`;

/** The Heart dashboard JSON. */
export function heart(): Json {
  return dashboard({
    uid: 'mifit-heart', title: 'Heart', from: 'now-7d',
    description: 'Minute heart rate (heart_rate.bpm) and resting heart rate per night (sleep_daily.resting_hr_bpm).',
    panels: [
      { type: 'stat', title: 'Resting heart rate (last night)', w: 6, h: 5, timeFrom: '36h', unit: 'suffix: bpm',
        targets: [{ query: `SELECT last("resting_hr_bpm") AS "resting" FROM "sleep_daily" WHERE ${MAIN}` }] },
      { type: 'stat', title: 'Resting baseline (30 days)', w: 6, h: 5, timeFrom: '30d', unit: 'suffix: bpm', decimals: 1,
        targets: [{ query: `SELECT mean("resting_hr_bpm") AS "baseline" FROM "sleep_daily" WHERE ${MAIN}` }] },
      { type: 'stat', title: 'Heart rate, last 24 h (min / max)', w: 6, h: 5, timeFrom: '24h', unit: 'suffix: bpm',
        targets: [{ query: `SELECT min("bpm") AS "min", max("bpm") AS "max" FROM "heart_rate" WHERE ${U} AND $timeFilter` }] },
      { type: 'gauge', title: 'Latest heart rate', w: 6, h: 5, timeFrom: '24h', unit: 'suffix: bpm', min: 30, max: 200,
        steps: steps('blue', [50, 'green'], [100, 'orange'], [150, 'red']),
        targets: [{ query: `SELECT last("bpm") AS "bpm" FROM "heart_rate" WHERE ${U} AND $timeFilter` }] },
      { type: 'timeseries', title: 'Heart rate', w: 24, h: 9, interval: '1m', unit: 'suffix: bpm', custom: { ...line, fillOpacity: 0, spanNulls: false },
        steps: steps('green', [100, 'orange'], [150, 'red']),
        targets: [{ query: `SELECT mean("bpm") AS "bpm" FROM "heart_rate" WHERE ${U} AND $timeFilter GROUP BY time($__interval) fill(null)`, alias: '$col' }] },
      { type: 'timeseries', title: 'Daily min / average / max', w: 12, h: 8, timeFrom: '30d', unit: 'suffix: bpm', custom: line,
        targets: [{ query: `SELECT min("bpm") AS "min", mean("bpm") AS "average", max("bpm") AS "max" FROM "heart_rate" WHERE ${U} AND $timeFilter ${DAILY}`, alias: '$col' }] },
      restingHr(12, '60d'),
    ],
  });
}
