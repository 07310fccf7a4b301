// The HTTP transport of both writers: @influxdata/influxdb-client's node transport (gzip,
// timeouts, Token auth), wrapped so that every request resolves to an `Exchange` and never
// throws — the caller hands that to classify(). A keep-alive agent keeps one connection
// for a whole backfill instead of one per batch.
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
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
   * A body of bytes (line protocol, src/write/batches.ts) goes through the transport's send():
   * its request() would JSON-encode anything but a string, while send() turns the body into
   * a Buffer either way (Buffer.from), so bytes need no detour through a large string.
   */
  const sendBytes = (path: string, body: Buffer, ro: RequestOptions): Promise<number> =>
    new Promise((resolve, reject) => {
      let status = 204;
      transport.send(path, body as unknown as string, options(ro), {
        responseStarted: (_headers, statusCode) => {
          status = statusCode ?? status;
        },
        complete: () => resolve(status),
        error: reject,
      });
    });

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
