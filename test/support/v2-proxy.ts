// The thin /api/v2 translation InfluxDB 1.8 has, in front of a real InfluxDB 1.6.7, so the
// v2 writer can be tested against real storage:
//   POST /api/v2/write?org=&bucket=db/rp&precision=s|ms|us|ns → POST /write?db=&rp=&precision=s|ms|u|n
//   POST /api/v2/delete?org=&bucket=  {start, stop, predicate} → InfluxQL DELETE on /query
//   GET /health, GET|HEAD /ping; POST /write and /query pass through unchanged.
// Token "user:password" becomes basic auth (1.8 does the same); any other token is ignored.
// Error bodies: real 1.8 answers in 1.x form, `{"error":"database not found: \"x\""}` with an
// X-Influxdb-Error header (influxdb services/httpd/handler.go: serveWriteV2 → serveWrite →
// httpError) — `errorShape: '1.8'`. The default `'2.x'` reshapes them the way 2.x answers:
// `{"code":"not found","message":"bucket \"x\" not found"}`; 2.x's exact wording of other
// errors is approximated. `maxBodyBytes` answers 413 above that many (uncompressed) bytes,
// like 1.x's max-body-size, for the split test.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { bucketToDbRp, parsePredicate, qIdent, qStr } from './write-v2-translate.js';

export interface V2ProxyOptions {
  influxUrl: string;
  port?: number;
  errorShape?: '2.x' | '1.8';
  maxBodyBytes?: number;
}

export interface V2Proxy {
  url: string;
  port: number;
  /** Every request: uncompressed body bytes and whether it came gzip-encoded. */
  requests: { method: string; path: string; status: number; bytes: number; gzip: boolean }[];
  close(): Promise<void>;
}

const V2_CODES: Record<number, string> = {
  400: 'invalid',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not found',
  413: 'request too large',
  422: 'unprocessable entity',
  500: 'internal error',
  503: 'unavailable',
};

const PRECISION: Record<string, string> = { '': '', ns: 'n', us: 'u', ms: 'ms', s: 's' };

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks);
  return req.headers['content-encoding'] === 'gzip' && raw.length > 0 ? gunzipSync(raw) : raw;
}

/** `Token user:password` → basic auth for 1.x; other tokens carry no 1.x identity. */
function forwardAuth(req: IncomingMessage): Record<string, string> {
  const m = /^Token (.*)$/.exec(req.headers.authorization ?? '');
  if (m?.[1]?.includes(':')) return { authorization: `Basic ${Buffer.from(m[1]).toString('base64')}` };
  if (req.headers.authorization?.startsWith('Basic ')) return { authorization: req.headers.authorization };
  return {};
}

/** Start the proxy on 127.0.0.1. */
export async function startV2Proxy(opts: V2ProxyOptions): Promise<V2Proxy> {
  const shape = opts.errorShape ?? '2.x';
  const requests: V2Proxy['requests'] = [];
  const influx = opts.influxUrl.replace(/\/$/, '');

  const sendError = (res: ServerResponse, status: number, message: string, bucket?: string): void => {
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.statusCode = status;
    if (shape === '1.8') {
      res.setHeader('x-influxdb-error', message.slice(0, 1024));
      res.end(JSON.stringify({ error: message }));
      return;
    }
    let msg = message;
    if (status === 404 && bucket !== undefined && /database not found/.test(message)) msg = `bucket "${bucket}" not found`;
    else if (/^partial write/.test(message)) msg = `failure writing points to database: ${message}`;
    res.end(JSON.stringify({ code: V2_CODES[status] ?? 'internal error', message: msg }));
  };

  /** Relay a 1.x answer, reshaping an error body. */
  const relay = async (res: ServerResponse, up: Response, bucket?: string): Promise<void> => {
    const text = await up.text();
    if (up.status < 300) {
      res.statusCode = up.status;
      const ct = up.headers.get('content-type');
      if (ct) res.setHeader('content-type', ct);
      res.end(text);
      return;
    }
    let message = text;
    try {
      message = (JSON.parse(text) as { error?: string }).error ?? text;
    } catch {
      /* plain text */
    }
    const ra = up.headers.get('retry-after');
    if (ra) res.setHeader('retry-after', ra);
    sendError(res, up.status, message, bucket);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<number> => {
    const u = new URL(req.url ?? '/', 'http://proxy');
    const auth = forwardAuth(req);
    if (u.pathname === '/ping') {
      const up = await fetch(`${influx}/ping`, { method: req.method === 'HEAD' ? 'HEAD' : 'GET' });
      res.statusCode = up.status;
      res.end();
      return 0;
    }
    if (u.pathname === '/health' && req.method === 'GET') {
      const ok = await fetch(`${influx}/ping`).then((r) => r.status === 204, () => false);
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.statusCode = ok ? 200 : 503;
      res.end(JSON.stringify({ name: 'influxdb', message: ok ? 'ready for queries and writes' : 'not ready', status: ok ? 'pass' : 'fail', checks: [], version: '1.6.7 (v2 proxy)' }));
      return 0;
    }
    const body = req.method === 'POST' ? await readBody(req) : Buffer.alloc(0);
    const tooLarge = opts.maxBodyBytes !== undefined && body.length > opts.maxBodyBytes;
    if (u.pathname === '/api/v2/write' && req.method === 'POST') {
      const bucket = u.searchParams.get('bucket') ?? '';
      const precision = PRECISION[u.searchParams.get('precision') ?? ''];
      if (precision === undefined) {
        sendError(res, 400, `invalid precision "${u.searchParams.get('precision')}" (use ns, us, ms or s)`);
        return body.length;
      }
      const dbrp = bucketToDbRp(bucket);
      if (typeof dbrp === 'string') {
        sendError(res, 404, dbrp);
        return body.length;
      }
      if (tooLarge) {
        sendError(res, 413, 'Request Entity Too Large');
        return body.length;
      }
      const q = new URLSearchParams({ db: dbrp[0] });
      if (dbrp[1]) q.set('rp', dbrp[1]);
      if (precision) q.set('precision', precision);
      const up = await fetch(`${influx}/write?${q}`, { method: 'POST', body, headers: { ...auth, 'content-type': 'text/plain; charset=utf-8' } });
      await relay(res, up, bucket);
      return body.length;
    }
    if (u.pathname === '/api/v2/delete' && req.method === 'POST') {
      const bucket = u.searchParams.get('bucket') ?? '';
      const dbrp = bucketToDbRp(bucket);
      if (typeof dbrp === 'string') {
        sendError(res, 404, dbrp);
        return body.length;
      }
      let parsed: { start?: unknown; stop?: unknown; predicate?: unknown };
      try {
        parsed = JSON.parse(body.toString('utf8')) as typeof parsed;
      } catch {
        sendError(res, 400, 'invalid request; error parsing request json');
        return body.length;
      }
      const { start, stop, predicate } = parsed;
      if (typeof start !== 'string' || Number.isNaN(Date.parse(start)) || typeof stop !== 'string' || Number.isNaN(Date.parse(stop))) {
        sendError(res, 400, 'invalid request; start and stop must be RFC3339 times');
        return body.length;
      }
      const pred = typeof predicate === 'string' && predicate.trim() ? parsePredicate(predicate) : { tags: [] };
      if (typeof pred === 'string') {
        sendError(res, 400, `invalid request; error parsing predicate: ${pred}`);
        return body.length;
      }
      // 2.x deletes start <= time <= stop (both inclusive).
      const where = [...pred.tags.map(([k, v]) => `${qIdent(k)}=${qStr(v)}`), `time >= ${qStr(start)}`, `time <= ${qStr(stop)}`];
      const stmt = `DELETE${pred.measurement !== undefined ? ` FROM ${qIdent(pred.measurement)}` : ''} WHERE ${where.join(' AND ')}`;
      const up = await fetch(`${influx}/query`, {
        method: 'POST',
        body: new URLSearchParams({ q: stmt, db: dbrp[0] }),
        headers: auth,
      });
      if (up.status >= 300) {
        await relay(res, up, bucket);
        return body.length;
      }
      const json = (await up.json()) as { results?: { error?: string }[] };
      const err = json.results?.find((r) => r.error)?.error;
      if (err) sendError(res, /database not found/.test(err) ? 404 : 400, /database not found/.test(err) ? `database not found: "${dbrp[0]}"` : err, bucket);
      else {
        res.statusCode = 204;
        res.end();
      }
      return body.length;
    }
    if ((u.pathname === '/write' || u.pathname === '/query') && (req.method === 'POST' || req.method === 'GET')) {
      if (tooLarge && u.pathname === '/write') {
        sendError(res, 413, 'Request Entity Too Large');
        return body.length;
      }
      const headers: Record<string, string> = { ...auth };
      if (req.headers['content-type']) headers['content-type'] = req.headers['content-type'];
      const up = await fetch(`${influx}${u.pathname}${u.search}`, { method: req.method, headers, ...(req.method === 'POST' ? { body } : {}) });
      res.statusCode = up.status;
      for (const h of ['content-type', 'x-influxdb-error', 'retry-after']) {
        const v = up.headers.get(h);
        if (v) res.setHeader(h, v);
      }
      res.end(Buffer.from(await up.arrayBuffer()));
      return body.length;
    }
    sendError(res, 404, `path not found: ${u.pathname}`);
    return body.length;
  };

  const server = createServer((req, res) => {
    handle(req, res).then(
      (bytes) =>
        requests.push({
          method: req.method ?? '',
          path: (req.url ?? '').split('?')[0] ?? '',
          status: res.statusCode,
          bytes,
          gzip: req.headers['content-encoding'] === 'gzip',
        }),
      (err: unknown) => {
        // The 1.6.7 behind us is down: answer like a proxy would, so clients see a 5xx.
        if (!res.headersSent) sendError(res, 503, `upstream InfluxDB unreachable: ${(err as Error).message}`);
        else res.destroy();
        requests.push({ method: req.method ?? '', path: (req.url ?? '').split('?')[0] ?? '', status: 503, bytes: 0, gzip: false });
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
