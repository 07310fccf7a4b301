// `mifit-sync decode FILE [--timezone ZONE] [--user NAME]`: decodes a saved band_data.json
// response, health-events answer, workout history or detail answer or weight-records answer
// (told apart by their shape), or a file of the raw archives (STATE_DIR/<account>/raw/[events/<type>/]<date>.json.gz:
// gzip, an array of items; raw-workouts/<trackid>.json.gz; raw-weight/<member>.json.gz), offline. Line protocol on stdout, one warning per line on stderr (naming the day).
// Exit 0 when the file was decoded (even with warnings), 1 when it cannot be read or is not a
// band_data.json response at all, 2 on a usage error.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { decodeResponse, responseItems } from '../decode/index.js';
import { decodeEvents } from '../decode/events/index.js';
import { decodeWorkout } from '../decode/workouts/index.js';
import { decodeWeighIn } from '../decode/weight.js';
import type { DecodeWarning } from '../decode/types.js';
import type { Point } from '../schema/point.js';
import { ianaZone } from '../decode/time.js';
import { toLines } from '../schema/line-protocol.js';
import { loadConfig } from '../config/load.js';

const USAGE = 'usage: mifit-sync decode FILE [--timezone ZONE] [--user NAME]';

/** Zone: --timezone, else TIMEZONE from the configuration (its only reader), else UTC. */
function defaultZone(env: NodeJS.ProcessEnv): { zone: string; note?: string } {
  try {
    return { zone: loadConfig(env).raw.TIMEZONE || 'UTC' };
  } catch {
    return { zone: 'UTC', note: 'the configuration has problems (run "mifit-sync status" to see them); decoding in UTC — pass --timezone ZONE' };
  }
}

/** The file's text: gunzipped when it starts with the gzip magic bytes (whatever its name). */
function unzip(buf: Buffer): string {
  return (buf[0] === 0x1f && buf[1] === 0x8b ? gunzipSync(buf) : buf).toString('utf8');
}

/**
 * A saved health-events answer (`{items: [...], next?}`, or a day of its raw archive: an array of
 * items) rather than band_data: its items carry `eventType` and `timestamp`, never `date_time`.
 * Its event type is the items' own (docs/huami-api.md "Event items").
 */
export function eventsAnswer(body: unknown): { eventType: string; items: unknown[] } | undefined {
  const items = Array.isArray(body) ? body : body && typeof body === 'object' && Array.isArray((body as { items?: unknown }).items) ? (body as { items: unknown[] }).items : undefined;
  if (!items) return undefined;
  const isEvent = (i: unknown): boolean => !!i && typeof i === 'object' && 'timestamp' in i && typeof (i as { eventType?: unknown }).eventType === 'string' && !('date_time' in i);
  // `{items: []}` is an events answer with nothing in it; a bare empty array says nothing.
  if (items.length === 0) return Array.isArray(body) ? undefined : { eventType: '', items };
  if (!items.some(isEvent)) return undefined;
  const eventType = String((items.find(isEvent) as { eventType: string }).eventType);
  return { eventType, items };
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const STREAMS = ['longitude_latitude', 'heart_rate', 'time', 'altitude', 'gait', 'pace'];

/** A saved sport or scale answer, or one of their raw-archive files (docs/huami-api.md "Workouts", "Weight records"). */
export type SportAnswer =
  | { kind: 'history'; items: Record<string, unknown>[] }
  | { kind: 'detail'; data: Record<string, unknown> }
  | { kind: 'workout'; history: Record<string, unknown>; detail?: Record<string, unknown> }
  | { kind: 'weight'; items: unknown[] };

/**
 * Which sport or scale answer `body` is, by its shape: a history page (`data.summary`, items with
 * `trackid`), a detail (`data` with `trackid` and the streams), an archived workout
 * (`{history, detail?}`, raw-workouts/<trackid>.json.gz), weight records (`{items}` or the
 * raw-weight array, items with `generatedTime` and `weightType` or `summary`). Else undefined.
 */
export function sportAnswer(body: unknown): SportAnswer | undefined {
  const data = isObj(body) && isObj(body.data) ? body.data : undefined;
  const summary = data?.summary;
  if (Array.isArray(summary) && summary.every((i) => isObj(i) && 'trackid' in i)) return { kind: 'history', items: summary as Record<string, unknown>[] };
  if (data && 'trackid' in data && STREAMS.some((k) => k in data)) return { kind: 'detail', data };
  if (isObj(body) && isObj(body.history) && 'trackid' in body.history) {
    return { kind: 'workout', history: body.history, ...(isObj(body.detail) ? { detail: body.detail } : {}) };
  }
  const items = Array.isArray(body) ? body : isObj(body) && Array.isArray(body.items) ? body.items : undefined;
  const isRecord = (i: unknown): boolean => isObj(i) && 'generatedTime' in i && ('weightType' in i || 'summary' in i) && !('eventType' in i);
  if (items && items.length > 0 && items.some(isRecord)) return { kind: 'weight', items };
  return undefined;
}

/** Decode a sport or scale answer; the default user is the items' Huami user id. */
export function decodeSportAnswer(a: SportAnswer, timeZone: string, userArg: string | undefined): { points: Point[]; warnings: DecodeWarning[]; notes: string[] } {
  const uidOf = (o: unknown): string | undefined => {
    const u = isObj(o) ? (o.userId ?? o.userid ?? o.uid) : undefined;
    return typeof u === 'string' || typeof u === 'number' ? String(u) : undefined;
  };
  const points: Point[] = [];
  const warnings: DecodeWarning[] = [];
  const notes: string[] = [];
  if (a.kind === 'weight') {
    const user = userArg ?? a.items.map(uidOf).find((u) => u !== undefined) ?? 'unknown';
    notes.push('BMI of a record without one is computed only from the record\'s own height here (the profile height is not in the file)');
    for (const rec of a.items) {
      const d = decodeWeighIn(rec, { timeZone, user });
      points.push(...d.points);
      warnings.push(...d.warnings);
    }
    return { points, warnings, notes };
  }
  const user = userArg ?? (a.kind === 'history' ? a.items.map(uidOf).find((u) => u !== undefined) : uidOf(a.kind === 'workout' ? a.history : a.data)) ?? 'unknown';
  if (a.kind === 'history') {
    notes.push(`a history page holds the summaries only: ${a.items.length} workout(s) without samples (decode raw-workouts/<trackid>.json.gz for the samples)`);
    for (const item of a.items) {
      const d = decodeWorkout(item, undefined, { timeZone, user });
      points.push(...d.points);
      warnings.push(...d.warnings);
    }
  } else if (a.kind === 'workout') {
    const d = decodeWorkout(a.history, a.detail, { timeZone, user });
    points.push(...d.points);
    warnings.push(...d.warnings);
  } else {
    // A detail names no sport: its samples only, tagged sport=unknown.
    notes.push('a detail answer does not name its sport: samples only, tagged sport=unknown (decode raw-workouts/<trackid>.json.gz for the whole workout)');
    const d = decodeWorkout({ trackid: a.data.trackid, type: 0 }, a.data, { timeZone, user });
    for (const p of d.points) if (p.measurement === 'workout_sample') points.push({ ...p, tags: { ...p.tags, sport: 'unknown' } });
    warnings.push(...d.warnings);
  }
  return { points, warnings, notes };
}

export async function run(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { timezone: { type: 'string' }, user: { type: 'string' } } });
  } catch (err) {
    process.stderr.write(`mifit-sync decode: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length > 0) {
    process.stderr.write(`mifit-sync decode: expected exactly one FILE\n${USAGE}\n`);
    return 2;
  }
  let zone = parsed.values.timezone;
  if (zone !== undefined && !ianaZone(zone)) {
    process.stderr.write(`mifit-sync decode: "${zone}" is not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)\n`);
    return 2;
  }
  if (zone === undefined) {
    const d = defaultZone(env);
    zone = d.zone;
    if (d.note) process.stderr.write(`mifit-sync decode: ${d.note}\n`);
  }

  let body: unknown;
  try {
    body = JSON.parse(unzip(await readFile(file)));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'Z_DATA_ERROR' || e.code === 'Z_BUF_ERROR'
      ? `it starts like gzip but does not unpack (${e.message}); the file is damaged or cut short`
      : e.code
      ? `cannot read it (${e.code}); check the path and permissions`
      : `it is not JSON (${e.message}); give the saved body of GET /v1/data/band_data.json, e.g. {"code":1,"data":[...]}, or of an events request, {"items":[...]}`;
    process.stderr.write(`mifit-sync decode: ${file}: ${why}\n`);
    return 1;
  }
  const sport = sportAnswer(body);
  if (sport) {
    const { points, warnings, notes } = decodeSportAnswer(sport, zone, parsed.values.user);
    if (points.length > 0) process.stdout.write(`${toLines(points)}\n`);
    for (const n of notes) process.stderr.write(`mifit-sync decode: ${n}\n`);
    for (const w of warnings) process.stderr.write(`warning ${w.day || '(response)'}: [${w.code}] ${w.message}\n`);
    return 0;
  }
  const events = eventsAnswer(body);
  if (events) {
    // Default user: the Huami user id of the items, as for band_data.
    const uid = events.items.map((i) => (i as { userId?: unknown } | null)?.userId).find((u) => u !== undefined && u !== null);
    const evUser = parsed.values.user ?? (uid !== undefined ? String(uid) : 'unknown');
    const { days, warnings } = decodeEvents(events.eventType, events.items, { timeZone: zone, user: evUser });
    const points = days.flatMap((d) => d.points);
    if (points.length > 0) process.stdout.write(`${toLines(points)}\n`);
    for (const w of warnings) process.stderr.write(`warning ${w.day || '(response)'}: [${w.code}] ${w.message}\n`);
    return 0;
  }
  const shape = responseItems(body).warnings.find((w) => w.code === 'RESPONSE_SHAPE');
  if (shape) {
    process.stderr.write(`mifit-sync decode: ${file}: ${shape.message}. Give the saved body of GET /v1/data/band_data.json, of an events request ({"items": [...]}), of run/history.json, run/detail.json or weightRecords.\n`);
    return 1;
  }
  // Default user: the Huami user id of the items (every item of one response has the same uid).
  const firstUid = responseItems(body).items.map((i) => (i as { uid?: unknown } | null)?.uid).find((u) => u !== undefined && u !== null);
  const user = parsed.values.user ?? (firstUid !== undefined ? String(firstUid) : 'unknown');

  const { days, warnings } = decodeResponse(body, { timeZone: zone, user });
  const points = days.flatMap((d) => d.points);
  if (points.length > 0) process.stdout.write(`${toLines(points)}\n`);
  for (const w of warnings) process.stderr.write(`warning ${w.day || '(response)'}: [${w.code}] ${w.message}\n`);
  return 0;
}
