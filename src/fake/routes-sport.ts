// The fake cloud's workout and body-scale endpoints (docs/huami-api.md "Workouts", "Weight
// records"): GET /v1/sport/run/history.json (every sport, newest first, paged by `data.next`,
// -1 on the last page; the cursor is accepted as `trackid` or `stopTrackId`), GET
// /v1/sport/run/detail.json (both `trackid` and `source` required; throttled by a switch),
// GET /users/{uid}/members/{memberId}/weightRecords (paged backwards with `toTime`/`next`,
// the last page without `next`) and POST /huami.health.scale.familymember.get.json.
// All need the `apptoken` header like the band data endpoints.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { historyItem, detailData } from './data/workout-wire.js';
import { badRequest, sendJson, SUCCESS, tokenUser, unauthorized, type DataRouteContext } from './routes-data.js';

/** Detail throttling: more than `calls` detail requests within `windowSeconds` answer 429. */
export interface DetailThrottle { calls: number; windowSeconds: number; retryAfterSeconds: number }

/** Switches and counters of the sport endpoints (`server.sport`). */
export class SportControls {
  /** Items per history page (one source reports about 200). */
  historyPageSize = 200;
  /** Most records per weightRecords page (`limit` is capped to it; the stated maximum is 200). */
  weightPageLimit = 200;
  /** The last weightRecords page: without `next` (seen in captures) or with `next: 0` (what one client expects). */
  weightLastPage: 'absent' | 'zero' = 'absent';
  /** Detail calls answered (200) so far. */
  detailCalls = 0;
  /** Detail calls answered 429 so far. */
  detailThrottled = 0;
  private throttle: DetailThrottle | undefined;
  private recent: number[] = [];

  /** Throttle detail calls as reported for the real service; undefined turns it off. */
  throttleDetail(t: DetailThrottle | undefined): void {
    this.throttle = t;
    this.recent = [];
  }

  /** Record one detail call at `nowMs`; true when it must be refused. */
  takeDetail(nowMs: number): boolean {
    const t = this.throttle;
    if (!t) return false;
    this.recent = this.recent.filter((ms) => ms > nowMs - t.windowSeconds * 1000);
    if (this.recent.length >= t.calls) return true;
    this.recent.push(nowMs);
    return false;
  }

  get retryAfterSeconds(): number {
    return this.throttle?.retryAfterSeconds ?? 1;
  }
}

export interface SportRouteContext extends DataRouteContext {
  sport: SportControls;
  now: () => Date;
}

function intParam(q: URLSearchParams, ...names: string[]): number | undefined | null {
  for (const n of names) {
    const v = q.get(n);
    if (v === null || v === '') continue;
    return /^-?\d+$/.test(v) ? Number(v) : null;
  }
  return undefined;
}

function history(res: ServerResponse, url: URL, userId: string, ctx: SportRouteContext): void {
  const q = url.searchParams;
  const cursor = intParam(q, 'trackid', 'stopTrackId');
  const lower = intParam(q, 'startTrackId');
  if (cursor === null) return badRequest(res, q.has('trackid') ? 'trackid' : 'stopTrackId');
  if (lower === null) return badRequest(res, 'startTrackId');
  // `next` is the last trackid returned; the next page holds the strictly older ones.
  const all = ctx.data.workoutList(userId).filter((w) => (cursor === undefined || cursor < 0 || w.trackid < cursor) && (lower === undefined || w.trackid >= lower));
  const page = all.slice(0, ctx.sport.historyPageSize);
  const last = page[page.length - 1];
  const next = all.length > page.length && last ? last.trackid : -1;
  sendJson(res, 200, { ...SUCCESS, data: { next, summary: page.map(historyItem) } });
}

function detail(res: ServerResponse, url: URL, userId: string, ctx: SportRouteContext): void {
  const q = url.searchParams;
  const trackid = q.get('trackid');
  const source = q.get('source');
  if (!trackid || !/^\d+$/.test(trackid)) return badRequest(res, 'trackid');
  if (!source) return badRequest(res, 'source');
  if (ctx.sport.takeDetail(ctx.now().getTime())) {
    ctx.sport.detailThrottled++;
    return sendJson(res, 429, { code: 12, message: 'too many requests' }, { 'retry-after': String(ctx.sport.retryAfterSeconds) });
  }
  const w = ctx.data.findWorkout(userId, Number(trackid), source);
  ctx.sport.detailCalls++;
  // What the service answers for an unknown track is not known; a failure envelope is a guess.
  if (!w) return sendJson(res, 200, { code: 0, message: 'track not found' });
  sendJson(res, 200, { ...SUCCESS, data: detailData(w) });
}

function weightRecords(res: ServerResponse, url: URL, userId: string, memberId: string, ctx: SportRouteContext): void {
  const q = url.searchParams;
  const toTime = intParam(q, 'toTime');
  const fromTime = intParam(q, 'fromTime');
  const limit = intParam(q, 'limit');
  if (toTime === null) return badRequest(res, 'toTime');
  if (fromTime === null) return badRequest(res, 'fromTime');
  if (limit === null || (limit !== undefined && limit < 1)) return badRequest(res, 'limit');
  const size = Math.min(limit ?? ctx.sport.weightPageLimit, ctx.sport.weightPageLimit);
  const upper = toTime ?? Math.floor(ctx.now().getTime() / 1000);
  // Newest first, generatedTime ≤ toTime; `next` = the oldest returned − 1 while older ones remain.
  const all = ctx.data.weighInList(userId, memberId).filter((w) => w.generatedTime <= upper && (fromTime === undefined || w.generatedTime >= fromTime)).reverse();
  const page = all.slice(0, size);
  const items = page.map((w) => ({
    userId: w.userId, memberId: w.memberId, deviceId: 'C8:0F:10:AA:BB:CC', deviceSource: w.weightType === 7 ? 0 : 102, dataSource: 1,
    generatedTime: w.generatedTime, createTime: w.generatedTime + 40, weightType: w.weightType, summary: w.summary,
  }));
  const oldest = page[page.length - 1];
  const body: Record<string, unknown> = { items };
  if (all.length > page.length && oldest) body.next = oldest.generatedTime - 1;
  else if (ctx.sport.weightLastPage === 'zero') body.next = 0;
  sendJson(res, 200, body);
}

function familyMembers(res: ServerResponse, userId: string, ctx: SportRouteContext): void {
  const list = ctx.data.members(userId).filter((m) => m.id !== '-1').map((m) => ({
    uid: userId, fuid: m.id, nickname: m.nickname, city: '', brithday: m.birthday, gender: m.gender, height: m.heightCm,
    weight: m.baseKg, targetweight: m.baseKg - 2, last_modify: 1_767_225_600, scale_avatar_id: 0, measure_mode: 1,
  }));
  sendJson(res, 200, { ...SUCCESS, data: { total: list.length, list } });
}

/** Serve a sport or scale route; false when the path is not one of them. */
export function handleSportRoute(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer, ctx: SportRouteContext): boolean {
  const path = url.pathname;
  const weight = /^\/users\/([^/]+)\/members\/([^/]+)\/weightRecords$/.exec(path);
  const family = path === '/huami.health.scale.familymember.get.json';
  const get = path === '/v1/sport/run/history.json' || path === '/v1/sport/run/detail.json' || weight;
  if (!(get && req.method === 'GET') && !(family && req.method === 'POST')) return false;
  const userId = tokenUser(req, res, ctx);
  if (userId === undefined) return true;
  if (weight) {
    if (decodeURIComponent(weight[1] ?? '') !== userId) unauthorized(res, ctx);
    else weightRecords(res, url, userId, decodeURIComponent(weight[2] ?? ''), ctx);
  } else if (family) {
    const form = new URLSearchParams(body.toString('utf8'));
    if (form.get('userid') !== userId) unauthorized(res, ctx);
    else familyMembers(res, userId, ctx);
  } else if (path === '/v1/sport/run/history.json') history(res, url, userId, ctx);
  else detail(res, url, userId, ctx);
  return true;
}
