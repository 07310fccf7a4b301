// The health-event endpoints (docs/huami-api.md "Events request"): one window of epoch
// milliseconds per call, paged only when an answer holds `limit` items, every item validated
// on its own. Decoding is src/decode/events' job.
import { HuamiError } from './errors.js';
import type { Transport } from './http.js';
import { checkEventItem, parseEventsEnvelope, type EventsAnswer } from './schemas.js';

/** Items asked for per page (docs/huami-api.md: 10 … 2000 reported, 1000 typical). */
export const EVENTS_LIMIT = 1000;
/** Pages of one window at most: a cursor that stops moving must not loop. */
const MAX_PAGES = 50;

export interface EventsQuery {
  eventType: string;
  /** Required by version 2 (readiness: `watch_score`); a filter on version 1. */
  subType?: string;
  /** IANA zone of the account. */
  timeZone: string;
  /** GET /v2/users/me/events instead of GET /users/{uid}/events. */
  v2?: boolean;
  /** Items per page (default EVENTS_LIMIT). */
  limit?: number;
}

export interface EventsRequest extends EventsQuery {
  host: string;
  userId: string;
  appToken: string;
  appName: string;
  /** Epoch ms, both ends inclusive (align them to local midnights). */
  fromMs: number;
  toMs: number;
}

const instantOf = (item: unknown): number | undefined => {
  const t = (item as { timestamp?: unknown } | null)?.timestamp;
  const n = typeof t === 'number' ? t : typeof t === 'string' && /^\s*\d+\s*$/.test(t) ? Number(t) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
};

/**
 * Every item of [fromMs, toMs]: when a page holds `limit` items the next one starts at
 * `next.timestamp` if the answer has a cursor, else at the last item's timestamp (works
 * whether the service pages with an item-shaped `next` or cuts silently). Items seen twice
 * are kept once; a page that brings nothing new ends the window. A 401 surfaces as HUAMI_TOKEN_EXPIRED for the caller.
 */
export async function fetchEventWindow(transport: Transport, req: EventsRequest, secrets: readonly string[]): Promise<EventsAnswer & { pages: number }> {
  const limit = req.limit ?? EVENTS_LIMIT;
  const path = req.v2 ? '/v2/users/me/events' : `/users/${encodeURIComponent(req.userId)}/events`;
  const logPath = req.v2 ? path : '/users/{uid}/events';
  const what = `events ${req.eventType}${req.subType ? `/${req.subType}` : ''}`;
  const seen = new Set<string>();
  const out: EventsAnswer = { items: [], invalid: [] };
  let from = req.fromMs;
  let pages = 0;
  let index = 0;
  for (;;) {
    pages++;
    const query: Record<string, string> = { eventType: req.eventType, from: String(from), to: String(req.toMs), limit: String(limit), timeZone: req.timeZone, reverse: 'false' };
    if (req.subType) query.subType = req.subType;
    if (!req.v2) query.userid = req.userId;
    const res = await transport.request({
      host: req.host, path, logPath, method: 'GET', kind: 'data', query,
      headers: { apptoken: req.appToken, appPlatform: 'web', appname: req.appName },
    });
    let body: unknown;
    try {
      body = JSON.parse(res.body);
    } catch (err) {
      throw new HuamiError('HUAMI_SCHEMA_MISMATCH', `${what} answer is not JSON`, { status: res.status, body: res.body, cause: err, secrets });
    }
    const page = parseEventsEnvelope(body, `${what} answer`);
    let fresh = 0;
    for (const raw of page.items) {
      const key = JSON.stringify(raw);
      if (seen.has(key)) continue;
      seen.add(key);
      fresh++;
      const checked = checkEventItem(raw, index, what);
      if ('item' in checked) out.items.push(checked.item);
      else out.invalid.push({ index, timestamp: checked.timestamp, item: raw, message: checked.message });
      index++;
    }
    if (page.items.length < limit) return { ...out, pages };
    // The next page starts AT the cursor's or the last item's instant, not after it: items that
    // share that instant (a readiness item re-sent for a night) would otherwise be lost.
    const nextFrom = instantOf(page.next) ?? instantOf(page.items[page.items.length - 1]);
    // A page with nothing new, or a cursor that goes back, would loop.
    if (nextFrom === undefined || fresh === 0 || nextFrom < from || nextFrom > req.toMs) return { ...out, pages };
    if (pages >= MAX_PAGES) {
      throw new HuamiError('HUAMI_SCHEMA_MISMATCH', `${what}: more than ${MAX_PAGES} pages of ${limit} items for one window; the service's paging did not end`, { secrets });
    }
    from = nextFrom;
  }
}
