import { describe, expect, it } from 'vitest';
import { evaluateHealth } from '../../src/daemon/health.js';
import { ALL_ACCOUNTS, DaemonStatus } from '../../src/daemon/status.js';
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

describe('status rows keyed by the account folder', () => {
  it('shows an account under its masked e-mail until its first login, then the same single row under its user id', () => {
    const s = new DaemonStatus({ version: 't', demo: false, schedule: '*/30 * * * *', timezone: 'UTC', accounts: [{ name: 'd***@example.com', key: 'email-abc', unidentified: true, timezone: 'UTC' }] }, T0);
    s.recordResults([result('d***@example.com', T0, { key: 'email-abc', unidentified: true, error: { code: 'INFLUX_UNREACHABLE', message: 'down' } })]);
    expect(s.snapshot().accounts).toEqual([expect.objectContaining({ account: 'd***@example.com', key: 'email-abc', unidentified: true, failures: 1 })]);
    expect(evaluateHealth(s.snapshot(), T0 + MIN, 90).httpStatus).toBe(503);
    s.recordResults([result('1000000001', T0 + 30 * MIN, { key: 'email-abc' })]);
    const rows = s.snapshot().accounts;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ account: '1000000001', key: 'email-abc', runs: 2, failures: 1 });
    expect(rows[0]?.unidentified).toBeUndefined();
    expect(evaluateHealth(s.snapshot(), T0 + 31 * MIN, 90)).toEqual({ httpStatus: 200, body: { status: 'ok', reasons: [] } });
    // A later placeholder never takes the label away.
    s.recordCredentials('d***@example.com', undefined, { code: 'HUAMI_AUTH_WRONG_PASSWORD', message: 'wrong password' }, T0 + 32 * MIN, 'email-abc', true);
    expect(s.snapshot().accounts).toEqual([expect.objectContaining({ account: '1000000001', key: 'email-abc' })]);
  });
});
