import { describe, expect, it } from 'vitest';
import { evaluateHealth } from '../../src/daemon/health.js';
import { ALL_ACCOUNTS } from '../../src/daemon/status.js';
import { T0, result, statusWith } from '../support/daemon-fixtures.js';

const MIN = 60_000;

describe('evaluateHealth', () => {
  it('answers 503 "starting" before the first run has finished', () => {
    const h = evaluateHealth(statusWith().snapshot(), T0 + MIN, 90);
    expect(h.httpStatus).toBe(503);
    expect(h.body.status).toBe('starting');
    expect(h.body.reasons[0]).toMatch(/first sync/);
  });

  it('answers 200 while every account synced successfully within the max age', () => {
    const s = statusWith(['alice', 'bob']);
    s.recordResults([result('alice', T0), result('bob', T0 + MIN)]);
    s.runCount = 1;
    expect(evaluateHealth(s.snapshot(), T0 + 89 * MIN, 90)).toEqual({ httpStatus: 200, body: { status: 'ok', reasons: [] } });
  });

  it('answers 503 naming the account whose last success is older than HEALTH_MAX_AGE_MINUTES', () => {
    const s = statusWith(['alice', 'bob']);
    s.recordResults([result('alice', T0), result('bob', T0 + 60 * MIN)]);
    s.runCount = 1;
    const h = evaluateHealth(s.snapshot(), T0 + 91 * MIN, 90);
    expect(h.httpStatus).toBe(503);
    expect(h.body.reasons).toEqual([expect.stringMatching(/account "alice": last successful sync 91 min ago/)]);
  });

  it('answers 503 with the error code when the last run of an account failed, even if an older one succeeded', () => {
    const s = statusWith(['alice']);
    s.recordResults([result('alice', T0)]);
    s.recordResults([result('alice', T0 + 30 * MIN, { error: { code: 'INFLUX_UNREACHABLE', message: 'connect ECONNREFUSED' } })]);
    s.runCount = 2;
    const h = evaluateHealth(s.snapshot(), T0 + 31 * MIN, 90);
    expect(h.httpStatus).toBe(503);
    expect(h.body.status).toBe('failing');
    expect(h.body.reasons[0]).toContain('INFLUX_UNREACHABLE');
  });

  it('recovers to 200 once a later run succeeds', () => {
    const s = statusWith(['alice']);
    s.recordResults([result('alice', T0, { error: { code: 'INFLUX_UNREACHABLE', message: 'down' } })]);
    s.recordResults([result('alice', T0 + 30 * MIN)]);
    s.runCount = 2;
    expect(evaluateHealth(s.snapshot(), T0 + 31 * MIN, 90).httpStatus).toBe(200);
  });

  it('answers 503 when the app token has expired or the credentials check failed', () => {
    const s = statusWith(['alice', 'bob']);
    s.recordResults([result('alice', T0, { tokenExpiresAt: T0 + MIN }), result('bob', T0)]);
    s.recordCredentials('bob', undefined, { code: 'HUAMI_AUTH_WRONG_PASSWORD', message: 'wrong password' }, T0);
    s.runCount = 1;
    const h = evaluateHealth(s.snapshot(), T0 + 2 * MIN, 90);
    expect(h.httpStatus).toBe(503);
    expect(h.body.reasons).toEqual([
      expect.stringMatching(/alice.*token has expired/),
      expect.stringMatching(/bob.*credentials check failed \(HUAMI_AUTH_WRONG_PASSWORD\)/),
    ]);
  });

  it('forgets a failed credentials check once a later run succeeds', () => {
    const s = statusWith(['alice']);
    s.recordCredentials('alice', undefined, { code: 'HUAMI_AUTH_WRONG_PASSWORD', message: 'wrong password' }, T0);
    s.recordResults([result('alice', T0 + MIN)]);
    s.runCount = 1;
    expect(evaluateHealth(s.snapshot(), T0 + 2 * MIN, 90).httpStatus).toBe(200);
  });

  it('reports a whole-run failure even before any account name is known', () => {
    const s = statusWith([]);
    s.recordRunFailure('INFLUX_UNREACHABLE', 'connect ECONNREFUSED', T0);
    s.runCount = 1;
    const h = evaluateHealth(s.snapshot(), T0, 90);
    expect(h.httpStatus).toBe(503);
    expect(h.body.reasons[0]).toContain(ALL_ACCOUNTS);
    s.recordResults([result('demo', T0 + MIN)]);
    expect(evaluateHealth(s.snapshot(), T0 + MIN, 90).httpStatus).toBe(200);
  });

  it('accepts result times in seconds as well as milliseconds', () => {
    const s = statusWith(['alice']);
    s.recordResults([result('alice', T0, { finishedAt: T0 / 1000, tokenExpiresAt: T0 / 1000 + 86_400 })]);
    s.runCount = 1;
    expect(s.snapshot().accounts[0]?.lastSuccessAt).toBe(T0);
    expect(evaluateHealth(s.snapshot(), T0 + MIN, 90).httpStatus).toBe(200);
  });
});
