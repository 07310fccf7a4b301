// band_data.json (docs/huami-api.md "Request"): the date range split into chunks, one request per
// chunk, every answer validated at the boundary. Summary decoding is src/decode's job.
import { DateTime } from 'luxon';
import { HuamiError } from './errors.js';
import type { Transport } from './http.js';
import { parseBandDataItems, type BandDataAnswer } from './schemas.js';

/** Split the inclusive range [from, to] (YYYY-MM-DD) into inclusive chunks of at most `days` days. */
export function chunkRange(from: string, to: string, days: number): { from: string; to: string }[] {
  const start = DateTime.fromISO(from, { zone: 'UTC' });
  const end = DateTime.fromISO(to, { zone: 'UTC' });
  if (!start.isValid || !end.isValid) throw new RangeError(`invalid date range ${from}..${to} (expected YYYY-MM-DD)`);
  const size = Math.max(1, Math.floor(days));
  const out: { from: string; to: string }[] = [];
  for (let c = start; c <= end; c = c.plus({ days: size })) {
    const last = DateTime.min(c.plus({ days: size - 1 }), end);
    out.push({ from: c.toISODate() ?? from, to: last.toISODate() ?? to });
  }
  return out;
}

export interface ChunkRequest {
  host: string;
  userId: string;
  appToken: string;
  appName: string;
  from: string;
  to: string;
  queryType: 'summary' | 'detail';
}

/** One band_data.json request; a 401 surfaces as HUAMI_TOKEN_EXPIRED for the caller to refresh. */
export async function fetchChunk(transport: Transport, req: ChunkRequest, secrets: readonly string[]): Promise<BandDataAnswer> {
  const res = await transport.request({
    host: req.host,
    path: '/v1/data/band_data.json',
    method: 'GET',
    kind: 'data',
    query: { query_type: req.queryType, device_type: 'android_phone', userid: req.userId, from_date: req.from, to_date: req.to },
    // The minimal web profile; never `x-hm-ekv` on data calls: it encrypts the answer (docs/huami-api.md "Request headers").
    headers: { apptoken: req.appToken, appPlatform: 'web', appname: req.appName },
  });
  let body: unknown;
  try {
    body = JSON.parse(res.body);
  } catch (err) {
    throw new HuamiError('HUAMI_SCHEMA_MISMATCH', `band_data.json ${req.from}..${req.to} is not JSON`, { status: res.status, body: res.body, cause: err, secrets });
  }
  return parseBandDataItems(body);
}
