// Body: weigh-ins per scale member (weigh_in): weight with its trend, fat, muscle mass and BMI.
import { U, byName, dashboard, line, steps, type Json, type PanelSpec } from './lib.ts';

const W = `${U} AND $timeFilter`;
const points: Json = { ...line, showPoints: 'always', pointSize: 5 };
/** The WHO BMI classes: under 18.5, normal to 25, over to 30, obese above. */
const BMI_STEPS = steps('blue', [18.5, 'green'], [25, 'orange'], [30, 'red']);

/** One body value over time, a series per member. */
function perMember(title: string, field: string, alias: string, unit: string, extra: Partial<PanelSpec> = {}): PanelSpec {
  return {
    type: 'timeseries', title, w: 12, h: 8, unit, custom: points,
    description: `weigh_in.${field} of each weigh-in, a series per scale member (owner, or the family member's id).`,
    targets: [{ query: `SELECT "${field}" AS "${alias}" FROM "weigh_in" WHERE ${W} GROUP BY "member"`, alias: '$tag_member' }],
    ...extra,
  };
}

/** The latest value of the range per member. */
function latest(title: string, query: string, unit: string, extra: Partial<PanelSpec> = {}): PanelSpec {
  return { type: 'stat', title, w: 6, h: 5, unit, targets: [{ query: `${query} FROM "weigh_in" WHERE ${W} GROUP BY "member"`, alias: '$tag_member' }], ...extra };
}

/** The Body dashboard JSON. */
export function body(): Json {
  return dashboard({
    uid: 'mifit-body', title: 'Body', from: 'now-90d',
    description: 'Weigh-ins on the body-composition scale (weigh_in), a series per member: weight with a trend line, body fat, muscle mass, BMI.',
    panels: [
      latest('Weight (latest)', 'SELECT last("weight_kg") AS "weight"', 'masskg', { decimals: 2 }),
      latest('Weight change over the range', 'SELECT last("weight_kg") - first("weight_kg") AS "change"', 'masskg', { decimals: 2,
        description: 'Newest minus oldest weigh-in of the range, per member.', color: { mode: 'fixed', fixedColor: 'text' } }),
      latest('Body fat (latest)', 'SELECT last("fat_pct") AS "fat"', 'percent', { decimals: 1 }),
      latest('BMI (latest)', 'SELECT last("bmi") AS "BMI"', 'none', { decimals: 1, steps: BMI_STEPS }),
      { type: 'timeseries', title: 'Weight and trend', w: 24, h: 9, unit: 'masskg', decimals: 2, custom: points,
        description: 'Each weigh-in (points) and the trend: the moving average of the last 7 weigh-ins (line), per member.',
        targets: [
          { query: `SELECT "weight_kg" AS "weight" FROM "weigh_in" WHERE ${W} GROUP BY "member"`, alias: '$tag_member' },
          { query: `SELECT moving_average("weight_kg", 7) AS "trend" FROM "weigh_in" WHERE ${W} GROUP BY "member"`, alias: '$tag_member trend' },
        ],
        overrides: [{ matcher: { id: 'byRegexp', options: '.* trend$' }, properties: [
          { id: 'custom.showPoints', value: 'never' }, { id: 'custom.lineWidth', value: 3 }, { id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } },
        ] }] },
      perMember('Body fat', 'fat_pct', 'fat', 'percent', { decimals: 1 }),
      perMember('Muscle mass', 'muscle_kg', 'muscle', 'masskg', { decimals: 1 }),
      perMember('BMI', 'bmi', 'BMI', 'none', { decimals: 1, steps: BMI_STEPS, color: { mode: 'palette-classic' },
        custom: { ...points, thresholdsStyle: { mode: 'dashed' } } }),
      { type: 'table', title: 'Weigh-ins', w: 12, h: 8,
        description: 'Every weigh-in of the range, newest first; body composition only where the scale measured it.',
        targets: [{ format: 'table', query: `SELECT "weight_kg" AS "weight", "bmi" AS "BMI", "fat_pct" AS "fat", "muscle_kg" AS "muscle", "water_pct" AS "water", "bone_kg" AS "bone", "body_score" AS "score" FROM "weigh_in" WHERE ${W} GROUP BY "member"` }],
        transformations: [{ id: 'sortBy', options: { sort: [{ field: 'Time', desc: true }] } }],
        overrides: [
          byName('Time', { displayName: 'date', unit: 'time: YYYY-MM-DD HH:mm' }), byName('weight', { unit: 'masskg', decimals: 2 }),
          byName('fat', { unit: 'percent' }), byName('water', { unit: 'percent' }), byName('muscle', { unit: 'masskg' }), byName('bone', { unit: 'masskg' }),
        ] },
    ],
  });
}
