// `mifit-sync decode FILE [--timezone ZONE] [--user NAME]`: decodes a saved band_data.json
// response, or a day of the raw archive (STATE_DIR/<account>/raw/<date>.json.gz: gzip, an
// array of items), offline. Line protocol on stdout, one warning per line on stderr (naming the day).
// Exit 0 when the file was decoded (even with warnings), 1 when it cannot be read or is not a
// band_data.json response at all, 2 on a usage error.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { decodeResponse, responseItems } from '../decode/index.js';
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
      : `it is not JSON (${e.message}); give the saved body of GET /v1/data/band_data.json, e.g. {"code":1,"data":[...]}`;
    process.stderr.write(`mifit-sync decode: ${file}: ${why}\n`);
    return 1;
  }
  const shape = responseItems(body).warnings.find((w) => w.code === 'RESPONSE_SHAPE');
  if (shape) {
    process.stderr.write(`mifit-sync decode: ${file}: ${shape.message}. Give the saved body of GET /v1/data/band_data.json.\n`);
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
