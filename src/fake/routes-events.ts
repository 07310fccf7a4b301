// The fake cloud's health-event endpoints (docs/huami-api.md "Health events"):
//   GET /users/{uid}/events?eventType=&subType=&from=<ms>&to=<ms>&limit=&reverse=&timeZone=
//   GET /users/{uid}/events/dateString?…&from=<local ISO date or date-time>&to=…&timeZone=
//   GET /v2/users/me/events?eventType=&subType=&from=<ms>&to=<ms>&limit=&reverse=
// All need the `apptoken` header. Answers `{items, next?}`; paging per the `eventsPaging` switch.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { IANAZone } from 'luxon';
import { localIsoToMs, type EventItem, type FakeEvents } from './data/events.js';
import { badRequest, sendJson, tokenUser, unauthorized, type DataRouteContext } from './routes-data.js';

export interface EventRouteContext extends DataRouteContext {
  events: FakeEvents;
}

/** True when the path is one of the event endpoints (fault injection answers them `{items: []}`). */
export function isEventPath(path: string): boolean {
  return /^\/users\/[^/]+\/events(\/dateString)?$/.test(path) || path === '/v2/users/me/events';
}

const MAX_LIMIT = 2000;

function page(res: ServerResponse, items: EventItem[], limit: number, ctx: EventRouteContext): void {
  if (items.length <= limit) return sendJson(res, 200, { items });
  const body: Record<string, unknown> = { items: items.slice(0, limit) };
  if (ctx.events.switches.eventsPaging === 'next') body.next = items[limit]; // an item-shaped cursor: the first item not sent
  sendJson(res, 200, body);
}

/** Serve an event route; false when the path is not one of them. */
export function handleEventRoute(req: IncomingMessage, res: ServerResponse, url: URL, ctx: EventRouteContext): boolean {
  const path = url.pathname;
  if (!isEventPath(path) || req.method !== 'GET') return false;
  const userId = tokenUser(req, res, ctx);
  if (userId === undefined) return true;
  const v1 = /^\/users\/([^/]+)\/events/.exec(path);
  if (v1 && decodeURIComponent(v1[1] ?? '') !== userId) {
    if (ctx.switches.userMismatch === 'unauthorized') unauthorized(res, ctx);
    else sendJson(res, 200, { items: [] });
    return true;
  }
  const q = url.searchParams;
  const eventType = q.get('eventType');
  if (!eventType) {
    badRequest(res, 'eventType');
    return true;
  }
  const subType = q.get('subType') ?? undefined;
  const v2 = path === '/v2/users/me/events';
  if (v2 && !subType) {
    badRequest(res, 'subType'); // required by version 2
    return true;
  }
  const zoneParam = q.get('timeZone');
  const zoneName = zoneParam && IANAZone.isValidZone(zoneParam) ? zoneParam : ctx.events.zoneOf(userId);
  // The service echoes the legacy alias for India whatever the request said.
  const echoed = zoneName === 'Asia/Kolkata' ? 'Asia/Calcutta' : zoneName;
  const dateString = path.endsWith('/dateString');
  const read = (key: 'from' | 'to'): number => {
    const raw = q.get(key) ?? '';
    if (dateString) return localIsoToMs(raw, zoneName);
    return /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  };
  const from = read('from');
  const to = read('to');
  if (!Number.isFinite(from)) {
    badRequest(res, 'from');
    return true;
  }
  if (!Number.isFinite(to) || to < from) {
    badRequest(res, 'to');
    return true;
  }
  const limitRaw = q.get('limit');
  const limit = limitRaw === null ? 1000 : /^\d+$/.test(limitRaw) ? Math.min(Number(limitRaw), MAX_LIMIT) : Number.NaN;
  if (!(limit >= 1)) {
    badRequest(res, 'limit');
    return true;
  }
  // Version 2 serves readiness only here (the other v2 types are not modelled: no items).
  const items = v2 && eventType !== 'readiness' ? [] : ctx.events.items(userId, eventType, subType, from, to, echoed);
  const reverse = q.get('reverse');
  if (reverse === 'true' || reverse === '1') items.reverse();
  page(res, items, limit, ctx);
  return true;
}
