// The Huami client: credentials via the refresh ladder (src/auth/ladder.ts), band_data in
// chunks and health events in paged windows, with one refresh on a 401, the token store kept up to date. One instance per account.
import type { AccountConfig } from '../config/accounts.js';
import type { Logger } from '../log.js';
import { chunkRange, fetchChunk } from './band-data.js';
import { HuamiError } from './errors.js';
import { HOSTS } from '../auth/hosts.js';
import { Transport } from './http.js';
import { refreshDue, refreshFromLoginToken, runLadder, validateAppToken, type LadderContext, type Rung } from '../auth/ladder.js';
import type { BandDataAnswer, BandDataItem, EventsAnswer } from './schemas.js';
import { fetchEventWindow, type EventsQuery } from './events.js';
import { accountKey } from '../store/identity.js';
import { TokenStore, emptyTokenSet, type TokenSet } from '../store/tokens.js';

export interface HuamiClientOptions {
  account: AccountConfig;
  stateDir: string;
  baseUrl?: string;
  appName: string;
  loginFlow: 'auto' | 'encrypted' | 'legacy';
  chunkDays: number;
  timeoutMs: number;
  maxRetries: number;
  loginBackoffHours: number;
  logger: Logger;
  now?: () => number;
  onRequest?: (info: { host: string; path: string; status: number | 'error' }) => void;
  /** First retry delay (doubles each time) when no Retry-After is given; default 1000 ms. */
  retryBaseMs?: number;
  /** Largest answer read, in MB (HUAMI_MAX_RESPONSE_MB); a larger one fails with HUAMI_RESPONSE_TOO_LARGE. */
  maxResponseMb?: number;
  /** Shutdown: ends a retry's back-off wait at once; the request then fails as retryable. */
  signal?: AbortSignal;
  /** Items per page of the events endpoints (default EVENTS_LIMIT, 1000); tests page with less. */
  eventsLimit?: number;
}

/** Where the credentials stand; no secret in here. Times are epoch ms. */
export interface TokenStatus {
  userId: string;
  region: string | undefined;
  countryCode: string | undefined;
  dataHost: string;
  appTokenSource: 'login' | 'refresh' | 'configured' | undefined;
  appTokenObtainedAt: number | undefined;
  appTokenExpiresAt: number | undefined;
  loginTokenExpiresAt: number | undefined;
  accessCodeExpiresAt: number | undefined;
  loginBlockedUntil: number | undefined;
  /** The rung that produced the working app token on the last check. */
  via: Rung | undefined;
}

/** Public view of a stored token set (also used by `mifit-sync status`, which reads the store itself). */
export function statusOf(set: TokenSet, via?: Rung): TokenStatus | undefined {
  if (!set.userId || !set.appToken) return undefined;
  return {
    userId: set.userId,
    region: set.region,
    countryCode: set.countryCode,
    dataHost: set.dataHost ?? HOSTS.data,
    appTokenSource: set.appTokenSource,
    appTokenObtainedAt: set.appTokenObtainedAt,
    appTokenExpiresAt: set.appTokenExpiresAt,
    loginTokenExpiresAt: set.loginTokenExpiresAt,
    accessCodeExpiresAt: set.accessCodeExpiresAt,
    loginBlockedUntil: set.loginBlockedUntil,
    via,
  };
}

/** Logs in rarely, keeps tokens fresh and downloads band_data for one account. */
export class HuamiClient {
  private readonly transport: Transport;
  private readonly store: TokenStore;
  private readonly log: Logger;
  private readonly now: () => number;
  private set: TokenSet | undefined;
  private via: Rung | undefined;
  private pending: Promise<TokenStatus> | undefined;

  constructor(private readonly opts: HuamiClientOptions) {
    this.now = opts.now ?? Date.now;
    const key = accountKey(opts.account);
    this.log = opts.logger.child({ account: key, component: 'huami' });
    this.store = new TokenStore(opts.stateDir, key, this.log);
    this.transport = new Transport({
      baseUrl: opts.baseUrl || undefined,
      timeoutMs: opts.timeoutMs,
      maxRetries: opts.maxRetries,
      retryBaseMs: opts.retryBaseMs ?? 1000,
      maxResponseMb: opts.maxResponseMb,
      signal: opts.signal,
      logger: this.log,
      now: this.now,
      secrets: () => this.secrets(),
      onRequest: opts.onRequest,
    });
  }

  /** HTTP attempts made so far (retries included). */
  get requestCount(): number {
    return this.transport.count;
  }

  /** The refresh ladder: validates the app token, refreshes or logs in only when it must. */
  ensureCredentials(): Promise<TokenStatus> {
    this.pending ??= this.runExclusive(true).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** Current credentials without a network call; undefined before the first ensureCredentials/getBandData. */
  tokenStatus(): TokenStatus | undefined {
    return this.set ? statusOf(this.set, this.via) : undefined;
  }

  /** band_data.json for the inclusive local-date range, chunked by chunkDays; schema-validated items (a malformed item throws). */
  async getBandData(from: string, to: string, queryType: 'summary' | 'detail'): Promise<BandDataItem[]> {
    const out: BandDataItem[] = [];
    const budget = { refreshed: false };
    for (const chunk of chunkRange(from, to, this.opts.chunkDays)) {
      const answer = await this.fetchBandData(chunk.from, chunk.to, queryType, budget);
      const bad = answer.invalid[0];
      if (bad) throw new HuamiError('HUAMI_SCHEMA_MISMATCH', bad.message);
      out.push(...answer.items);
    }
    return out;
  }

  /**
   * One band_data.json request for exactly [from, to] (no chunking), every item validated on
   * its own: malformed items come back in `invalid` instead of failing the answer. One
   * refresh and retry when the app token is rejected mid-download; a `budget` shared by the
   * ranges of one download allows that refresh once for all of them, never in a loop.
   */
  async fetchBandData(from: string, to: string, queryType: 'summary' | 'detail', budget: { refreshed: boolean } = { refreshed: false }): Promise<BandDataAnswer> {
    return this.withAppToken(budget, { from, to }, (set) =>
      fetchChunk(this.transport, { host: set.dataHost ?? HOSTS.data, userId: set.userId as string, appToken: set.appToken as string, appName: this.opts.appName, from, to, queryType }, this.secrets()),
    );
  }

  /**
   * The health events of one `eventType` in [fromMs, toMs] (epoch ms, inclusive; docs/huami-api.md
   * "Events request"): `GET /users/{uid}/events`, or `GET /v2/users/me/events` with `v2`; paged
   * only when an answer holds `limit` items; every item validated on its own (malformed ones come
   * back in `invalid`). The same transport, size limit and one refresh per `budget` as band_data.
   */
  async fetchEvents(eventType: string, fromMs: number, toMs: number, q: Omit<EventsQuery, 'eventType'>, budget: { refreshed: boolean } = { refreshed: false }): Promise<EventsAnswer & { pages: number }> {
    return this.withAppToken(budget, { eventType, fromMs, toMs }, (set) =>
      fetchEventWindow(this.transport, { ...(this.opts.eventsLimit ? { limit: this.opts.eventsLimit } : {}), ...q, eventType, fromMs, toMs, host: set.dataHost ?? HOSTS.data, userId: set.userId as string, appToken: set.appToken as string, appName: this.opts.appName }, this.secrets()),
    );
  }

  /** Run a data call with the app token; one refresh and retry when it is rejected mid-download (once per `budget`). */
  private async withAppToken<T>(budget: { refreshed: boolean }, what: Record<string, unknown>, call: (set: TokenSet) => Promise<T>): Promise<T> {
    await this.credentials();
    for (;;) {
      const set = this.set;
      if (!set?.appToken || !set.userId) throw new HuamiError('HUAMI_NO_CREDENTIALS', 'no app token after the credential check');
      try {
        return await call(set);
      } catch (err) {
        // An app token can expire mid-backfill: refresh once, then retry the range.
        if (!(err instanceof HuamiError) || err.code !== 'HUAMI_TOKEN_EXPIRED' || budget.refreshed) throw err;
        budget.refreshed = true;
        this.log.info(what, 'app token rejected mid-download; refreshing once');
        this.pending ??= this.runExclusive(false).finally(() => {
          this.pending = undefined;
        });
        await this.pending;
      }
    }
  }

  /**
   * One authenticated JSON call on the data host (the sport and scale endpoints,
   * src/fetch/sport.ts): the app token as for band_data, one refresh on a 401, the shared
   * retries (a 429 with Retry-After is waited out up to HUAMI_MAX_RETRIES times).
   */
  async dataJson(req: { path: string; method?: 'GET' | 'POST'; query?: Record<string, string>; form?: Record<string, string> }): Promise<unknown> {
    await this.credentials();
    let refreshed = false;
    for (;;) {
      const set = this.set;
      if (!set?.appToken || !set.userId) throw new HuamiError('HUAMI_NO_CREDENTIALS', 'no app token after the credential check');
      try {
        const res = await this.transport.request({
          host: set.dataHost ?? HOSTS.data,
          path: req.path.replaceAll('{uid}', encodeURIComponent(set.userId)),
          logPath: req.path,
          method: req.method ?? 'GET',
          kind: 'data',
          ...(req.query ? { query: req.query } : {}),
          headers: { apptoken: set.appToken, appPlatform: 'web', appname: this.opts.appName, ...(req.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
          ...(req.form ? { body: new URLSearchParams(Object.entries(req.form).map(([k, v]): [string, string] => [k, v.replaceAll('{uid}', set.userId ?? '')])).toString() } : {}),
        });
        try {
          return JSON.parse(res.body) as unknown;
        } catch (err) {
          throw new HuamiError('HUAMI_SCHEMA_MISMATCH', `${req.path} did not answer JSON`, { status: res.status, body: res.body, cause: err, secrets: this.secrets() });
        }
      } catch (err) {
        if (!(err instanceof HuamiError) || err.code !== 'HUAMI_TOKEN_EXPIRED' || refreshed) throw err;
        refreshed = true;
        this.pending ??= this.runExclusive(false).finally(() => {
          this.pending = undefined;
        });
        await this.pending;
      }
    }
  }

  /** Credentials for a download: a stored, not locally expired token is used as is (the first data call validates it). */
  private async credentials(): Promise<void> {
    const set = await this.loadSet();
    const fresh = set.appToken && set.userId && (set.appTokenExpiresAt === undefined || set.appTokenExpiresAt > this.now()) && !refreshDue(set, this.now());
    if (fresh) {
      this.via ??= 'stored';
      return;
    }
    await this.ensureCredentials();
  }

  private async runExclusive(tryStored: boolean): Promise<TokenStatus> {
    const set = await this.loadSet();
    const ctx: LadderContext = {
      transport: this.transport,
      account: this.opts.account,
      appName: this.opts.appName,
      loginFlow: this.opts.loginFlow,
      loginBackoffHours: this.opts.loginBackoffHours,
      now: this.now,
      log: this.log,
      secrets: () => this.secrets(),
      save: (s) => this.store.save(s),
    };
    if (tryStored && refreshDue(set, this.now())) {
      // Ahead of expiry: renew from the
      // login token while it still works, so a sync never meets an expired app token. Only
      // this no-password rung is tried; if it fails the current token is used until it ends.
      try {
        this.via = await refreshFromLoginToken(ctx, set);
        return statusOf(set, this.via) as TokenStatus;
      } catch (err) {
        this.log.warn({ code: (err as { code?: string }).code }, 'refresh ahead of expiry failed; keeping the current app token');
      }
    }
    if (tryStored && set.appToken && set.userId && (set.appTokenExpiresAt === undefined || set.appTokenExpiresAt > this.now())) {
      if (await validateAppToken(ctx, set)) {
        this.via = 'stored';
        return statusOf(set, 'stored') as TokenStatus;
      }
    }
    this.via = await runLadder(ctx, set);
    return statusOf(set, this.via) as TokenStatus;
  }

  private async loadSet(): Promise<TokenSet> {
    if (this.set) return this.set;
    const set = (await this.store.load()) ?? emptyTokenSet();
    const configured = this.opts.account.appToken;
    // The user pasted a new HUAMI_APP_TOKEN: it replaces the one we copied from the old value.
    if (configured && set.appTokenSource === 'configured' && set.appToken !== configured) {
      delete set.appToken;
      delete set.appTokenExpiresAt;
    }
    this.set = set;
    return set;
  }

  private secrets(): string[] {
    const a = this.opts.account;
    const s = this.set;
    return [a.password, a.appToken, s?.appToken, s?.loginToken, s?.accessCode].filter((v): v is string => !!v);
  }
}
