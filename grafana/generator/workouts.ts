// Workouts: every workout of the range in a table (each row links to its own view), the selected
// workout's heart rate, pace/speed, altitude and route, weekly distance and time per sport.
import { U, bars, byName, dashboard, line, steps, type Json, type PanelSpec } from './lib.ts';

const W = `${U} AND $timeFilter`;
/** The selected workout (the `track` variable): its summary point and its samples carry the tag. */
const TRACK = `${U} AND "track" = '$track' AND $timeFilter`;
/** Weeks that begin on Monday at local midnight: InfluxDB counts weeks from 1970-01-01, a Thursday. */
const WEEKLY = "GROUP BY time(1w, 4d), \"sport\" fill(none) tz('$timezone')";

const hidden = (name: string): Json => byName(name, { 'custom.hidden': true });

/**
 * The table row's link: this dashboard with `track` set and the time range of that workout
 * (start = the row's time, end = start + duration, both epoch ms). `${__data.fields.X.numeric}`
 * is the raw number of column X in the clicked row (Grafana's getFieldDisplayValuesProxy).
 */
const WORKOUT_LINK: Json = {
  title: 'Show this workout',
  url: '/d/mifit-workouts?${user:queryparam}&${timezone:queryparam}&var-track=${__data.fields.track}&from=${__data.fields.Time.numeric}&to=${__data.fields.end.numeric}',
  targetBlank: false,
};

function table(): PanelSpec {
  return {
    type: 'table', title: 'Workouts', w: 24, h: 9,
    description: 'Every workout in the range (workout), newest first. Click a row to show that workout: its samples and route below, the time range set to the workout.',
    targets: [{
      format: 'table',
      query: `SELECT "duration_s" AS "duration", "distance_m" AS "distance", "avg_pace_s_per_km" AS "pace /km", "avg_pace_s_per_100m" AS "pace /100 m", "avg_speed_kmh" AS "speed", "avg_hr_bpm" AS "avg HR", "duration_s" * 1000 AS "duration ms" FROM "workout" WHERE ${W} GROUP BY "sport", "track"`,
    }],
    links: [WORKOUT_LINK],
    transformations: [
      { id: 'calculateField', options: { mode: 'binary', alias: 'end', replaceFields: false,
        binary: { left: { matcher: { id: 'byName', options: 'Time' } }, operator: '+', right: { matcher: { id: 'byName', options: 'duration ms' } } } } },
      { id: 'sortBy', options: { sort: [{ field: 'Time', desc: true }] } },
      { id: 'organize', options: { excludeByName: {}, indexByName: { Time: 0, sport: 1 }, renameByName: {} } },
    ],
    overrides: [
      byName('Time', { displayName: 'date', unit: 'time: YYYY-MM-DD HH:mm' }),
      byName('duration', { unit: 's' }),
      byName('distance', { unit: 'lengthm', decimals: 2 }),
      byName('pace /km', { unit: 'clocks', decimals: 1 }),
      byName('pace /100 m', { unit: 'clocks', decimals: 1 }),
      byName('speed', { unit: 'velocitykmh', decimals: 1 }),
      byName('avg HR', { unit: 'suffix: bpm' }),
      hidden('track'), hidden('duration ms'), hidden('end'),
    ],
  };
}

/** The Workouts dashboard JSON. */
export function workouts(): Json {
  return dashboard({
    uid: 'mifit-workouts', title: 'Workouts', from: 'now-30d',
    description: 'Workouts of every sport (workout) and the samples of the selected one (workout_sample: heart rate, speed, altitude, route).',
    variables: [{
      name: 'track', label: 'Workout (track id)', type: 'query', datasource: { type: 'influxdb', uid: 'mifit-influxdb' },
      query: 'SHOW TAG VALUES FROM "workout" WITH KEY = "track" WHERE "user" =~ /^${user:regex}$/',
      refresh: 1, sort: 4, multi: false, includeAll: false, hide: 0,
      description: 'The workout shown below: its track id (start in epoch seconds), newest first. A row of the Workouts table sets it.',
    }],
    panels: [
      table(),
      { type: 'stat', title: 'Selected workout', w: 24, h: 4, unit: 'none',
        description: 'The summary of the workout chosen in the table (or the `track` variable).',
        targets: [{ query: `SELECT last("distance_m") AS "distance", last("duration_s") AS "duration", last("moving_s") AS "moving", last("avg_hr_bpm") AS "avg HR", last("max_hr_bpm") AS "max HR", last("calories_kcal") AS "calories", last("training_effect") AS "training effect" FROM "workout" WHERE ${TRACK}` }],
        options: { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, textMode: 'value_and_name', colorMode: 'none', graphMode: 'none' },
        overrides: [
          byName('distance', { unit: 'lengthm', decimals: 2 }), byName('duration', { unit: 's' }), byName('moving', { unit: 's' }),
          byName('avg HR', { unit: 'suffix: bpm' }), byName('max HR', { unit: 'suffix: bpm' }), byName('calories', { unit: 'suffix: kcal' }),
          byName('training effect', { decimals: 1 }),
        ] },
      { type: 'timeseries', title: 'Heart rate', w: 12, h: 8, unit: 'suffix: bpm', custom: { ...line, fillOpacity: 0, spanNulls: false },
        steps: steps('green', [140, 'orange'], [165, 'red']),
        description: 'workout_sample.bpm of the selected workout at each sample.',
        targets: [{ query: `SELECT "bpm" AS "heart rate" FROM "workout_sample" WHERE ${TRACK}`, alias: '$col' }] },
      { type: 'geomap', title: 'Route', w: 12, h: 16,
        description: 'The GPS track of the selected workout (workout_sample.lat / lon; indoor sports have none).',
        targets: [{ format: 'table', query: `SELECT "lat", "lon" FROM "workout_sample" WHERE ${TRACK}` }],
        options: {
          view: { id: 'fit', lat: 0, lon: 0, zoom: 15, allLayers: true },
          controls: { showZoom: true, mouseWheelZoom: true, showAttribution: true },
          basemap: { type: 'osm-standard', name: 'Map', config: {} },
          layers: [{
            type: 'markers', name: 'Route', tooltip: true,
            location: { mode: 'coords', latitude: 'lat', longitude: 'lon' },
            config: { showLegend: false, style: { size: { fixed: 3 }, color: { fixed: 'dark-red' }, opacity: 0.8, symbol: { mode: 'fixed', fixed: 'img/icons/marker/circle.svg' } } },
          }],
          tooltip: { mode: 'details' },
        } },
      { type: 'timeseries', title: 'Pace and speed', w: 12, h: 8, interval: '10s', unit: 'velocitykmh', min: 0, custom: { ...line, fillOpacity: 0 },
        description: 'Speed (km/h, left) and pace (minutes:seconds per km, right) of the selected workout: 10-second means of workout_sample.speed_mps. Pace leaves out standing still.',
        targets: [
          { query: `SELECT mean("speed_mps") * 3.6 AS "speed" FROM "workout_sample" WHERE ${TRACK} GROUP BY time($__interval) fill(none)`, alias: '$col' },
          { query: `SELECT 1000 / mean("speed_mps") AS "pace" FROM "workout_sample" WHERE ${TRACK} AND "speed_mps" > 0 GROUP BY time($__interval) fill(none)`, alias: '$col' },
        ],
        overrides: [byName('pace', { unit: 'clocks', decimals: 1, min: 0, 'custom.axisPlacement': 'right' })] },
      { type: 'timeseries', title: 'Altitude', w: 12, h: 8, unit: 'lengthm', custom: { ...line, fillOpacity: 25 },
        description: 'workout_sample.altitude_m of the selected workout (GPS).',
        targets: [{ query: `SELECT "altitude_m" AS "altitude" FROM "workout_sample" WHERE ${TRACK}`, alias: '$col' }] },
      { type: 'table', title: 'Sport totals', w: 12, h: 8,
        description: 'Per sport over the range: workouts, distance and time (start to end, pauses included).',
        targets: [{ format: 'table', query: `SELECT count("duration_s") AS "workouts", sum("distance_m") AS "distance", sum("duration_s") AS "duration" FROM "workout" WHERE ${W} GROUP BY "sport"` }],
        transformations: [{ id: 'organize', options: { excludeByName: { Time: true }, renameByName: {} } }],
        overrides: [byName('distance', { unit: 'lengthm', decimals: 1 }), byName('duration', { unit: 's' })] },
      { type: 'timeseries', title: 'Weekly distance per sport', w: 12, h: 8, unit: 'lengthm', min: 0, custom: bars(true),
        description: 'Distance of the workouts per week (Monday to Sunday in the time zone), stacked by sport.',
        targets: [{ query: `SELECT sum("distance_m") AS "distance" FROM "workout" WHERE ${W} ${WEEKLY}`, alias: '$tag_sport' }] },
      { type: 'timeseries', title: 'Weekly time per sport', w: 12, h: 8, unit: 's', min: 0, custom: bars(true),
        description: 'Time of the workouts per week (start to end), stacked by sport.',
        targets: [{ query: `SELECT sum("duration_s") AS "duration" FROM "workout" WHERE ${W} ${WEEKLY}`, alias: '$tag_sport' }] },
    ],
  });
}
