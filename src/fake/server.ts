// The HTTP frame of the fake Huami cloud: one node:http server plays every Huami host on
// one port (clients map all hosts to HUAMI_BASE_URL), so requests are routed by path only.
// Order per request: read the body → fault injection → login routes → data routes → 404.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { FakeAccounts } from './accounts.js';
import { handleAuthRoute, type AuthRouteContext } from './auth-routes.js';
import { sendOversized, sendTruncated } from './bodies.js';
import type { Faults } from './faults.js';
import type { FakeEvents } from './data/events.js';
import { handleDataRoute, sendJson, type DataRouteContext } from './routes-data.js';
import { handleEventRoute, isEventPath } from './routes-events.js';
import { handleSportRoute, type SportControls } from './routes-sport.js';

/** One answered (or reset) request; `status` 0 = the connection was destroyed without an answer. */
export interface RequestLogEntry { method: string; path: string; status: number; query: Record<string, string> }

export interface ServerFrameContext {
  accounts: FakeAccounts;
  now: () => Date;
  faults: Faults;
  data: Omit<DataRouteContext, 'accounts' | 'faults'>;
  events: FakeEvents;
  sport: SportControls;
  requests: RequestLogEntry[];
  /** The base URL, known once listening (auth redirects may point back at it). */
  publicUrl: string;
  onRequest?: (entry: RequestLogEntry) => void;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function handle(req: IncomingMessage, res: ServerResponse, ctx: ServerFrameContext): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://fake-huami.invalid');
  res.on('close', () => {
    const entry = { method: req.method ?? '', path: url.pathname, status: res.writableFinished ? res.statusCode : 0, query: Object.fromEntries(url.searchParams) };
    ctx.requests.push(entry);
    ctx.onRequest?.(entry);
  });
  const body = await readBody(req);
  const fault = ctx.faults.take(url.pathname);
  if (fault.delayMs > 0) await new Promise((r) => setTimeout(r, fault.delayMs));
  switch (fault.action?.kind) {
    case 'empty-answer': // a wrong regional host or a flaky backend: success with no days
      if (isEventPath(url.pathname)) return sendJson(res, 200, { items: [] });
      return sendJson(res, 200, { code: 1, message: 'success', data: [] });
    case 'reset':
      req.socket.destroy();
      return;
    case 'rate-limit': // the reported 429 body; Retry-After in seconds so clients can honour it
      return sendJson(res, 429, { code: 12, message: 'too many requests' }, { 'retry-after': String(fault.action.retryAfterSeconds) });
    case 'server-error': // the data hosts' 500 body has code -50000
      return sendJson(res, fault.action.status, { code: -50000, message: 'internal server error' });
    case 'oversized':
      return sendOversized(res, fault.action.bytes, fault.action.chunked);
    case 'truncated':
      return sendTruncated(res);
  }
  const auth: AuthRouteContext = { accounts: ctx.accounts, now: ctx.now, publicUrl: ctx.publicUrl };
  if (handleAuthRoute(req, res, url, body, auth)) return;
  if (handleEventRoute(req, res, url, { ...ctx.data, accounts: ctx.accounts, faults: ctx.faults, events: ctx.events })) return;
  if (handleDataRoute(req, res, url, { ...ctx.data, accounts: ctx.accounts, faults: ctx.faults })) return;
  if (handleSportRoute(req, res, url, body, { ...ctx.data, accounts: ctx.accounts, faults: ctx.faults, sport: ctx.sport, now: ctx.now })) return;
  sendJson(res, 404, { code: 404, message: 'routes not found' }); // the reported 404 body
}

/** Create (not start) the fake cloud's HTTP server. */
export function createFakeHttpServer(ctx: ServerFrameContext): Server {
  return createServer((req, res) => {
    handle(req, res, ctx).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { code: -50000, message: `fake server bug: ${(err as Error).message}` });
      else res.destroy();
    });
  });
}
