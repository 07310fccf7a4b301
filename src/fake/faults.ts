// Fault injection for the fake Huami cloud, switchable per test through `server.faults`:
// 429 with Retry-After, 5xx bursts, slow answers, connection resets, oversized and truncated
// bodies, and malformed days
// (a corrupted summary or blob in band_data.json responses). All rules are off until a
// test adds one; the CLI fake-server never adds any.
import type { Summary } from './data/types.js';

/** A request path filter: a string matches by prefix, a RegExp by test. Omitted = every path. */
export type PathMatch = string | RegExp;
export type MalformedKind = 'bad-base64' | 'bad-json' | 'missing-keys' | 'string-numbers' | 'negative-stage' | 'overlapping-stages';
export const MALFORMED_KINDS: readonly MalformedKind[] = ['bad-base64', 'bad-json', 'missing-keys', 'string-numbers', 'negative-stage', 'overlapping-stages'];

/**
 * Items that break the band_data schema or carry impossible values (one day "poisoned"):
 * the first three fail validation, the sleep ones are instants/durations a total decoder
 * must drop (milliseconds where seconds belong, 2^53-1).
 */
export type PoisonKind = 'null-data-hr' | 'null-summary' | 'numeric-device-id' | 'sleep-start-ms' | 'sleep-start-max' | 'sleep-light-max';
export const POISON_KINDS: readonly PoisonKind[] = ['null-data-hr', 'null-summary', 'numeric-device-id', 'sleep-start-ms', 'sleep-start-max', 'sleep-light-max'];

/** What a matching rule does to one request. */
export type FaultAction =
  | { kind: 'empty-answer' }
  | { kind: 'rate-limit'; retryAfterSeconds: number }
  | { kind: 'server-error'; status: 500 | 502 | 503 }
  | { kind: 'reset' }
  | { kind: 'oversized'; bytes: number; chunked: boolean }
  | { kind: 'truncated' };

/** The switches tests use (`server.faults`). Counts are numbers of requests affected. */
export interface FaultInjector {
  rateLimit(o: { count: number; retryAfterSeconds: number; paths?: PathMatch[] }): void;
  serverErrors(o: { count: number; status?: 500 | 502 | 503; paths?: PathMatch[] }): void;
  /** Delay answers by `ms`; `count` omitted = every matching request until clear(). */
  slow(o: { ms: number; count?: number; paths?: PathMatch[] }): void;
  /** Destroy the socket without any answer. */
  reset(o: { count: number; paths?: PathMatch[] }): void;
  /**
   * Answer 200 with a body of `bytes` bytes, generated while it is sent (never held whole);
   * `chunked` = no Content-Length, so only counting the bytes shows the size. `count`
   * omitted = every matching request until clear().
   */
  oversized(o: { bytes: number; count?: number; chunked?: boolean; paths?: PathMatch[] }): void;
  /** Announce a Content-Length, send part of the body, then close the connection. */
  truncated(o: { count: number; paths?: PathMatch[] }): void;
  /** Corrupt that day's item in every band_data.json response (optionally only for one user). */
  malformedDay(date: string, kind: MalformedKind, userId?: string): void;
  /** Answer `200 {"code":1,"message":"success","data":[]}` (a flaky or wrong-region answer). */
  emptyAnswer(o: { count: number; paths?: PathMatch[] }): void;
  /** Poison that day's item in every band_data.json response until clear(). */
  poisonDay(date: string, kind: PoisonKind, userId?: string): void;
  clear(): void;
}

interface Rule { remaining: number; paths: PathMatch[] | undefined; action: FaultAction | { kind: 'slow'; ms: number } }

function matches(paths: PathMatch[] | undefined, path: string): boolean {
  return !paths || paths.some((p) => (typeof p === 'string' ? path.startsWith(p) : p.test(path)));
}

/** The injector the server consults for each request. */
export class Faults implements FaultInjector {
  private rules: Rule[] = [];
  private malformed = new Map<string, MalformedKind>();
  private poisoned = new Map<string, PoisonKind>();

  rateLimit(o: { count: number; retryAfterSeconds: number; paths?: PathMatch[] }): void {
    this.rules.push({ remaining: o.count, paths: o.paths, action: { kind: 'rate-limit', retryAfterSeconds: o.retryAfterSeconds } });
  }
  serverErrors(o: { count: number; status?: 500 | 502 | 503; paths?: PathMatch[] }): void {
    this.rules.push({ remaining: o.count, paths: o.paths, action: { kind: 'server-error', status: o.status ?? 500 } });
  }
  slow(o: { ms: number; count?: number; paths?: PathMatch[] }): void {
    this.rules.push({ remaining: o.count ?? Infinity, paths: o.paths, action: { kind: 'slow', ms: o.ms } });
  }
  reset(o: { count: number; paths?: PathMatch[] }): void {
    this.rules.push({ remaining: o.count, paths: o.paths, action: { kind: 'reset' } });
  }
  oversized(o: { bytes: number; count?: number; chunked?: boolean; paths?: PathMatch[] }): void {
    this.rules.push({ remaining: o.count ?? Infinity, paths: o.paths, action: { kind: 'oversized', bytes: o.bytes, chunked: o.chunked ?? false } });
  }
  truncated(o: { count: number; paths?: PathMatch[] }): void {
    this.rules.push({ remaining: o.count, paths: o.paths, action: { kind: 'truncated' } });
  }
  malformedDay(date: string, kind: MalformedKind, userId?: string): void {
    this.malformed.set(`${userId ?? '*'}|${date}`, kind);
  }
  emptyAnswer(o: { count: number; paths?: PathMatch[] }): void {
    this.rules.push({ remaining: o.count, paths: o.paths, action: { kind: 'empty-answer' } });
  }
  poisonDay(date: string, kind: PoisonKind, userId?: string): void {
    this.poisoned.set(`${userId ?? '*'}|${date}`, kind);
  }
  clear(): void {
    this.rules = [];
    this.malformed.clear();
    this.poisoned.clear();
  }

  /** Consume the rules matching this request: total delay, then the first other fault (if any). */
  take(path: string): { delayMs: number; action?: FaultAction } {
    let delayMs = 0;
    let action: FaultAction | undefined;
    for (const r of this.rules) {
      if (r.remaining <= 0 || !matches(r.paths, path)) continue;
      if (r.action.kind === 'slow') {
        delayMs += r.action.ms;
        r.remaining--;
      } else if (!action) {
        action = r.action;
        r.remaining--;
      }
    }
    this.rules = this.rules.filter((r) => r.remaining > 0);
    return action ? { delayMs, action } : { delayMs };
  }

  /** The poison set for a user's day, if any. */
  poisonKind(userId: string, date: string): PoisonKind | undefined {
    return this.poisoned.get(`${userId}|${date}`) ?? this.poisoned.get(`*|${date}`);
  }

  /** The corruption set for a user's day, if any. */
  malformedKind(userId: string, date: string): MalformedKind | undefined {
    return this.malformed.get(`${userId}|${date}`) ?? this.malformed.get(`*|${date}`);
  }
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** Apply a malformed kind to one band_data item (`summary` is a private copy of the day's summary). */
export function corruptItem(kind: MalformedKind, item: Record<string, unknown>, summary: Summary): void {
  const s = summary as unknown as { stp: Record<string, unknown> & { stage: Record<string, unknown>[] }; slp: Record<string, unknown> & { stage: Record<string, unknown>[] } };
  switch (kind) {
    case 'bad-base64': // not base64 at all: a decoder must name the day and the field
      item.summary = '%%%not*base64%%%';
      if ('data_hr' in item) item.data_hr = '@@@@';
      return;
    case 'bad-json': // valid base64 of truncated JSON
      item.summary = b64(JSON.stringify(summary).slice(0, 40));
      return;
    case 'missing-keys':
      delete (s as { slp?: unknown }).slp;
      delete s.stp.ttl;
      break;
    case 'string-numbers': // strings where numbers belong (docs/huami-api.md "Summary JSON")
      s.stp.ttl = String(s.stp.ttl);
      s.slp.st = String(s.slp.st);
      s.slp.ed = String(s.slp.ed);
      for (const st of s.stp.stage) st.step = String(st.step);
      break;
    case 'negative-stage': {
      const target = s.slp.stage[0] ?? s.stp.stage[0];
      if (target) target.start = -15;
      else s.stp.stage.push({ start: -10, stop: 5, mode: 1, step: 100, dis: 60, cal: 3 });
      break;
    }
    case 'overlapping-stages': {
      const [a, b] = s.slp.stage;
      if (a && b) b.start = (a.start as number) + 1;
      else s.stp.stage.push({ start: 700, stop: 720, mode: 1, step: 900, dis: 560, cal: 31 }, { start: 710, stop: 730, mode: 3, step: 2000, dis: 1500, cal: 90 });
      break;
    }
  }
  item.summary = b64(JSON.stringify(summary));
}

/** Apply a poison kind to one band_data item (`summary` is a private copy of the day's summary). */
export function poisonItem(kind: PoisonKind, item: Record<string, unknown>, summary: Summary): void {
  const slp = (summary as unknown as { slp: Record<string, unknown> }).slp;
  switch (kind) {
    case 'null-data-hr':
      item.data_hr = null;
      return;
    case 'null-summary':
      item.summary = null;
      return;
    case 'numeric-device-id':
      item.device_id = 4242424242;
      return;
    case 'sleep-start-ms':
      slp.st = Number(slp.st) * 1000;
      break;
    case 'sleep-start-max':
      slp.st = Number.MAX_SAFE_INTEGER;
      break;
    case 'sleep-light-max':
      slp.lt = Number.MAX_SAFE_INTEGER;
      break;
  }
  item.summary = b64(JSON.stringify(summary));
}
