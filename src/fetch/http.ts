// The transport: one got request per attempt (got's own retries and redirects off), the
// attempts driven by the shared retry loop (src/retry) with decideOutcome as classifier,
// and a debug line per attempt that names host and path only — never the query string,
// which carries login_token on app_tokens. Bodies are read as a stream and cut off
// past maxResponseBytes, so no answer is ever held whole beyond that bound.
import got, { RequestError, type Response } from 'got';
import type { Logger } from '../log.js';
import { scrubSecrets } from '../log.js';
import { headerValue, retrying } from '../retry/index.js';
import { HuamiError } from './errors.js';
import { hostUrl } from '../auth/hosts.js';
import { decideOutcome, type Decision, type HttpOutcome, type RequestKind } from './outcome.js';

export { headerValue };

/** HUAMI_MAX_RESPONSE_MB's default: a 30-day detail chunk is a few MB; 16 MB parsed stays well inside a 160 MB heap. */
export const DEFAULT_MAX_RESPONSE_MB = 16;

export interface TransportOptions {
  baseUrl?: string | undefined;
  timeoutMs: number;
  maxRetries: number;
  retryBaseMs: number;
  /** Largest body read, in MB (HUAMI_MAX_RESPONSE_MB); a larger answer is aborted while streaming. */
  maxResponseMb?: number | undefined;
  /** Shutdown: ends a back-off wait at once (the request then fails, retryable). */
  signal?: AbortSignal | undefined;
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

/** A body over the limit: `announced` when its Content-Length said so up front, else counted while streaming. */
class TooLarge extends Error {
  constructor(
    readonly status: number,
    readonly announced: number | undefined,
  ) {
    super('response too large');
  }
}

interface Attempt {
  attempt: number;
  decision: Decision;
  response?: HuamiResponse | undefined;
  failure?: unknown;
}

const MB = 1024 * 1024;

/** Sends Huami requests with the retry policy; counts every attempt in `count`. */
export class Transport {
  count = 0;

  constructor(private readonly opts: TransportOptions) {}

  /** The response once it is `ok` (2xx/3xx); a HuamiError otherwise (HUAMI_TOKEN_EXPIRED on a data 401). */
  async request(req: HuamiRequest): Promise<HuamiResponse> {
    const { opts } = this;
    const url = hostUrl(req.host, req.path, opts.baseUrl);
    for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
    const path = req.logPath ?? req.path;
    const { result, aborted } = await retrying<Attempt>(
      async (attempt) => {
        const a = await this.attempt(url, req, path, attempt);
        return { result: a, retryInMs: a.decision.action === 'retry' ? a.decision.delayMs : undefined };
      },
      {
        maxRetries: opts.maxRetries,
        signal: opts.signal,
        onRetry: ({ attempt, delayMs, result: a }) =>
          opts.logger.warn({ host: req.host, path, status: a.response?.status ?? 'error', attempt, delayMs }, 'huami request failed; retrying'),
      },
    );
    const { attempt, decision, response, failure } = result;
    if (decision.action === 'ok' && response) return response;
    const secrets = opts.secrets();
    if (decision.action === 're-auth') {
      throw new HuamiError('HUAMI_TOKEN_EXPIRED', `${path} answered 401: the app token is no longer accepted`, { status: 401, retryable: true, body: response?.body, secrets });
    }
    // A retry cut short by the shutdown signal leaves a transient failure: retryable.
    const retryable = decision.action === 'retry' || (decision.action === 'fail' && decision.retryable);
    const tail = `${attempt ? ` after ${attempt} retries` : ''}${aborted ? ' (stopped retrying: shutting down)' : ''}`;
    if (response) {
      throw new HuamiError('HUAMI_HTTP', `${req.method} ${req.host}${path} answered HTTP ${response.status}${tail}`, {
        status: response.status,
        retryable,
        body: response.body,
        secrets,
      });
    }
    // got's errors hold the request options (headers with the apptoken): keep only a scrubbed message as cause.
    const e = failure as { message?: string; code?: string };
    const cause = Object.assign(new Error(scrubSecrets(e.message ?? String(failure), secrets)), { code: e.code });
    throw new HuamiError('HUAMI_NETWORK', `${req.method} ${req.host}${path} failed (${e.code ?? 'error'})${tail}`, { retryable, cause, secrets });
  }

  /** One attempt: send, read the body within the limit, classify. Throws only HUAMI_RESPONSE_TOO_LARGE. */
  private async attempt(url: URL, req: HuamiRequest, path: string, attempt: number): Promise<Attempt> {
    const { opts } = this;
    this.count++;
    const started = opts.now();
    let outcome: HttpOutcome;
    let response: HuamiResponse | undefined;
    let failure: unknown;
    try {
      response = await this.send(url, req);
      outcome = { status: response.status, retryAfter: headerValue(response.headers['retry-after']) };
    } catch (err) {
      if (err instanceof TooLarge) {
        opts.onRequest?.({ host: req.host, path, status: err.status });
        opts.logger.debug({ host: req.host, path, status: err.status, attempt, ms: opts.now() - started, decision: 'too-large' }, 'huami request');
        throw this.tooLarge(req, path, err);
      }
      failure = err;
      outcome = { error: err instanceof RequestError ? err.code : 'EUNKNOWN' };
    }
    const status = 'status' in outcome ? outcome.status : 'error';
    opts.onRequest?.({ host: req.host, path, status });
    const decision = decideOutcome(outcome, { kind: req.kind, attempt, maxRetries: opts.maxRetries, nowMs: opts.now(), baseDelayMs: opts.retryBaseMs });
    opts.logger.debug({ host: req.host, path, status, attempt, ms: opts.now() - started, decision: decision.action }, 'huami request');
    return { attempt, decision, response, failure };
  }

  /**
   * One got request as a stream. A Content-Length over the limit is refused before any byte
   * of the body is read; without one (or with a wrong one) the bytes are counted as they
   * arrive and the download is aborted once past the limit.
   */
  private async send(url: URL, req: HuamiRequest): Promise<HuamiResponse> {
    const limit = (this.opts.maxResponseMb ?? DEFAULT_MAX_RESPONSE_MB) * MB;
    const stream = got.stream(url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      followRedirect: false, // a registration's 303 Location *is* the answer
      throwHttpErrors: false,
      retry: { limit: 0 },
      timeout: { request: this.opts.timeoutMs },
    });
    try {
      const res = await new Promise<Response>((resolve, reject) => {
        stream.once('response', resolve);
        stream.once('error', reject);
      });
      const announced = Number(res.headers['content-length']);
      if (Number.isFinite(announced) && announced > limit) throw new TooLarge(res.statusCode, announced);
      const chunks: Buffer[] = [];
      let bytes = 0;
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        if (bytes > limit) throw new TooLarge(res.statusCode, undefined);
        chunks.push(chunk);
      }
      return { status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks, bytes).toString('utf8') };
    } catch (err) {
      stream.destroy();
      throw err;
    }
  }

  private tooLarge(req: HuamiRequest, path: string, err: TooLarge): HuamiError {
    const mb = this.opts.maxResponseMb ?? DEFAULT_MAX_RESPONSE_MB;
    const size = err.announced !== undefined ? `announced ${(err.announced / MB).toFixed(1)} MB` : `sent more than ${mb} MB`;
    return new HuamiError(
      'HUAMI_RESPONSE_TOO_LARGE',
      `${req.method} ${req.host}${path} ${size}, over the limit of ${mb} MB (HUAMI_MAX_RESPONSE_MB); the download was aborted. ` +
        'Ask for fewer days per request (HUAMI_CHUNK_DAYS) or raise HUAMI_MAX_RESPONSE_MB',
      { status: err.status, retryable: false, secrets: this.opts.secrets() },
    );
  }
}
