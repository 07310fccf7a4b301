import { describe, expect, it } from 'vitest';
import { classify, serverMessageOf, type Decision, type Exchange } from '../../src/write/classify.js';

const CONFLICT_1X =
  'partial write: field type conflict: input field "x" on measurement "m" is type float, already exists as type integer dropped=1';
const CONFLICT_2X = `failure writing points to database: ${CONFLICT_1X}`;

const cases: [string, Exchange, Decision][] = [
  ['204 is ok', { status: 204 }, { kind: 'ok' }],
  ['200 is ok', { status: 200, data: { results: [] } }, { kind: 'ok' }],
  [
    '429 with Retry-After in seconds waits that long',
    { status: 429, body: '{"code":"too many requests","message":"slow down"}', retryAfter: '7' },
    { kind: 'retry-after', code: 'INFLUX_UNAVAILABLE', ms: 7000, serverMessage: 'slow down' },
  ],
  [
    '503 with an HTTP-date Retry-After waits until then',
    { status: 503, body: '', retryAfter: 'Thu, 01 Jan 1970 00:00:10 GMT' },
    { kind: 'retry-after', code: 'INFLUX_UNAVAILABLE', ms: 10_000, serverMessage: '' },
  ],
  [
    '503 without Retry-After uses the backoff',
    { status: 503, body: '{"error":"write throttled"}' },
    { kind: 'retry-after', code: 'INFLUX_UNAVAILABLE', serverMessage: 'write throttled' },
  ],
  ['1.x 500 "timeout" is retried', { status: 500, body: '{"error":"timeout"}' }, { kind: 'retry-after', code: 'INFLUX_UNAVAILABLE', serverMessage: 'timeout' }],
  ['502 from a reverse proxy is retried', { status: 502, body: '<html>Bad Gateway</html>' }, { kind: 'retry-after', code: 'INFLUX_UNAVAILABLE', serverMessage: '<html>Bad Gateway</html>' }],
  ['408 is retried', { status: 408, body: '' }, { kind: 'retry-after', code: 'INFLUX_UNAVAILABLE', serverMessage: '' }],
  [
    'ECONNREFUSED is retried as unreachable',
    { errorCode: 'ECONNREFUSED', errorMessage: 'connect ECONNREFUSED 127.0.0.1:8086' },
    { kind: 'retry-after', code: 'INFLUX_UNREACHABLE', serverMessage: 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:8086' },
  ],
  ['ECONNRESET is retried', { errorCode: 'ECONNRESET' }, { kind: 'retry-after', code: 'INFLUX_UNREACHABLE', serverMessage: 'ECONNRESET' }],
  [
    'a client timeout is retried',
    { errorCode: 'RequestTimedOutError', errorMessage: 'Request timed out' },
    { kind: 'retry-after', code: 'INFLUX_UNREACHABLE', serverMessage: 'RequestTimedOutError: Request timed out' },
  ],
  [
    'a TLS certificate error is not retried',
    { errorCode: 'DEPTH_ZERO_SELF_SIGNED_CERT', errorMessage: 'self-signed certificate' },
    { kind: 'reject', code: 'INFLUX_UNREACHABLE', serverMessage: 'DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate' },
  ],
  ['413 splits the batch', { status: 413, body: '{"error":"Request Entity Too Large"}' }, { kind: 'split', serverMessage: 'Request Entity Too Large' }],
  [
    '1.x field type conflict (400) is rejected with the server words',
    { status: 400, body: JSON.stringify({ error: CONFLICT_1X }) },
    { kind: 'reject', code: 'INFLUX_FIELD_TYPE_CONFLICT', serverMessage: CONFLICT_1X },
  ],
  [
    '2.x field type conflict (422) is rejected with the server words',
    { status: 422, body: JSON.stringify({ code: 'unprocessable entity', message: CONFLICT_2X }) },
    { kind: 'reject', code: 'INFLUX_FIELD_TYPE_CONFLICT', serverMessage: CONFLICT_2X },
  ],
  [
    '2.x-shaped 400 field type conflict is rejected as a conflict',
    { status: 400, body: JSON.stringify({ code: 'invalid', message: CONFLICT_2X }) },
    { kind: 'reject', code: 'INFLUX_FIELD_TYPE_CONFLICT', serverMessage: CONFLICT_2X },
  ],
  [
    'unparsable line protocol is rejected',
    { status: 400, body: '{"error":"unable to parse \'m x\': invalid field format"}' },
    { kind: 'reject', code: 'INFLUX_REJECTED', serverMessage: "unable to parse 'm x': invalid field format" },
  ],
  ['401 is an auth problem', { status: 401, body: '{"code":"unauthorized","message":"unauthorized access"}' }, { kind: 'auth', serverMessage: 'unauthorized access' }],
  [
    '403 is an auth problem',
    { status: 403, body: '{"error":"\\"bob\\" user is not authorized to write to database \\"mifit\\""}' },
    { kind: 'auth', serverMessage: '"bob" user is not authorized to write to database "mifit"' },
  ],
  ['1.x 404 database not found', { status: 404, body: '{"error":"database not found: \\"nope\\""}' }, { kind: 'not-found', serverMessage: 'database not found: "nope"', missing: 'database' }],
  ['2.x 404 bucket not found', { status: 404, body: '{"code":"not found","message":"bucket \\"b\\" not found"}' }, { kind: 'not-found', serverMessage: 'bucket "b" not found', missing: 'bucket' }],
  // InfluxDB 1.6.7 answers a write with rp=nope with exactly this 500 (probed against the
  // test server): a wrong INFLUX_RETENTION_POLICY, not an outage to retry.
  [
    '1.x 500 retention policy not found is a missing target, not retried',
    { status: 500, body: '{"error":"retention policy not found: nope"}' },
    { kind: 'not-found', serverMessage: 'retention policy not found: nope', missing: 'retention-policy' },
  ],
  [
    '2.x 404 organization not found names the org',
    { status: 404, body: '{"code":"not found","message":"organization name \\"o\\" not found"}' },
    { kind: 'not-found', serverMessage: 'organization name "o" not found', missing: 'org' },
  ],
  ['405 is rejected, not retried', { status: 405, body: 'method not allowed' }, { kind: 'reject', code: 'INFLUX_REJECTED', serverMessage: 'method not allowed' }],
];

describe('classify', () => {
  it.each(cases)('%s', (_name, exchange, expected) => {
    expect(classify(exchange, 0)).toEqual(expected);
  });

  it('reads the server message from 1.x, 2.x and plain-text bodies', () => {
    expect(serverMessageOf('{"error":"e1"}')).toBe('e1');
    expect(serverMessageOf('{"code":"invalid","message":"e2"}')).toBe('e2');
    expect(serverMessageOf('  plain  ')).toBe('plain');
    expect(serverMessageOf(undefined)).toBe('');
    expect(serverMessageOf('x'.repeat(5000))).toHaveLength(1000);
  });
});
