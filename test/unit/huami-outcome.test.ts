// The one place that decides what a Huami HTTP outcome means: a table test. The back-off
// and Retry-After tables it relies on are in test/unit/retry.test.ts.
import { describe, expect, it } from 'vitest';
import { decideOutcome, type Decision, type HttpOutcome, type RequestKind } from '../../src/fetch/outcome.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');

describe('decideOutcome', () => {
  const cases: [string, HttpOutcome, RequestKind, number, Decision][] = [
    ['200 is ok', { status: 200 }, 'data', 0, { action: 'ok' }],
    ['a registration 303 is ok (its Location is the answer)', { status: 303 }, 'login', 0, { action: 'ok' }],
    ['data 401 means the app token expired: re-auth', { status: 401 }, 'data', 0, { action: 're-auth' }],
    ['login 401 is a refusal, not a token refresh', { status: 401 }, 'login', 0, { action: 'fail', retryable: false }],
    ['data 429 honours Retry-After seconds', { status: 429, retryAfter: '2' }, 'data', 0, { action: 'retry', delayMs: 2000 }],
    ['data 429 honours a Retry-After date', { status: 429, retryAfter: new Date(NOW + 3000).toUTCString() }, 'data', 0, { action: 'retry', delayMs: 3000 }],
    ['data 429 without Retry-After backs off exponentially', { status: 429 }, 'data', 2, { action: 'retry', delayMs: 400 }],
    ['login 429 is never retried in seconds (hours-long IP limit)', { status: 429, retryAfter: '1' }, 'login', 0, { action: 'fail', retryable: false }],
    ['a Retry-After above 5 minutes gives up now, retryable later', { status: 429, retryAfter: '3600' }, 'data', 0, { action: 'fail', retryable: true }],
    ['503 retries', { status: 503 }, 'data', 0, { action: 'retry', delayMs: 100 }],
    ['500 on a login call retries too', { status: 500 }, 'login', 1, { action: 'retry', delayMs: 200 }],
    ['5xx after the last retry fails, retryable', { status: 502 }, 'data', 3, { action: 'fail', retryable: true }],
    ['400 fails at once', { status: 400 }, 'data', 0, { action: 'fail', retryable: false }],
    ['403 (wrong region) fails at once', { status: 403 }, 'data', 0, { action: 'fail', retryable: false }],
    ['a connection reset retries', { error: 'ECONNRESET' }, 'data', 0, { action: 'retry', delayMs: 100 }],
    ['a timeout retries', { error: 'ETIMEDOUT' }, 'login', 0, { action: 'retry', delayMs: 100 }],
    ['a DNS failure retries (the same list as the writer)', { error: 'ENOTFOUND' }, 'data', 0, { action: 'retry', delayMs: 100 }],
    ['a body cut off before its Content-Length retries like a 5xx', { error: 'ERR_HTTP_CONTENT_LENGTH_MISMATCH' }, 'data', 1, { action: 'retry', delayMs: 200 }],
    ['a Retry-After of exactly 5 minutes is still waited for', { status: 503, retryAfter: '300' }, 'data', 0, { action: 'retry', delayMs: 300_000 }],
    ['an unknown network error fails', { error: 'ERR_INVALID_URL' }, 'data', 0, { action: 'fail', retryable: false }],
  ];
  it.each(cases)('%s', (_name, outcome, kind, attempt, expected) => {
    expect(decideOutcome(outcome, { kind, attempt, maxRetries: 3, nowMs: NOW, baseDelayMs: 100 })).toEqual(expected);
  });
});
