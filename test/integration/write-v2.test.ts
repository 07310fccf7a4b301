// The 2.x writer through the 1.8-style /api/v2 translation (test/support/v2-proxy.ts) into
// the real InfluxDB 1.6.7 of the test run.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { WriteError } from '../../src/write/errors.js';
import { V2Writer } from '../../src/write/v2.js';
import { createTestDatabase, influxQuery, rows } from '../support/influxd.js';
import { startV2Proxy, type V2Proxy } from '../support/v2-proxy.js';
import { checkError, fastRetry, heartRate, mixedPoints, quietLogger, T0 } from '../support/write-fixtures.js';

const influxUrl = inject('influxUrl');
let proxy: V2Proxy;
let proxy18: V2Proxy;
beforeAll(async () => {
  proxy = await startV2Proxy({ influxUrl });
  proxy18 = await startV2Proxy({ influxUrl, errorShape: '1.8' });
});
afterAll(async () => {
  await proxy.close();
  await proxy18.close();
});

const v2 = (bucket: string, over: Partial<ConstructorParameters<typeof V2Writer>[0]> = {}) =>
  new V2Writer({ url: proxy.url, token: 'writer:secret', org: 'home', bucket, batchSize: 5000, timeoutMs: 10_000, logger: quietLogger, retry: fastRetry, ...over });

describe('V2Writer through the 1.8 translation', () => {
  it('writes gzip-compressed batches whose exact values and types InfluxQL reads back', async () => {
    const db = await createTestDatabase(influxUrl, 'w2');
    const w = v2(`${db}/autogen`, { batchSize: 3 });
    await w.check();
    await w.write(mixedPoints('alice'));
    await w.close();
    const writes = proxy.requests.filter((r) => r.path === '/api/v2/write' && r.bytes > 0);
    expect(writes.length).toBeGreaterThanOrEqual(2);
    expect(writes.every((r) => r.gzip && r.status === 204)).toBe(true);
    expect(rows(await influxQuery(influxUrl, 'SELECT * FROM sleep_stage', db))).toEqual([
      { time: T0 + 60, duration_min: 17, mode: 8, phase: 'rem', phase_code: 2, sleep: 'main', user: 'alice' },
    ]);
    expect(rows(await influxQuery(influxUrl, 'SELECT duration_s, error_code FROM sync_run', db))).toEqual([
      { time: T0 + 120, duration_s: 2, error_code: 'say "hi", \\ok' },
      { time: T0 + 180, duration_s: 1.25, error_code: '' },
    ]);
    const types = rows(await influxQuery(influxUrl, 'SHOW FIELD KEYS FROM sync_run', db));
    expect(types.find((r) => r.fieldKey === 'duration_s')?.fieldType).toBe('float');
    expect(types.find((r) => r.fieldKey === 'success')?.fieldType).toBe('integer');
  });

  it('deleteSpans deletes exactly the span of that user and tag through /api/v2/delete', async () => {
    const db = await createTestDatabase(influxUrl, 'w2del');
    const w = v2(db);
    const stage = (user: string, sleep: string, t: number) =>
      ({ measurement: 'sleep_stage', tags: { user, phase: 'deep', sleep }, fields: { duration_min: 5, phase_code: 4, mode: 5 }, time: t }) as const;
    await w.write([...heartRate('alice', 10), ...heartRate('bob', 10), stage('alice', 'main', T0), stage('alice', 'nap', T0)]);
    await w.deleteSpans('alice', [
      { measurement: 'heart_rate', start: T0 + 120, end: T0 + 300 },
      { measurement: 'sleep_stage', start: T0, end: T0 + 1, tags: { sleep: 'main' } },
    ]);
    await w.close();
    const hr = rows(await influxQuery(influxUrl, `SELECT bpm FROM heart_rate WHERE "user"='alice'`, db)).map((r) => r.time);
    expect(hr).toEqual([0, 1, 5, 6, 7, 8, 9].map((m) => T0 + m * 60)); // the end (T0+300) stays: exclusive
    expect(rows(await influxQuery(influxUrl, `SELECT count(bpm) FROM heart_rate WHERE "user"='bob'`, db))[0]?.count).toBe(10);
    expect(rows(await influxQuery(influxUrl, 'SELECT sleep, duration_min FROM sleep_stage', db)).map((r) => r.sleep)).toEqual(['nap']);
  });

  it('check() names an unknown bucket and how to create it (2.x wording)', async () => {
    const w = v2('nope_w2/autogen');
    const err = await checkError(w);
    expect(err).toBeInstanceOf(WriteError);
    expect(err.code).toBe('INFLUX_DB_NOT_FOUND');
    expect(err.serverMessage).toBe('bucket "nope_w2/autogen" not found');
    expect(err.message).toContain('influx bucket create --name nope_w2/autogen --org home');
    expect(err.message).not.toContain('secret');
  });

  it('check() understands 1.8 own answer for an unknown bucket (1.x error body)', async () => {
    const w = v2('nope_w2', { url: proxy18.url });
    const err = await checkError(w);
    expect(err.code).toBe('INFLUX_DB_NOT_FOUND');
    expect(err.status).toBe(404);
    expect(err.serverMessage).toBe('database not found: "nope_w2"');
  });

  it('a field type conflict rejects with the server words in the 2.x form', async () => {
    const db = await createTestDatabase(influxUrl, 'w2conf');
    await fetch(`${influxUrl}/write?db=${db}&precision=s`, { method: 'POST', body: `activity_daily,user=a steps="many" ${T0}` });
    const w = v2(db);
    const err = (await w.write(mixedPoints('a').slice(0, 1)).catch((e: unknown) => e)) as WriteError;
    await w.close();
    expect(err.code).toBe('INFLUX_FIELD_TYPE_CONFLICT');
    expect(err.serverMessage).toBe(
      'failure writing points to database: partial write: field type conflict: input field "steps" on measurement "activity_daily" is type integer, already exists as type string dropped=1',
    );
  });
});

describe('v2 proxy', () => {
  it('translates precision us to 1.x "u" (1.x would read "us" as nanoseconds)', async () => {
    const db = await createTestDatabase(influxUrl, 'w2prec');
    const res = await fetch(`${proxy.url}/api/v2/write?org=o&bucket=${db}&precision=us`, { method: 'POST', body: `m v=1i ${T0}000000` });
    expect(res.status).toBe(204);
    expect(rows(await influxQuery(influxUrl, 'SELECT v FROM m', db))).toEqual([{ time: T0, v: 1 }]);
  });

  it('refuses a delete predicate outside the translated subset with 400, like 1.8', async () => {
    const db = await createTestDatabase(influxUrl, 'w2pred');
    const res = await fetch(`${proxy.url}/api/v2/delete?org=o&bucket=${db}`, {
      method: 'POST',
      body: JSON.stringify({ start: '2023-01-01T00:00:00Z', stop: '2023-01-02T00:00:00Z', predicate: 'user="a" OR user="b"' }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/only AND/);
  });

  it('answers /health and /ping', async () => {
    expect((await fetch(`${proxy.url}/ping`)).status).toBe(204);
    const health = await fetch(`${proxy.url}/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { status: string }).status).toBe('pass');
  });
});
