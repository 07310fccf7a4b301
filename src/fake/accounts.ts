// Account and token state of the fake Huami cloud: access codes, login tokens and app
// tokens with their lifetimes, one session per app name, a login rate limit and
// switches for the uncertain behaviours of docs/huami-api.md "Login flows". Pure state: no HTTP here.
import { randomBytes } from 'node:crypto';

/** One account the fake cloud knows. */
export interface FakeAccountInit {
  email: string;
  password: string;
  userId: string;
  region?: string;
  countryCode?: string;
  timezone?: string;
  nickName?: string;
}

/** Clock and lifetimes of the fake cloud's credentials. */
export interface FakeAccountsOptions {
  now: () => Date;
  appTokenTtlSeconds?: number;
  loginTokenTtlSeconds?: number;
  accessCodeTtlSeconds?: number;
  loginRateLimit?: { max: number; windowSeconds: number };
}

export const DEMO_EMAIL = 'demo@example.com';
export const DEMO_PASSWORD = 'demo-password';
export const DEMO_USER_ID = '1000000001';

/** Which endpoint a login went through (counted per flow so tests can assert "zero logins"). */
export type LoginFlow = 'legacy' | 'encrypted' | 'clientLogin' | 'appTokens';

/**
 * `json_response=true` answers 200 JSON; the two known shapes disagree (docs/huami-api.md "Registration"):
 * 'access' = top-level `access`, `country_code`, ...; 'redirectUri' = `ok`, `redirectUri`, `error`.
 */
export type JsonResponseShape = 'access' | 'redirectUri';

interface Grant {
  userId: string;
  expiresAt: number; // epoch ms
  revoked: boolean;
  appName?: string;
}

// Defaults (no real numbers are known, docs/huami-api.md "Token lifetimes"): access code 10 days, app_token 30 days, login_token 90 days.
const DAY = 86_400;

function token(prefix: string): string {
  return `${prefix}_${randomBytes(18).toString('base64url')}`;
}

/** The fake cloud's accounts and every credential it has handed out. */
export class FakeAccounts {
  readonly appTokenTtlSeconds: number;
  readonly loginTokenTtlSeconds: number;
  readonly accessCodeTtlSeconds: number;
  loginRateLimit: { max: number; windowSeconds: number } | undefined;
  /** Answer this HTTP status instead of serving a flow (e.g. `{ encrypted: 400 }` to force the legacy fallback). */
  failFlow: Partial<Record<'legacy' | 'encrypted' | 'clientLogin', number>> = {};
  jsonResponseShape: JsonResponseShape = 'access';
  /** Successful (and, for registrations, attempted) calls per flow. */
  readonly counters: Record<LoginFlow, number> = { legacy: 0, encrypted: 0, clientLogin: 0, appTokens: 0 };
  /** Registration attempts rejected with 429. */
  rateLimited = 0;
  /** App tokens invalidated because the same user logged in again with the same app name (docs/huami-api.md "App sessions"). */
  readonly kicked: { userId: string; appName: string }[] = [];

  private readonly now: () => Date;
  private readonly accounts = new Map<string, FakeAccountInit>();
  private readonly accessCodes = new Map<string, Grant>();
  private readonly loginTokens = new Map<string, Grant>();
  private readonly appTokens = new Map<string, Grant>();
  private readonly sessions = new Map<string, string>(); // `${userId}\n${appName}` → current app_token
  private loginAttempts: number[] = [];

  constructor(opts: FakeAccountsOptions) {
    this.now = opts.now;
    this.appTokenTtlSeconds = opts.appTokenTtlSeconds ?? 30 * DAY;
    this.loginTokenTtlSeconds = opts.loginTokenTtlSeconds ?? 90 * DAY;
    this.accessCodeTtlSeconds = opts.accessCodeTtlSeconds ?? 10 * DAY;
    this.loginRateLimit = opts.loginRateLimit;
    this.add({ email: DEMO_EMAIL, password: DEMO_PASSWORD, userId: DEMO_USER_ID, nickName: 'Demo' });
  }

  /** Add (or replace) an account; region defaults to eu-central-1 / DE. */
  add(init: FakeAccountInit): void {
    this.accounts.set(init.userId, { region: 'eu-central-1', countryCode: 'DE', timezone: 'Europe/Berlin', nickName: 'Jane', ...init });
  }

  get(userId: string): FakeAccountInit | undefined {
    return this.accounts.get(userId);
  }

  list(): FakeAccountInit[] {
    return [...this.accounts.values()];
  }

  /** The account with this e-mail (case-insensitive), if any. */
  byEmail(email: string): FakeAccountInit | undefined {
    const e = email.trim().toLowerCase();
    return this.list().find((a) => a.email.toLowerCase() === e);
  }

  /** Count a registration attempt; false when it exceeds `loginRateLimit` (→ HTTP 429). */
  registerLoginAttempt(): boolean {
    const limit = this.loginRateLimit;
    if (!limit) return true;
    const t = this.now().getTime();
    this.loginAttempts = this.loginAttempts.filter((a) => a > t - limit.windowSeconds * 1000);
    if (this.loginAttempts.length >= limit.max) {
      this.rateLimited++;
      return false;
    }
    this.loginAttempts.push(t);
    return true;
  }

  /** A new access code (+ its expiration, epoch seconds) after a correct password. */
  issueAccessCode(userId: string): { access: string; refresh: string; expiration: number } {
    const expiresAt = this.now().getTime() + this.accessCodeTtlSeconds * 1000;
    const access = token('AC');
    this.accessCodes.set(access, { userId, expiresAt, revoked: false });
    return { access, refresh: token('RF'), expiration: Math.floor(expiresAt / 1000) };
  }

  /** The access code's user; reusable until its expiration. */
  checkAccessCode(code: string): { userId: string } | 'expired' | 'unknown' {
    return this.check(this.accessCodes, code);
  }

  /** A full client login: new login_token and app_token; kicks the previous app_token of this app name. */
  clientLogin(userId: string, appName: string): { loginToken: string; appToken: string } {
    const loginToken = token('LT');
    this.loginTokens.set(loginToken, { userId, appName, expiresAt: this.now().getTime() + this.loginTokenTtlSeconds * 1000, revoked: false });
    const appToken = this.issueAppToken(userId, appName);
    this.counters.clientLogin++;
    return { loginToken, appToken };
  }

  checkLoginToken(loginToken: string): { userId: string } | 'expired' | 'unknown' {
    return this.check(this.loginTokens, loginToken);
  }

  /**
   * A new app_token. With an app name it becomes that app's session for the user and
   * invalidates the previous one (a phone app's token is `issueAppToken(uid, 'com.huami.midong')`);
   * without, it stands alone (a token the user captured and pasted).
   */
  issueAppToken(userId: string, appName?: string): string {
    const appToken = token('AT');
    this.appTokens.set(appToken, { userId, appName, expiresAt: this.now().getTime() + this.appTokenTtlSeconds * 1000, revoked: false });
    if (appName) {
      const key = `${userId}\n${appName}`;
      const previous = this.sessions.get(key);
      const prev = previous ? this.appTokens.get(previous) : undefined;
      if (prev && !prev.revoked) {
        prev.revoked = true;
        this.kicked.push({ userId, appName });
      }
      this.sessions.set(key, appToken);
    }
    return appToken;
  }

  /** What a data endpoint makes of an `apptoken` header; a kicked token counts as expired (HTTP 401). */
  checkAppToken(token: string): { userId: string } | 'expired' | 'unknown' {
    return this.check(this.appTokens, token);
  }

  expireAppTokens(userId: string): void {
    this.expire(this.appTokens, userId);
  }

  expireLoginTokens(userId: string): void {
    this.expire(this.loginTokens, userId);
  }

  expireAccessCodes(userId: string): void {
    this.expire(this.accessCodes, userId);
  }

  /** Expire every credential of the user: the next client needs a password login. */
  revoke(userId: string): void {
    this.expireAppTokens(userId);
    this.expireLoginTokens(userId);
    this.expireAccessCodes(userId);
  }

  private check(map: Map<string, Grant>, key: string): { userId: string } | 'expired' | 'unknown' {
    const g = map.get(key);
    if (!g) return 'unknown';
    if (g.revoked || g.expiresAt <= this.now().getTime()) return 'expired';
    return { userId: g.userId };
  }

  private expire(map: Map<string, Grant>, userId: string): void {
    for (const g of map.values()) if (g.userId === userId) g.revoked = true;
  }
}
