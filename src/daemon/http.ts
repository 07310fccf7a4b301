// The daemon's HTTP server (node:http): /healthz, /metrics, the status page, /api/status
// and POST /sync ("Sync now"). The rules (README "Status page and HTTP access"):
// - /healthz is always open (Docker's health check, uptime probes).
// - With HTTP_AUTH_TOKEN every other path needs it: `Authorization: Bearer <token>` (how
//   Prometheus sends `authorization.credentials`) or HTTP basic auth with the token as
//   password (any user name; browsers ask for it once and resend it, also with fetch()).
// - A state-changing request (POST /sync) must be same-origin, token or not: refused when
//   the browser says it comes from another site (Sec-Fetch-Site other than same-origin /
//   none, else an Origin whose host is not this request's Host). A request with neither
//   header is not from a browser (curl, scripts) and carries no ambient credentials.
// - Failed authentication has a limit of its own and never takes the "Sync now" slot.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log.js';
import { evaluateHealth } from './health.js';
import type { DaemonMetrics } from './metrics.js';
import { renderStatusPage, renderSyncAnswer } from './page.js';
import { createFailureLimiter, type FailureLimiter, type RateLimiter } from './rate-limit.js';
import type { DaemonSnapshot } from './status.js';

export interface HttpOptions {
  port: number;
  host: string;
  snapshot(): DaemonSnapshot;
  metrics: DaemonMetrics;
  healthMaxAgeMinutes: number;
  /** Empty = no token needed; else every path except /healthz needs it. */
  authToken: string;
  /** The "Sync now" limit. */
  limiter: RateLimiter;
  /** Limit of failed authentications (default: 20 a minute). */
  authFailures?: FailureLimiter;
  isRunning(): boolean;
  /** Start a run in the background. */
  triggerSync(): void;
  now(): number;
  logger: Logger;
}

export interface HttpServer {
  /** http://<address really bound>:<port>. */
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

/** The token a request presents: a bearer token, or the password of basic auth. */
export function presentedToken(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const space = authorization.indexOf(' ');
  if (space < 0) return undefined;
  const scheme = authorization.slice(0, space).toLowerCase();
  const value = authorization.slice(space + 1).trim();
  if (scheme === 'bearer') return value;
  if (scheme !== 'basic') return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1);
}

type Headers = IncomingMessage['headers'];

/**
 * Why a state-changing request is refused as cross-site, or undefined when it is
 * same-origin (or not from a browser at all). A same-origin fetch() or form post from the
 * status page sends `Sec-Fetch-Site: same-origin` (every current browser) and an Origin
 * equal to the page's; either passes.
 */
export function crossSiteReason(h: Headers): string | undefined {
  const site = h['sec-fetch-site'];
  if (typeof site === 'string' && site) return site === 'same-origin' || site === 'none' ? undefined : `Sec-Fetch-Site is "${site}"`;
  const origin = h.origin;
  if (origin === undefined) return undefined;
  try {
    if (origin !== 'null' && new URL(origin).host === h.host) return undefined;
  } catch {
    /* not a URL: refused below */
  }
  return `Origin "${origin}" is not this server (${h.host ?? 'no Host header'})`;
}

const CHALLENGES = ['Basic realm="mifit-sync", charset="UTF-8"', 'Bearer realm="mifit-sync"'];

async function readBody(req: IncomingMessage, limit = 4096): Promise<string> {
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > limit) break;
  }
  return body;
}

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers });
  res.end(body);
}

const json = (res: ServerResponse, status: number, body: unknown, headers?: Record<string, string | string[]>): void =>
  send(res, status, 'application/json; charset=utf-8', `${JSON.stringify(body)}\n`, headers);

async function handleSync(req: IncomingMessage, res: ServerResponse, o: HttpOptions, limits: Limits): Promise<void> {
  const wantsHtml = (req.headers.accept ?? '').includes('text/html');
  const answer = (status: number, message: string, extra: Record<string, unknown> = {}, headers?: Record<string, string | string[]>): void =>
    wantsHtml
      ? send(res, status, 'text/html; charset=utf-8', renderSyncAnswer(status, message), headers)
      : json(res, status, { status: extra.status ?? 'error', message, ...extra }, headers);
  const crossSite = crossSiteReason(req.headers);
  if (crossSite) {
    o.logger.warn({ reason: crossSite }, '"Sync now" refused: cross-site request');
    answer(403, 'Refused: "Sync now" is accepted only from the status page itself (same origin).', { status: 'cross_site' });
    return;
  }
  const body = await readBody(req);
  if (o.authToken) {
    // The page's legacy token field, when no Authorization header came along.
    const formToken = (req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')
      ? (new URLSearchParams(body).get('token') ?? undefined)
      : undefined;
    const presented = presentedToken(req.headers.authorization) ?? formToken;
    // Auth before the "Sync now" limit, so a stranger cannot use up the owner's slot.
    if (!tokenMatches(presented, o.authToken)) return refuseAuth(res, o, limits, answer);
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

interface Limits {
  authFailures: FailureLimiter;
}

type Answer = (status: number, message: string, extra?: Record<string, unknown>, headers?: Record<string, string | string[]>) => void;

/** 401 with the challenges, or 429 once failures exceed their own limit. */
function refuseAuth(res: ServerResponse, o: HttpOptions, limits: Limits, answer: Answer): void {
  const now = o.now();
  if (!limits.authFailures.fail(now)) {
    const wait = limits.authFailures.retryAfterSeconds(now);
    answer(429, `Too many failed authentications: try again in ${wait} s.`, { status: 'auth_rate_limited', retryAfterSeconds: wait }, { 'retry-after': String(wait) });
    return;
  }
  o.logger.warn('request refused: missing or wrong token (HTTP_AUTH_TOKEN)');
  answer(401, 'A valid token is needed (HTTP_AUTH_TOKEN): as a bearer token, or as the password of basic auth.', { status: 'unauthorized' }, { 'www-authenticate': CHALLENGES });
}

async function route(req: IncomingMessage, res: ServerResponse, o: HttpOptions, limits: Limits): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const get = req.method === 'GET' || req.method === 'HEAD';
  if (path === '/healthz' && get) {
    const h = evaluateHealth(o.snapshot(), o.now(), o.healthMaxAgeMinutes);
    return json(res, h.httpStatus, h.body);
  }
  if (path === '/sync') {
    if (req.method === 'POST') return handleSync(req, res, o, limits);
    return send(res, 405, 'text/plain; charset=utf-8', 'use POST\n', { allow: 'POST' });
  }
  if (!get) return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n', { allow: 'GET, HEAD' });
  if (o.authToken && !tokenMatches(presentedToken(req.headers.authorization), o.authToken)) {
    return refuseAuth(res, o, limits, (status, message, _extra, headers) => send(res, status, 'text/plain; charset=utf-8', `${message}\n`, headers));
  }
  switch (path) {
    case '/metrics':
      return send(res, 200, o.metrics.registry.contentType, await o.metrics.registry.metrics());
    case '/api/status':
      return json(res, 200, o.snapshot());
    case '/':
      // The browser already authenticated (basic auth) to see the page, and resends that
      // with the "Sync now" post: the page needs no token field of its own.
      return send(res, 200, 'text/html; charset=utf-8', renderStatusPage(o.snapshot(), o.now(), { authRequired: false }));
    default:
      return send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
  }
}

/** Listen on host:port (port 0 = any free port). */
export async function startHttpServer(o: HttpOptions): Promise<HttpServer> {
  const limits: Limits = { authFailures: o.authFailures ?? createFailureLimiter(20, 60_000) };
  const server: Server = createServer((req, res) => {
    route(req, res, o, limits).catch((err: unknown) => {
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
  const { address, port, family } = server.address() as AddressInfo;
  return {
    url: `http://${family === 'IPv6' ? `[${address}]` : address}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
