// `mifit-sync decode FILE [--timezone ZONE] [--user NAME]`: decodes a saved band_data.json
// response or health-events answer (told apart by their items), or a day of the raw archive
// (STATE_DIR/<account>/raw/[events/<type>/]<date>.json.gz: gzip, an array of items), offline. Line protocol on stdout, one warning per line on stderr (naming the day).
// Exit 0 when the file was decoded (even with warnings), 1 when it cannot be read or is not a
// band_data.json response at all, 2 on a usage error.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { decodeResponse, responseItems } from '../decode/index.js';
import { decodeEvents } from '../decode/events/index.js';
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
    process.stderr.write(`mifit-sync decode: ${file}: ${shape.message}. Give the saved body of GET /v1/data/band_data.json or of an events request ({"items": [...]}).\n`);
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
