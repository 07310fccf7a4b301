// The fake cloud's login endpoints (docs/huami-api.md "Login flows"): both registration flows
// (303 + Location), /v2/client/login with body-level error codes inside HTTP 200, and
// /v1/client/app_tokens. Answers are shaped like the real service's, not like our client.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createDecipheriv } from 'node:crypto';
import type { FakeAccounts } from './accounts.js';

/** What the auth routes need from the server frame. */
export interface AuthRouteContext {
  accounts: FakeAccounts;
  now: () => Date;
  publicUrl: string;
}

// AES-128-CBC, PKCS#7, fixed ASCII key and IV, raw ciphertext as the body.
const AES_KEY = Buffer.from('xeNtBVqzDc6tuNTh', 'ascii');
const AES_IV = Buffer.from('MAAAYAAAAAAAAABg', 'ascii');
const S3_SUCCESS = 'https://s3-us-west-2.amazonaws.com/hm-registration/successsignin.html';
// `dn` drives `domains`; this is the list clients send when they send one.
const DEFAULT_DN = 'account.huami.com,api-user.huami.com,api-watch.huami.com,api-analytics.huami.com,app-analytics.huami.com,api-mifit.huami.com';
// Regional host suffixes by AWS-style region (host names -de2, -us2, -cn...).
const REGION_SUFFIX: Record<string, string> = { 'eu-central-1': 'de2', 'us-west-2': 'us2', 'cn-northwest-1': 'cn', 'ap-southeast-1': 'sg2' };
const KNOWN_THIRD_NAMES = new Set(['huami', 'email', 'huami_phone']);

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8' });
  res.end(JSON.stringify(body));
}

function redirect(res: ServerResponse, redirectUri: string, params: Record<string, string>): void {
  const target = new URL(redirectUri || S3_SUCCESS);
  for (const [k, v] of Object.entries(params)) target.searchParams.set(k, v);
  res.writeHead(303, { location: target.toString(), 'content-length': '0' });
  res.end();
}

/** Decrypt an encrypted-flow body; undefined when it is not valid ciphertext. */
function decryptBody(body: Buffer): string | undefined {
  try {
    const d = createDecipheriv('aes-128-cbc', AES_KEY, AES_IV);
    return Buffer.concat([d.update(body), d.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** `api-mifit.huami.com` → `api-mifit-de2.huami.com` for the account's region. */
export function regionalHost(host: string, region: string): string {
  const suffix = REGION_SUFFIX[region] ?? 'de2';
  const dot = host.indexOf('.');
  return dot < 0 ? host : `${host.slice(0, dot)}-${suffix}${host.slice(dot)}`;
}

/** Shared by both registration flows: rate limit, password check, 303 (or 200 JSON). */
function register(res: ServerResponse, form: URLSearchParams, account: string, flow: 'legacy' | 'encrypted', ctx: AuthRouteContext, appName: string): void {
  const { accounts } = ctx;
  const failStatus = accounts.failFlow[flow];
  if (failStatus) return json(res, failStatus, { code: 0, message: 'request rejected' });
  // Too many logins → 429 with this body and no Location.
  if (!accounts.registerLoginAttempt()) return json(res, 429, { code: 12, message: 'too many requests' });
  accounts.counters[flow]++;
  const acct = accounts.byEmail(account);
  const region = acct?.region ?? form.get('region') ?? 'eu-central-1';
  const jsonResponse = form.get('json_response') === 'true';
  const redirectUri = form.get('redirect_uri') ?? S3_SUCCESS;
  if (!acct || form.get('password') !== acct.password) {
    // Wrong password and unknown account look the same: a 303 with error=401.
    if (jsonResponse) return json(res, 200, accounts.jsonResponseShape === 'access' ? { error: '401', state: 'REDIRECTION', region } : { ok: false, error: '401' });
    return redirect(res, redirectUri, { error: '401', state: 'REDIRECTION', region });
  }
  const { access, refresh, expiration } = accounts.issueAccessCode(acct.userId);
  const params = {
    appname: appName,
    state: 'REDIRECTION',
    region,
    refresh,
    access,
    country_code: acct.countryCode ?? 'DE',
    expiration: String(expiration),
  };
  if (jsonResponse) {
    const target = new URL(redirectUri);
    for (const [k, v] of Object.entries(params)) target.searchParams.set(k, v);
    return json(res, 200, accounts.jsonResponseShape === 'access' ? params : { ok: true, redirectUri: target.toString() });
  }
  redirect(res, redirectUri, params);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** POST /v2/client/login: access code → login_token + app_token. */
function clientLogin(res: ServerResponse, form: URLSearchParams, ctx: AuthRouteContext): void {
  const { accounts } = ctx;
  const failStatus = accounts.failFlow.clientLogin;
  if (failStatus) return json(res, failStatus, { code: 0, message: 'request rejected' });
  const missing = ['grant_type', 'code', 'third_name', 'app_name'].filter((k) => !form.get(k));
  // 0100 when the call lacks its params; the HTTP status is a guess.
  if (missing.length) return json(res, 400, { error_code: '0100', message: `missing ${missing.join(',')}` });
  const thirdName = form.get('third_name') ?? '';
  if (form.get('grant_type') === 'request_token' || !KNOWN_THIRD_NAMES.has(thirdName)) {
    // An identity (Xiaomi/Google/...) that was never linked to a Huami account.
    return json(res, 200, { error_code: '0117', data: { accessToken: `V3_${form.get('code')?.slice(0, 6) ?? ''}`, refreshToken: null } });
  }
  const check = accounts.checkAccessCode(form.get('code') ?? '');
  if (typeof check === 'string') return json(res, 200, { error_code: '0106' });
  const acct = accounts.get(check.userId);
  if (!acct) return json(res, 200, { error_code: '0117', data: { accessToken: null, refreshToken: null } });
  const region = acct.region ?? 'eu-central-1';
  const { loginToken, appToken } = accounts.clientLogin(acct.userId, form.get('app_name') ?? '');
  const hosts = (form.get('dn') || DEFAULT_DN).split(',').map((h) => h.trim()).filter(Boolean);
  json(res, 200, {
    token_info: {
      login_token: loginToken,
      app_token: appToken,
      user_id: acct.userId, // a string in every known answer
      ttl: accounts.loginTokenTtlSeconds,
      app_ttl: accounts.appTokenTtlSeconds,
    },
    regist_info: { is_new_user: 0, regist_date: 1546300800000, region, country_code: acct.countryCode ?? 'DE' },
    thirdparty_info: { nickname: acct.nickName ?? '', icon: 'https://example.invalid/avatar.png', third_id: acct.userId, email: acct.email },
    result: 'ok',
    domain: { 'id-dns': regionalHost('api-mifit.huami.com', region) },
    domains: hosts.map((host) => ({ host, cnames: [regionalHost(host, region)] })),
  });
}

/** GET /v1/client/app_tokens: login_token → new app_token. */
function appTokens(res: ServerResponse, url: URL, ctx: AuthRouteContext): void {
  const { accounts } = ctx;
  const check = accounts.checkLoginToken(url.searchParams.get('login_token') ?? '');
  // The error `result` string is a guess.
  if (typeof check === 'string') return json(res, 200, { result: 'error', error_code: '0105' });
  accounts.counters.appTokens++;
  const appToken = accounts.issueAppToken(check.userId);
  json(res, 200, { result: 'ok', token_info: { app_token: appToken, app_ttl: accounts.appTokenTtlSeconds, user_id: check.userId } });
}

/** Serve a login route; false when the request is not one (the frame then tries its other routes). */
export function handleAuthRoute(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer, ctx: AuthRouteContext): boolean {
  const path = url.pathname;
  const method = req.method ?? 'GET';
  const appName = header(req, 'appname') ?? header(req, 'app_name') ?? 'com.xiaomi.hm.health';
  const legacy = /^\/registrations\/([^/]+)\/tokens$/.exec(path);
  if (legacy && method === 'POST') {
    const form = new URLSearchParams(body.toString('utf8'));
    register(res, form, decodeURIComponent(legacy[1] ?? ''), 'legacy', ctx, appName);
    return true;
  }
  if (path === '/v2/registrations/tokens' && method === 'POST') {
    const plain = decryptBody(body);
    if (plain === undefined) {
      json(res, 400, { code: 0, message: 'invalid request body' });
      return true;
    }
    const form = new URLSearchParams(plain);
    register(res, form, form.get('emailOrPhone') ?? '', 'encrypted', ctx, appName);
    return true;
  }
  if (path === '/v2/client/login' && method === 'POST') {
    clientLogin(res, new URLSearchParams(body.toString('utf8')), ctx);
    return true;
  }
  if (path === '/v1/client/app_tokens' && method === 'GET') {
    appTokens(res, url, ctx);
    return true;
  }
  return false;
}
