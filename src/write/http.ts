// The HTTP transport of both writers: @influxdata/influxdb-client's node transport (gzip,
// timeouts, Token auth), wrapped so that every request resolves to an `Exchange` and never
// throws — the caller hands that to classify(). A keep-alive agent keeps one connection
// for a whole backfill instead of one per batch.
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { HttpError, InfluxDB, type Transport } from '@influxdata/influxdb-client';
import { headerValue } from '../retry/index.js';
import type { Exchange } from './classify.js';

export interface HttpClientOptions {
  url: string;
  /** 2.x token, sent as `Authorization: Token …`. */
  token?: string;
  /** Extra default headers (1.x basic auth). */
  headers?: Record<string, string>;
  timeoutMs: number;
}

export interface RequestOptions {
  method?: string;
  contentType: string;
  /** Gzip any non-empty body (1.x and 2.x both accept `Content-Encoding: gzip`). */
  gzip: boolean;
}

const gzipAsync = promisify(gzip);
/**
 * zlib level of a body of bytes. Level 1 instead of zlib's default 6: a 5,000-line batch of
 * line protocol (~540 kB) compresses in ~2 ms instead of ~6.5 ms for a body ~25% larger
 * (~86 kB instead of ~69 kB); in a backfill of millions of points the default level was a
 * sixth of the process's CPU time, CPU that InfluxDB on the same host needs.
 */
const GZIP_LEVEL = 1;

/** A tiny request/response client over one InfluxDB base URL. */
export interface HttpClient {
  request(path: string, body: string | Buffer, opts: RequestOptions): Promise<Exchange>;
  close(): void;
}

/** Build an HttpClient; credentials live in headers only, never in a URL or message. */
export function createHttpClient(opts: HttpClientOptions): HttpClient {
  const https = opts.url.startsWith('https:');
  const agent = https ? new HttpsAgent({ keepAlive: true, maxSockets: 4 }) : new HttpAgent({ keepAlive: true, maxSockets: 4 });
  const transport: Transport = new InfluxDB({
    url: opts.url,
    ...(opts.token ? { token: opts.token } : {}),
    timeout: opts.timeoutMs,
    ...(opts.headers ? { headers: opts.headers } : {}),
    transportOptions: { agent },
  }).transport;

  const options = (ro: RequestOptions) => ({
    method: ro.method ?? 'POST',
    headers: { 'content-type': ro.contentType },
    // The transport gzips bodies longer than the threshold; 0 = every non-empty one.
    ...(ro.gzip ? { gzipThreshold: 0 } : {}),
  });
  /**
   * A body of bytes (line protocol, src/write/batches.ts) is gzipped here (GZIP_LEVEL) and goes
   * through the transport's send(): its request() would JSON-encode anything but a string,
   * while send() turns the body into a Buffer either way (Buffer.from), so bytes need no
   * detour through a large string.
   */
  const sendBytes = async (path: string, body: Buffer, ro: RequestOptions): Promise<number> => {
    const gz = ro.gzip && body.length > 0;
    const bytes = gz ? await gzipAsync(body, { level: GZIP_LEVEL }) : body;
    return new Promise((resolve, reject) => {
      let status = 204;
      const headers = { 'content-type': ro.contentType, ...(gz ? { 'content-encoding': 'gzip' } : {}) };
      transport.send(path, bytes as unknown as string, { method: ro.method ?? 'POST', headers }, {
        responseStarted: (_headers, statusCode) => {
          status = statusCode ?? status;
        },
        complete: () => resolve(status),
        error: reject,
      });
    });
  };

  return {
    async request(path, body, ro) {
      let status: number | undefined;
      try {
        if (typeof body !== 'string') return { status: await sendBytes(path, body, ro) };
        const data: unknown = await transport.request(path, body, options(ro), (_headers, statusCode) => {
          status = statusCode;
        });
        return { status: status ?? 204, data };
      } catch (err) {
        if (err instanceof HttpError) {
          return {
            status: err.statusCode,
            body: err.body ?? '',
            retryAfter: headerValue(err.headers?.['retry-after']) ?? null,
          };
        }
        const e = err as NodeJS.ErrnoException;
        return { errorCode: e.code ?? e.name ?? 'UNKNOWN', errorMessage: e.message };
      }
    },
    close() {
      agent.destroy();
    },
  };
}
