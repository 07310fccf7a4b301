// The transport: one got call per attempt (no got retries, no redirects), the retry
// loop driven by decideOutcome, and a debug line per attempt that names host and path
// only — never the query string, which carries login_token on app_tokens.
import { setTimeout as sleep } from 'node:timers/promises';
import got, { RequestError } from 'got';
import type { Logger } from '../log.js';
import { scrubSecrets } from '../log.js';
import { HuamiError } from './errors.js';
import { hostUrl } from './hosts.js';
import { decideOutcome, type HttpOutcome, type RequestKind } from './outcome.js';

export interface TransportOptions {
  baseUrl?: string | undefined;
  timeoutMs: number;
  maxRetries: number;
  retryBaseMs: number;
  logger: Logger;
  now: () => number;
  /** Current secrets (tokens, password, access code) to cut out of any error message. */
  secrets: () => string[];
  onRequest?: ((info: { host: string; path: string; status: number | 'error' }) => void) | undefined;
}

export interface HuamiRequest {
  host: string;
  path: string;
  method: 'GET' | 'POST';
  kind: RequestKind;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Path for logs and onRequest when the real one holds personal data (the legacy path has the e-mail). */
  logPath?: string;
}

export interface HuamiResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Sends Huami requests with the retry policy; counts every attempt in `count`. */
export class Transport {
  count = 0;

  constructor(private readonly opts: TransportOptions) {}

  /** The response once it is `ok` (2xx/3xx); a HuamiError otherwise (HUAMI_TOKEN_EXPIRED on a data 401). */
  async request(req: HuamiRequest): Promise<HuamiResponse> {
    const { opts } = this;
    const url = hostUrl(req.host, req.path, opts.baseUrl);
    for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
    for (let attempt = 0; ; attempt++) {
      this.count++;
      const started = opts.now();
      let outcome: HttpOutcome;
      let response: HuamiResponse | undefined;
      let failure: unknown;
      try {
        const r = await got(url, {
          method: req.method,
          headers: req.headers,
          body: req.body,
          followRedirect: false, // a registration's 303 Location *is* the answer
          throwHttpErrors: false,
          retry: { limit: 0 },
          timeout: { request: opts.timeoutMs },
          responseType: 'text',
        });
        response = { status: r.statusCode, headers: r.headers, body: r.body };
        outcome = { status: r.statusCode, retryAfter: headerValue(r.headers['retry-after']) };
      } catch (err) {
        failure = err;
        outcome = { error: err instanceof RequestError ? err.code : 'EUNKNOWN' };
      }
      const status = 'status' in outcome ? outcome.status : 'error';
      const path = req.logPath ?? req.path;
      opts.onRequest?.({ host: req.host, path, status });
      const decision = decideOutcome(outcome, { kind: req.kind, attempt, maxRetries: opts.maxRetries, nowMs: opts.now(), baseDelayMs: opts.retryBaseMs });
      opts.logger.debug({ host: req.host, path, status, attempt, ms: opts.now() - started, decision: decision.action }, 'huami request');
      if (decision.action === 'ok' && response) return response;
      if (decision.action === 'retry') {
        opts.logger.warn({ host: req.host, path, status, attempt, delayMs: decision.delayMs }, 'huami request failed; retrying');
        await sleep(decision.delayMs);
        continue;
      }
      const secrets = opts.secrets();
      if (decision.action === 're-auth') {
        throw new HuamiError('HUAMI_TOKEN_EXPIRED', `${path} answered 401: the app token is no longer accepted`, { status: 401, retryable: true, body: response?.body, secrets });
      }
      const retryable = decision.action === 'fail' && decision.retryable;
      if (response) {
        throw new HuamiError('HUAMI_HTTP', `${req.method} ${req.host}${path} answered HTTP ${response.status}${attempt ? ` after ${attempt} retries` : ''}`, {
          status: response.status,
          retryable,
          body: response.body,
          secrets,
        });
      }
      // got's errors hold the request options (headers with the apptoken): keep only a scrubbed message as cause.
      const e = failure as { message?: string; code?: string };
      const cause = Object.assign(new Error(scrubSecrets(e.message ?? String(failure), secrets)), { code: e.code });
      throw new HuamiError('HUAMI_NETWORK', `${req.method} ${req.host}${path} failed (${e.code ?? 'error'})${attempt ? ` after ${attempt} retries` : ''}`, { retryable, cause, secrets });
    }
  }
}

/** First value of a header. */
export function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
