// The 1.x writer against the real InfluxDB 1.6.7 of the test run.
import { describe, expect, inject, it } from 'vitest';
import { V1Writer } from '../../src/write/v1.js';
import { WriteError } from '../../src/write/errors.js';
import { createTestDatabase, influxQuery, rows } from '../support/influxd.js';
import { startV2Proxy } from '../support/v2-proxy.js';
import { checkError, fastRetry, heartRate, mixedPoints, quietLogger, T0 } from '../support/write-fixtures.js';

const url = inject('influxUrl');
const v1 = (database: string, over: Partial<ConstructorParameters<typeof V1Writer>[0]> = {}) =>
  new V1Writer({ url, database, batchSize: 5000, timeoutMs: 10_000, logger: quietLogger, retry: fastRetry, ...over });

describe('V1Writer', () => {
  it('writes exact values and declared types that InfluxQL reads back', async () => {
    const db = await createTestDatabase(url, 'w1');
    const w = v1(db, { batchSize: 2 });
    await w.check();
    await w.write(mixedPoints('alice'));
    await w.close();
    expect(rows(await influxQuery(url, 'SELECT * FROM activity_daily', db))).toEqual([
      { time: T0, calories_kcal: 0, distance_m: 9000, steps: 12345, user: 'alice' },
    ]);
    expect(rows(await influxQuery(url, 'SELECT * FROM sleep_stage', db))).toEqual([
      { time: T0 + 60, duration_min: 17, mode: 8, phase: 'rem', phase_code: 2, sleep: 'main', user: 'alice' },
    ]);
    expect(rows(await influxQuery(url, 'SELECT duration_s, error_code, success, timezone FROM sync_run', db))).toEqual([
      { time: T0 + 120, duration_s: 2, error_code: 'say "hi", \\ok', success: 1, timezone: 'Europe/Berlin' },
      { time: T0 + 180, duration_s: 1.25, error_code: '', success: 0, timezone: null },
    ]);
    const types = rows(await influxQuery(url, 'SHOW FIELD KEYS FROM sync_run', db));
    expect(Object.fromEntries(types.map((r) => [r.fieldKey, r.fieldType]))).toEqual({
      duration_s: 'float', // 2 was written as 2.0: the type never flips to integer
      error_code: 'string',
      points: 'integer',
      success: 'integer',
      timezone: 'string',
    });
  });

  it('deleteSpans removes exactly the span of that user and tag, nothing else', async () => {
    const db = await createTestDatabase(url, 'w1del');
    const w = v1(db);
    const stage = (user: string, sleep: string, t: number) =>
      ({ measurement: 'sleep_stage', tags: { user, phase: 'light', sleep }, fields: { duration_min: 1, phase_code: 3, mode: 4 }, time: t }) as const;
    await w.write([
      ...heartRate('alice', 10), // T0 .. T0+540
      ...heartRate('bob', 10),
      stage('alice', 'main', T0 + 60),
      stage('alice', 'nap', T0 + 60),
    ]);
    await w.deleteSpans('alice', [
      { measurement: 'heart_rate', start: T0 + 120, end: T0 + 300 }, // minutes 2, 3, 4
      { measurement: 'sleep_stage', start: T0, end: T0 + 600, tags: { sleep: 'main' } },
    ]);
    await w.close();
    const hr = rows(await influxQuery(url, `SELECT bpm FROM heart_rate WHERE "user"='alice'`, db)).map((r) => r.time);
    expect(hr).toEqual([0, 1, 5, 6, 7, 8, 9].map((m) => T0 + m * 60));
    expect(rows(await influxQuery(url, `SELECT count(bpm) FROM heart_rate WHERE "user"='bob'`, db))[0]?.count).toBe(10);
    expect(rows(await influxQuery(url, 'SELECT duration_min, sleep FROM sleep_stage', db)).map((r) => r.sleep)).toEqual(['nap']);
  });

  it('check() names a missing database and how to create it', async () => {
    const w = v1('no_such_db_w1');
    const err = await checkError(w);
    expect(err).toBeInstanceOf(WriteError);
    expect(err.code).toBe('INFLUX_DB_NOT_FOUND');
    expect(err.status).toBe(404);
    expect(err.serverMessage).toBe('database not found: "no_such_db_w1"');
    expect(err.message).toContain(`CREATE DATABASE "no_such_db_w1"`);
    expect(err.retryable).toBe(false);
  });

  it('check() reports a missing retention policy as a wrong INFLUX_RETENTION_POLICY, at once, not as an outage', async () => {
    const db = await createTestDatabase(url, 'w1rp');
    const w = v1(db, { retentionPolicy: 'nope' });
    const err = (await w.check().catch((e: unknown) => e)) as WriteError;
    await w.close();
    expect(err).toBeInstanceOf(WriteError);
    expect(err.code).toBe('INFLUX_DB_NOT_FOUND');
    expect(err.status).toBe(500); // what 1.6.7 answers for an unknown rp
    expect(err.setting).toBe('INFLUX_RETENTION_POLICY');
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/^InfluxDB check failed: INFLUX_RETENTION_POLICY names a retention policy that database ".*w1rp.*" on .* does not have \(server: retention policy not found: nope\)/);
    expect(err.message).not.toMatch(/attempts|next run retries/);
  });

  it('check() says the server is unreachable when nothing listens', async () => {
    const w = v1('x', { url: 'http://127.0.0.1:1' });
    const err = await checkError(w);
    expect(err.code).toBe('INFLUX_UNREACHABLE');
    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(/unreachable.*ECONNREFUSED/);
  });

  it('never puts the password or URL credentials into an error message', async () => {
    const w = v1('x', { url: 'http://admin:hunter2pw@127.0.0.1:1', username: 'admin', password: 'hunter2pw' });
    const err = await checkError(w);
    expect(err.code).toBe('INFLUX_UNREACHABLE');
    expect(JSON.stringify({ m: err.message, s: err.serverMessage })).not.toContain('hunter2pw');
  });

  it('a field type conflict rejects with the server words and keeps the other points', async () => {
    const db = await createTestDatabase(url, 'w1conf');
    await fetch(`${url}/write?db=${db}&precision=s`, { method: 'POST', body: `heart_rate,user=alice bpm=61.5 ${T0 - 60}` });
    const w = v1(db);
    const err = (await w.write(heartRate('alice', 3)).catch((e: unknown) => e)) as WriteError;
    await w.close();
    expect(err).toBeInstanceOf(WriteError);
    expect(err.code).toBe('INFLUX_FIELD_TYPE_CONFLICT');
    expect(err.status).toBe(400);
    expect(err.retryable).toBe(false);
    expect(err.serverMessage).toBe(
      'partial write: field type conflict: input field "bpm" on measurement "heart_rate" is type integer, already exists as type float dropped=3',
    );
    expect(err.message).toContain(err.serverMessage);
  });

  it('splits a batch the server refuses as too large (413) and writes every point once', async () => {
    const db = await createTestDatabase(url, 'w1split');
    const proxy = await startV2Proxy({ influxUrl: url, maxBodyBytes: 2000 });
    const w = v1(db, { url: proxy.url, batchSize: 200 });
    await w.write(heartRate('alice', 450));
    await w.close();
    await proxy.close();
    const writes = proxy.requests.filter((r) => r.path === '/write');
    expect(writes.some((r) => r.status === 413)).toBe(true);
    expect(writes.filter((r) => r.status === 204).every((r) => r.bytes <= 2000)).toBe(true);
    expect(writes.every((r) => r.gzip)).toBe(true);
    const count = rows(await influxQuery(url, 'SELECT count(bpm) FROM heart_rate', db))[0]?.count;
    expect(count).toBe(450);
  });
});
