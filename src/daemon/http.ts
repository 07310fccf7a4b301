// The daemon's HTTP server (node:http): /healthz, /metrics, the status page, /api/status
// and POST /sync ("Sync now": bearer token when HTTP_AUTH_TOKEN is set, always rate-limited).
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log.js';
import { evaluateHealth } from './health.js';
import type { DaemonMetrics } from './metrics.js';
import { renderStatusPage, renderSyncAnswer } from './page.js';
import type { RateLimiter } from './rate-limit.js';
import type { DaemonSnapshot } from './status.js';

export interface HttpOptions {
  port: number;
  host: string;
  snapshot(): DaemonSnapshot;
  metrics: DaemonMetrics;
  healthMaxAgeMinutes: number;
  /** Empty = no token needed for POST /sync. */
  authToken: string;
  limiter: RateLimiter;
  isRunning(): boolean;
  /** Start a run in the background. */
  triggerSync(): void;
  now(): number;
  logger: Logger;
}

export interface HttpServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Constant-time comparison of a presented token with the configured one. */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (!expected) return true;
  if (!presented) return false;
  return timingSafeEqual(digest(presented), digest(expected));
}

async function readBody(req: IncomingMessage, limit = 4096): Promise<string> {
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > limit) break;
  }
  return body;
}

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers });
  res.end(body);
}

const json = (res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void =>
  send(res, status, 'application/json; charset=utf-8', `${JSON.stringify(body)}\n`, headers);

async function handleSync(req: IncomingMessage, res: ServerResponse, o: HttpOptions): Promise<void> {
  const wantsHtml = (req.headers.accept ?? '').includes('text/html');
  const answer = (status: number, message: string, extra: Record<string, unknown> = {}, headers?: Record<string, string>): void =>
    wantsHtml
      ? send(res, status, 'text/html; charset=utf-8', renderSyncAnswer(status, message), headers)
      : json(res, status, { status: extra.status ?? 'error', message, ...extra }, headers);
  const body = await readBody(req);
  const auth = req.headers.authorization;
  const bearer = auth?.toLowerCase().startsWith('bearer ') ? auth.slice(7).trim() : undefined;
  const formToken = (req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')
    ? (new URLSearchParams(body).get('token') ?? undefined)
    : undefined;
  // Auth before the rate limit, so a stranger cannot use up the owner's slot.
  if (!tokenMatches(bearer ?? formToken, o.authToken)) {
    o.logger.warn('"Sync now" refused: missing or wrong token');
    answer(401, 'A valid token is needed to start a sync (HTTP_AUTH_TOKEN).', { status: 'unauthorized' }, { 'www-authenticate': 'Bearer' });
    return;
  }
  if (o.isRunning()) {
    answer(409, 'A sync is already running.', { status: 'busy' });
    return;
  }
  const now = o.now();
  if (!o.limiter.take(now)) {
    const wait = o.limiter.retryAfterSeconds(now);
    answer(429, `Too many requests: try again in ${wait} s.`, { status: 'rate_limited', retryAfterSeconds: wait }, { 'retry-after': String(wait) });
    return;
  }
  o.triggerSync();
  o.logger.info('sync started from the status page / API');
  answer(202, 'Sync started.', { status: 'started' });
}

async function route(req: IncomingMessage, res: ServerResponse, o: HttpOptions): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const get = req.method === 'GET' || req.method === 'HEAD';
  if (path === '/sync') {
    if (req.method === 'POST') return handleSync(req, res, o);
    return send(res, 405, 'text/plain; charset=utf-8', 'use POST\n', { allow: 'POST' });
  }
  if (!get) return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n', { allow: 'GET, HEAD' });
  switch (path) {
    case '/healthz': {
      const h = evaluateHealth(o.snapshot(), o.now(), o.healthMaxAgeMinutes);
      return json(res, h.httpStatus, h.body);
    }
    case '/metrics':
      return send(res, 200, o.metrics.registry.contentType, await o.metrics.registry.metrics());
    case '/api/status':
      return json(res, 200, o.snapshot());
    case '/':
      return send(res, 200, 'text/html; charset=utf-8', renderStatusPage(o.snapshot(), o.now(), { authRequired: Boolean(o.authToken) }));
    default:
      return send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
  }
}

/** Listen on host:port (port 0 = any free port). */
export async function startHttpServer(o: HttpOptions): Promise<HttpServer> {
  const server: Server = createServer((req, res) => {
    route(req, res, o).catch((err: unknown) => {
      o.logger.error({ err: (err as Error).message, path: req.url }, 'HTTP handler failed');
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error\n');
      else res.end();
    });
  });
  // Idle keep-alive sockets must not hold up shutdown.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = o.host === '0.0.0.0' || o.host === '::' ? '127.0.0.1' : o.host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
