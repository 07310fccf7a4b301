// The refresh ladder (docs/huami-api.md "Refresh ladder"): reuse the app_token →
// new app_token from the login_token → re-exchange the stored access code before its
// expiration → a user-supplied app token → a full password login. Each rung that is
// refused falls through to the next; a transient failure (network, 5xx) stops the
// ladder instead, so a flaky link never costs a rate-limited password login.
import type { AccountConfig } from '../config/accounts.js';
import type { Logger } from '../log.js';
import { HuamiError } from '../fetch/errors.js';
import { HOSTS, pickHost } from './hosts.js';
import type { Transport } from '../fetch/http.js';
import { registerEncrypted, registerLegacy, type AccessGrant } from './registration.js';
import type { ClientLoginResponse } from '../fetch/schemas.js';
import { exchangeAccessCode, refreshAppToken } from './token-exchange.js';
import type { TokenSet } from '../store/tokens.js';

/** Which rung produced the working app token. */
export type Rung = 'stored' | 'app-tokens' | 'access-code' | 'configured' | 'password';

export interface LadderContext {
  transport: Transport;
  account: AccountConfig;
  appName: string;
  loginFlow: 'auto' | 'encrypted' | 'legacy';
  loginBackoffHours: number;
  now: () => number;
  log: Logger;
  secrets: () => string[];
  save: (set: TokenSet) => Promise<void>;
}

/** A refusal worth falling through on; transient failures are not. */
function refused(err: unknown): err is HuamiError {
  return err instanceof HuamiError && !err.retryable;
}

/** Cheap validity check: /users/{uid}/devices answers 401 for a dead token (docs/huami-api.md "Account endpoints"). */
export async function validateAppToken(ctx: LadderContext, set: TokenSet): Promise<boolean> {
  if (!set.appToken || !set.userId) return false;
  try {
    await ctx.transport.request({
      host: set.dataHost ?? HOSTS.data,
      path: `/users/${encodeURIComponent(set.userId)}/devices`,
      method: 'GET',
      kind: 'data',
      query: { enableMultiDevice: 'true' },
      headers: { apptoken: set.appToken, appPlatform: 'web', appname: ctx.appName },
    });
    return true;
  } catch (err) {
    if (err instanceof HuamiError && err.code === 'HUAMI_TOKEN_EXPIRED') return false;
    if (refused(err)) {
      // A 403/404 here says nothing about the token: let the first data call decide.
      ctx.log.warn({ status: err.status }, 'device list unavailable; assuming the app token is valid');
      return true;
    }
    throw err;
  }
}

/** Copy a /v2/client/login answer into the set (tokens, expiries, region, hosts). */
function applyLogin(ctx: LadderContext, set: TokenSet, r: ClientLoginResponse): void {
  const now = ctx.now();
  const t = r.token_info;
  if (ctx.account.userId && ctx.account.userId !== t.user_id) ctx.log.warn({ configured: ctx.account.userId, actual: t.user_id }, 'HUAMI_USER_ID differs from the logged-in user');
  Object.assign(set, {
    userId: t.user_id,
    loginToken: t.login_token,
    loginTokenExpiresAt: t.ttl ? now + t.ttl * 1000 : undefined,
    appToken: t.app_token,
    appTokenObtainedAt: now,
    appTokenExpiresAt: t.app_ttl ? now + t.app_ttl * 1000 : undefined,
    appTokenSource: 'login',
    appName: ctx.appName,
    region: r.regist_info?.region ?? set.region,
    countryCode: r.regist_info?.country_code ?? set.countryCode,
    // The regional hosts from `domains`, else the generic ones.
    dataHost: pickHost(r.domains, HOSTS.data),
    accountHost: pickHost(r.domains, HOSTS.account),
    updatedAt: now,
  } satisfies Partial<TokenSet>);
}

async function exchange(ctx: LadderContext, set: TokenSet, accessCode: string): Promise<void> {
  const r = await exchangeAccessCode(
    ctx.transport,
    { host: HOSTS.account, accessCode, countryCode: set.countryCode ?? 'US', appName: ctx.appName, deviceId: set.deviceId, phone: ctx.account.email.startsWith('+') },
    ctx.secrets(),
  );
  applyLogin(ctx, set, r);
}

/** Step 1 with the configured flow; `auto` falls back to legacy when the encrypted flow is refused. */
async function register(ctx: LadderContext, set: TokenSet): Promise<AccessGrant> {
  const input = { email: ctx.account.email, password: ctx.account.password, appName: ctx.appName, countryCode: set.countryCode ?? 'US' };
  const flows = ctx.loginFlow === 'auto' ? (['encrypted', 'legacy'] as const) : [ctx.loginFlow];
  for (const [i, flow] of flows.entries()) {
    try {
      return await (flow === 'encrypted' ? registerEncrypted : registerLegacy)(ctx.transport, input);
    } catch (err) {
      const last = i === flows.length - 1;
      // A wrong password or a 429 would be the same on the other flow (same account, same IP).
      if (last || !refused(err) || err.code === 'HUAMI_AUTH_WRONG_PASSWORD' || err.code === 'HUAMI_LOGIN_RATE_LIMITED') throw err;
      ctx.log.warn({ flow, code: err.code, status: err.status }, 'encrypted login refused; trying the legacy flow');
    }
  }
  throw new Error('unreachable');
}

async function passwordLogin(ctx: LadderContext, set: TokenSet): Promise<void> {
  const now = ctx.now();
  if (set.loginBlockedUntil && set.loginBlockedUntil > now) {
    throw new HuamiError('HUAMI_LOGIN_RATE_LIMITED', `password login is rate limited until ${new Date(set.loginBlockedUntil).toISOString()} (a previous login got HTTP 429; no attempt before then)`, { status: 429, retryable: true });
  }
  let grant: AccessGrant;
  try {
    grant = await register(ctx, set);
  } catch (err) {
    if (err instanceof HuamiError && err.code === 'HUAMI_LOGIN_RATE_LIMITED') {
      set.loginBlockedUntil = now + ctx.loginBackoffHours * 3_600_000;
      await ctx.save(set);
      const until = new Date(set.loginBlockedUntil).toISOString();
      throw new HuamiError('HUAMI_LOGIN_RATE_LIMITED', `login answered 429 (too many logins); rate limited until ${until}: no login attempt before then (HUAMI_LOGIN_BACKOFF_HOURS=${ctx.loginBackoffHours})`, { status: 429, retryable: true, cause: err });
    }
    throw err;
  }
  Object.assign(set, { accessCode: grant.accessCode, accessCodeExpiresAt: grant.expiresAt, region: grant.region ?? set.region, countryCode: grant.countryCode ?? set.countryCode });
  delete set.loginBlockedUntil;
  await exchange(ctx, set, grant.accessCode);
  set.lastLoginAt = now;
}

/** Renew this long before the app token expires: a fifth of its lifetime, at most 2 days. */
export function refreshAheadMs(set: Pick<TokenSet, 'appTokenObtainedAt' | 'appTokenExpiresAt'>): number {
  const life = set.appTokenExpiresAt && set.appTokenObtainedAt ? set.appTokenExpiresAt - set.appTokenObtainedAt : 0;
  return Math.min(2 * 86_400_000, Math.max(0, life / 5));
}

/** A login token that has not passed its stored expiry (rung 2 can use it). */
function loginTokenUsable(set: TokenSet, now: number): set is TokenSet & { loginToken: string } {
  return !!set.loginToken && (!set.loginTokenExpiresAt || set.loginTokenExpiresAt > now);
}

/** True when the app token is still valid but inside the refresh-ahead window and a login token can renew it. */
export function refreshDue(set: TokenSet, now: number): boolean {
  if (!set.appToken || !set.appTokenExpiresAt || set.appTokenExpiresAt <= now) return false;
  return loginTokenUsable(set, now) && set.appTokenExpiresAt - now < refreshAheadMs(set);
}

/** Rung 2: a new app token from the login token (no password, no access code); mutates and saves `set`. */
async function appTokenFromLoginToken(ctx: LadderContext, set: TokenSet & { loginToken: string }): Promise<void> {
  const now = ctx.now();
  const r = await refreshAppToken(ctx.transport, { host: set.accountHost ?? HOSTS.account, loginToken: set.loginToken, appName: ctx.appName }, ctx.secrets());
  Object.assign(set, { appToken: r.appToken, appTokenObtainedAt: now, appTokenExpiresAt: r.appTtl ? now + r.appTtl * 1000 : undefined, appTokenSource: 'refresh', updatedAt: now });
  await ctx.save(set);
}

/** Rung 2 alone, ahead of the app token's expiry (the caller checked refreshDue). */
export async function refreshFromLoginToken(ctx: LadderContext, set: TokenSet): Promise<Rung> {
  if (!loginTokenUsable(set, ctx.now())) throw new HuamiError('HUAMI_NO_CREDENTIALS', 'no usable login token to refresh from');
  await appTokenFromLoginToken(ctx, set);
  ctx.log.info({ rung: 'app-tokens', ahead: true }, 'new app token from the login token, ahead of expiry');
  return 'app-tokens';
}

/** Rungs 2–5 (the caller tried rung 1); mutates and saves `set`; the rung that worked. */
export async function runLadder(ctx: LadderContext, set: TokenSet): Promise<Rung> {
  const now = ctx.now();
  const failedToken = set.appToken;
  if (loginTokenUsable(set, now)) {
    try {
      await appTokenFromLoginToken(ctx, set);
      ctx.log.info({ rung: 'app-tokens' }, 'new app token from the login token');
      return 'app-tokens';
    } catch (err) {
      if (!refused(err)) throw err;
      ctx.log.info({ code: err.code, remoteCode: err.remoteCode }, 'login token refused; trying the stored access code');
    }
  }
  if (set.accessCode && set.accessCodeExpiresAt && set.accessCodeExpiresAt > now) {
    try {
      await exchange(ctx, set, set.accessCode);
      await ctx.save(set);
      ctx.log.info({ rung: 'access-code' }, 'new tokens from the stored access code');
      return 'access-code';
    } catch (err) {
      if (!refused(err) || err.code === 'HUAMI_ACCOUNT_NOT_REGISTERED') throw err;
      ctx.log.info({ code: err.code, remoteCode: err.remoteCode }, 'stored access code refused');
    }
  }
  const { account } = ctx;
  if (account.appToken && account.appToken !== failedToken) {
    Object.assign(set, { appToken: account.appToken, userId: account.userId, appTokenSource: 'configured', appTokenObtainedAt: now, updatedAt: now });
    delete set.appTokenExpiresAt; // a pasted token comes without app_ttl
    if (await validateAppToken(ctx, set)) {
      await ctx.save(set);
      ctx.log.info({ rung: 'configured' }, 'using the configured app token');
      return 'configured';
    }
  }
  if (!account.email || !account.password) {
    const had = account.appToken ? 'HUAMI_APP_TOKEN was rejected (HTTP 401): capture a new one (README "Obtaining a token")' : 'no working token is stored';
    throw new HuamiError(account.appToken ? 'HUAMI_TOKEN_EXPIRED' : 'HUAMI_NO_CREDENTIALS', `${had}, and no HUAMI_EMAIL/HUAMI_PASSWORD is configured for a login`, { status: account.appToken ? 401 : undefined });
  }
  await passwordLogin(ctx, set);
  await ctx.save(set);
  ctx.log.info({ rung: 'password', region: set.region, dataHost: set.dataHost }, 'logged in with e-mail and password');
  return 'password';
}
