// The one place that decides what an InfluxDB HTTP outcome means. Pure:
// the exchange (status, body, Retry-After, or the network error code) and the clock in,
// a decision out. Both write APIs (1.x /write, 2.x /api/v2/write) and both delete paths
// go through it, so a 1.x and a 2.x server that mean the same thing are treated the same.
import { isTransientNetworkError, parseRetryAfter } from '../retry/index.js';

/** What one HTTP exchange produced, independent of the HTTP library. */
export interface Exchange {
  /** HTTP status; undefined when no answer arrived (refused, reset, timeout, DNS). */
  status?: number;
  /** Response body as text (error bodies are short: the transport keeps ≤1000 chars of text). */
  body?: string;
  /** Raw Retry-After header. */
  retryAfter?: string | null;
  /** Node error code (ECONNREFUSED, ...) or error name (RequestTimedOutError) when no answer arrived. */
  errorCode?: string;
  /** Error text when no answer arrived. */
  errorMessage?: string;
  /** Parsed body of a successful answer (JSON), for /query results. */
  data?: unknown;
}

export type Decision =
  | { kind: 'ok' }
  | { kind: 'retry-after'; code: 'INFLUX_UNREACHABLE' | 'INFLUX_UNAVAILABLE'; ms?: number; serverMessage: string }
  | { kind: 'split'; serverMessage: string }
  | { kind: 'reject'; code: 'INFLUX_FIELD_TYPE_CONFLICT' | 'INFLUX_REJECTED' | 'INFLUX_UNREACHABLE'; serverMessage: string }
  | { kind: 'auth'; serverMessage: string }
  | { kind: 'not-found'; serverMessage: string; missing?: Missing };

/** What a "not found" answer names, when the server's words say it. */
export type Missing = 'database' | 'retention-policy' | 'bucket' | 'org';

/** 1.x `database not found: "x"` / `retention policy not found: x`, 2.x `bucket "x" not found` / `organization name "o" not found`. */
export function missingOf(serverMessage: string): Missing | undefined {
  if (/retention policy not found/i.test(serverMessage)) return 'retention-policy';
  if (/database not found/i.test(serverMessage)) return 'database';
  if (/organi[sz]ation.*not found/i.test(serverMessage)) return 'org';
  if (/bucket.*not found/i.test(serverMessage)) return 'bucket';
  return undefined;
}

export type FailureDecision = Exclude<Decision, { kind: 'ok' }>;

/**
 * The server's own words: 1.x answers `{"error": "..."}`, 2.x `{"code": "...", "message": "..."}`,
 * proxies and VictoriaMetrics plain text.
 */
export function serverMessageOf(body: string | undefined): string {
  const text = (body ?? '').trim();
  if (!text) return '';
  try {
    const json = JSON.parse(text) as { error?: unknown; message?: unknown };
    if (typeof json.error === 'string') return json.error;
    if (typeof json.message === 'string') return json.message;
  } catch {
    /* not JSON: keep the text */
  }
  return text.slice(0, 1000);
}

/** Decide what an InfluxDB answer (or the lack of one) means for the request that caused it. */
export function classify(ex: Exchange, nowMs: number): Decision {
  if (ex.status === undefined) {
    const code = ex.errorCode ?? 'UNKNOWN';
    const serverMessage = ex.errorMessage ? `${code}: ${ex.errorMessage}` : code;
    // Nothing answered. A refused/reset/timed-out connection is the server restarting
    // or not up yet: retry (the list src/retry/transient.ts shares with the Huami client).
    // Anything else (TLS certificate, bad URL) will not fix itself.
    if (isTransientNetworkError(code)) return { kind: 'retry-after', code: 'INFLUX_UNREACHABLE', serverMessage };
    return { kind: 'reject', code: 'INFLUX_UNREACHABLE', serverMessage };
  }
  const status = ex.status;
  const serverMessage = serverMessageOf(ex.body);
  if (status >= 200 && status < 300) return { kind: 'ok' };
  // A missing retention policy is a wrong INFLUX_RETENTION_POLICY, not an outage, although
  // 1.x answers it with 500 (`{"error":"retention policy not found: x"}`).
  const missing = missingOf(serverMessage);
  if (missing === 'retention-policy') return { kind: 'not-found', serverMessage, missing };
  // 429 (2.x/Cloud rate limits) and 503 (1.x write throttling, 2.x not ready) say when
  // to come back; the server knows its capacity better than our backoff does.
  if (status === 429 || status === 503) {
    const ms = parseRetryAfter(ex.retryAfter, nowMs);
    return { kind: 'retry-after', code: 'INFLUX_UNAVAILABLE', serverMessage, ...(ms === undefined ? {} : { ms }) };
  }
  // 413: the batch is larger than the server's max body size (1.x max-body-size, Cloud's
  // request limit). The points are fine, the request is not: halve and send each half.
  if (status === 413) return { kind: 'split', serverMessage };
  // 401: no or wrong credentials; 403: valid credentials without write permission on
  // this database/bucket. Retrying cannot help; the user has to change the config.
  if (status === 401 || status === 403) return { kind: 'auth', serverMessage };
  // 404: 1.x `database not found: "x"`, 2.x `bucket "x" not found` / `organization name
  // "o" not found`. The target must be created; retrying is pointless.
  if (status === 404) return { kind: 'not-found', serverMessage, ...(missing ? { missing } : {}) };
  // 400 (1.x and 1.8's v2 endpoint) and 422 (2.x) are refusals of the points themselves:
  // a field type conflict (`field type conflict: input field "x" on measurement "m" is type
  // float, already exists as type integer`), unparsable line protocol, points outside the
  // retention policy. Sending the same points again gives the same answer, so reject with
  // the server's words; the sync keeps the day unwritten.
  if (status === 400 || status === 422) {
    const conflict = /field type conflict/i.test(serverMessage);
    return { kind: 'reject', code: conflict ? 'INFLUX_FIELD_TYPE_CONFLICT' : 'INFLUX_REJECTED', serverMessage };
  }
  // 408 request timeout and every 5xx (1.x answers 500 "timeout" when the engine is
  // busy, 502/504 from a reverse proxy in front): transient, retry with backoff.
  if (status === 408 || status >= 500) return { kind: 'retry-after', code: 'INFLUX_UNAVAILABLE', serverMessage };
  // Any other 4xx (405 on a server without this endpoint, ...): a client-side problem.
  return { kind: 'reject', code: 'INFLUX_REJECTED', serverMessage };
}
