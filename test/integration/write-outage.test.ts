// InfluxDB down for part of a run: the writer retries, and when the outage outlasts the
// retries it rejects with a retryable WriteError so the sync can try the day again. Uses
// its own InfluxDB process so stopping it does not disturb other tests.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WriteError } from '../../src/write/errors.js';
import { V1Writer } from '../../src/write/v1.js';
import { influxQuery, rows, startInfluxd, type InfluxProcess } from '../support/influxd.js';
import { captureLogs } from '../support/log-capture.js';
import { heartRate, quietLogger } from '../support/write-fixtures.js';

let influx: InfluxProcess;
beforeAll(async () => {
  influx = await startInfluxd();
  await influxQuery(influx.url, 'CREATE DATABASE outage');
});
afterAll(async () => {
  await influx.destroy();
});

const count = async (): Promise<unknown> => rows(await influxQuery(influx.url, 'SELECT count(bpm) FROM heart_rate', 'outage'))[0]?.count;

describe('V1Writer during an InfluxDB outage', () => {
  it('rejects with a retryable error when the server stops mid-run, then writes the same points after restart', async () => {
    const points = heartRate('alice', 40_000);
    const w = new V1Writer({
      url: influx.url,
      database: 'outage',
      batchSize: 250,
      timeoutMs: 5_000,
      logger: quietLogger,
      retry: { maxRetries: 2, baseDelayMs: 50, maxDelayMs: 200, jitter: 0 },
    });
    const writing = w.write(points);
    // Stop the server once the first batches are confirmed.
    await vi.waitFor(async () => expect(await count().catch(() => undefined)).toBeDefined(), { timeout: 30_000, interval: 5 });
    await influx.stop();
    const err = (await writing.catch((e: unknown) => e)) as WriteError;
    expect(err).toBeInstanceOf(WriteError);
    expect(err.code).toBe('INFLUX_UNREACHABLE');
    expect(err.retryable).toBe(true);

    await influx.start();
    expect(Number(await count())).toBeLessThan(40_000);
    await w.write(points); // the next run: the same points again
    await w.close();
    expect(await count()).toBe(40_000);
  });

  it('rides out an outage shorter than its retries', async () => {
    const logs = captureLogs();
    await influx.stop();
    const w = new V1Writer({
      url: influx.url,
      database: 'outage',
      batchSize: 5000,
      timeoutMs: 5_000,
      logger: logs.logger,
      retry: { maxRetries: 8, baseDelayMs: 100, maxDelayMs: 1_000, jitter: 0 },
    });
    const writing = w.write(heartRate('bob', 100));
    // Bring the server back once the writer is in its back-off (about 5.5 s of retries left).
    await vi.waitFor(() => expect(logs.lines().join('\n')).toMatch(/InfluxDB request failed, retrying/), { timeout: 10_000, interval: 10 });
    await influx.start();
    await writing;
    await w.close();
    expect(rows(await influxQuery(influx.url, `SELECT count(bpm) FROM heart_rate WHERE "user"='bob'`, 'outage'))[0]?.count).toBe(100);
  });
});
