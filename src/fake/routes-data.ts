// The fake cloud's data endpoints (docs/huami-api.md "band_data.json", "Account endpoints"): band_data.json (summary/detail),
// /users/{uid}/devices, /users/{uid} and /huami.health.getUserInfo.json. Every one needs
// the `apptoken` header; a missing, unknown or expired token is HTTP 401.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeAccounts } from './accounts.js';
import { addDays, daysBetween, isIsoDate } from './data/clock.js';
import { deviceFor } from './data/device.js';
import type { FakeDataStore } from './data/store.js';
import type { FakeDay } from './data/types.js';
import { corruptItem, poisonItem, type Faults } from './faults.js';

/** Switches for the data side's uncertain behaviours. */
export interface DataRouteSwitches {
  /** 401 body, undocumented: 'invalid-token' is a body other tools have seen, 'empty' a zero-length body. */
  unauthorizedBody: 'invalid-token' | 'empty';
  /**
   * `userid` that is not the token's user: undocumented. Default 'unauthorized' (401), so
   * a client bug fails loudly as an auth error instead of silently syncing nothing; 'empty'
   * answers 200 with no days, like a wrong regional host does.
   */
  userMismatch: 'unauthorized' | 'empty';
}

export interface DataRouteContext {
  accounts: FakeAccounts;
  data: FakeDataStore;
  faults: Faults;
  switches: DataRouteSwitches;
  seed: number;
}

export const SUCCESS = { code: 1, message: 'success' };

/** Write a JSON answer (the real hosts answer `application/json;charset=UTF-8`). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', ...headers });
  res.end(JSON.stringify(body));
}

/** The 401 answer of the data hosts (shape per switch). */
export function unauthorized(res: ServerResponse, ctx: DataRouteContext): void {
  if (ctx.switches.unauthorizedBody === 'empty') {
    res.writeHead(401, { 'content-length': '0' }).end();
    return;
  }
  sendJson(res, 401, { code: 0, message: 'invalid token', data: { code: '0102' } });
}

/**
 * The user id of the request's `apptoken` header, or undefined after answering 401 (a missing,
 * unknown or expired token): the one token check of every data, event and sport route.
 */
export function tokenUser(req: IncomingMessage, res: ServerResponse, ctx: DataRouteContext): string | undefined {
  const token = req.headers.apptoken;
  const check = typeof token === 'string' && token ? ctx.accounts.checkAppToken(token) : 'unknown';
  if (typeof check !== 'string') return check.userId;
  unauthorized(res, ctx);
  return undefined;
}

export function badRequest(res: ServerResponse, param: string): void {
  sendJson(res, 400, { code: 0, message: `invalid parameter: ${param}` });
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

/** One band_data item in the real key order; encodings are cached with the day. */
function item(day: FakeDay, encoded: Map<string, string>, detail: boolean, ctx: DataRouteContext): Record<string, unknown> {
  const enc = (key: string, make: () => string) => {
    let v = encoded.get(key);
    if (v === undefined) encoded.set(key, (v = make()));
    return v;
  };
  const out: Record<string, unknown> = {
    uid: day.userId,
    data_type: 0,
    date_time: day.date,
    source: day.device.source,
    summary: enc('summary', () => Buffer.from(JSON.stringify(day.summary), 'utf8').toString('base64')),
    device_id: day.device.deviceId,
    uuid: day.device.uuid,
  };
  if (detail) {
    out.data = enc('data', () => b64(day.data));
    out.data_hr = enc('data_hr', () => b64(day.hr));
  }
  const kind = ctx.faults.malformedKind(day.userId, day.date);
  if (kind) corruptItem(kind, out, structuredClone(day.summary));
  const poison = ctx.faults.poisonKind(day.userId, day.date);
  if (poison) poisonItem(poison, out, structuredClone(day.summary));
  return out;
}

function bandData(res: ServerResponse, url: URL, userId: string, ctx: DataRouteContext): void {
  const q = url.searchParams;
  const queryType = q.get('query_type');
  if (queryType !== 'summary' && queryType !== 'detail') return badRequest(res, 'query_type');
  const uid = q.get('userid');
  if (!uid) return badRequest(res, 'userid');
  const from = q.get('from_date') ?? '';
  const to = q.get('to_date') ?? '';
  if (!isIsoDate(from)) return badRequest(res, 'from_date');
  if (!isIsoDate(to) || daysBetween(from, to) < 0) return badRequest(res, 'to_date');
  if (uid !== userId) {
    if (ctx.switches.userMismatch === 'unauthorized') return unauthorized(res, ctx);
    return sendJson(res, 200, { ...SUCCESS, data: [] });
  }
  const items: Record<string, unknown>[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const e = ctx.data.entry(userId, d);
    if (e) items.push(item(e.day, e.encoded, queryType === 'detail', ctx)); // days without data are omitted
  }
  sendJson(res, 200, { ...SUCCESS, data: items });
}

function devices(res: ServerResponse, userId: string, ctx: DataRouteContext): void {
  const d = deviceFor(ctx.seed, userId, ctx.data.switches.recordWidth);
  const since = Date.parse('2024-01-15T09:00:00Z');
  sendJson(res, 200, {
    items: [
      {
        deviceType: 0, deviceSource: d.source, deviceId: d.deviceId, macAddress: d.mac, sn: d.sn, bindingStatus: 1,
        applicationTime: since, lastStatusUpdateTime: since, lastBindingPlatform: 'ANDROID', firmwareVersion: 'V1.0.9.14',
        // A JSON string, not an object.
        additionalInfo: JSON.stringify({ auth_key: 'fakefakefakefakefakefakefakefake', hardwareVersion: 'V0.1.3.2', productVersion: '256', sn: d.sn }),
        displayName: d.displayName, lastActiveStatusUpdateTime: since, activeStatus: 1, priority: 1, sort: 0,
      },
    ],
  });
}

function profile(res: ServerResponse, userId: string, ctx: DataRouteContext): void {
  const a = ctx.accounts.get(userId);
  const nickName = a?.nickName ?? 'Jane';
  sendJson(res, 200, {
    userId, nickName, applicationName: 'com.xiaomi.hm.health', applicationPlatform: 'android_phone',
    birthday: '1990-05', createTime: 1546300800000, gender: 1, height: 178, idSource: 'huami',
    lastUpdateTime: 1767225600000, weight: 72.5, preferredLanguage: 'en', userOldProfile: { nickName }, defaultFields: [],
  });
}

/** Serve a data route; false when the path is not one of them. */
export function handleDataRoute(req: IncomingMessage, res: ServerResponse, url: URL, ctx: DataRouteContext): boolean {
  const path = url.pathname;
  const devicesMatch = /^\/users\/([^/]+)\/devices$/.exec(path);
  const profileMatch = /^\/users\/([^/]+)$/.exec(path);
  const known = path === '/v1/data/band_data.json' || path === '/huami.health.getUserInfo.json' || devicesMatch || profileMatch;
  // POST band_data.json is the app's upload call; a read-only fake does not serve it.
  if (!known || req.method !== 'GET') return false;
  const userId = tokenUser(req, res, ctx);
  if (userId === undefined) return true;
  if (path === '/v1/data/band_data.json') bandData(res, url, userId, ctx);
  else if (path === '/huami.health.getUserInfo.json') {
    // Some clients' cheap app_token validity check; little health value.
    sendJson(res, 200, { ...SUCCESS, data: { userid: userId, nickname: ctx.accounts.get(userId)?.nickName ?? 'Jane', age: 35, alarm: [] } });
  } else {
    const uid = decodeURIComponent((devicesMatch ?? profileMatch)?.[1] ?? '');
    if (uid !== userId) unauthorized(res, ctx);
    else if (devicesMatch) devices(res, userId, ctx);
    else profile(res, userId, ctx);
  }
  return true;
}
