// ~200k minute points at batch 5000, v1 directly and v2 through the 1.8 translation: every
// point arrives. How fast is a figure of `npm run bench` (src/bench/throughput.ts), next to
// the same points POSTed directly, not a test.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Writer } from '../../src/write/types.js';
import { V1Writer } from '../../src/write/v1.js';
import { V2Writer } from '../../src/write/v2.js';
import { createTestDatabase, influxQuery, rows } from '../support/influxd.js';
import { startV2Proxy, type V2Proxy } from '../support/v2-proxy.js';
import { heartRate, quietLogger } from '../support/write-fixtures.js';

const url = inject('influxUrl');
const N = 200_000;
const points = [...heartRate('alice', N / 2), ...heartRate('bob', N / 2)];
let proxy: V2Proxy;
beforeAll(async () => {
  proxy = await startV2Proxy({ influxUrl: url });
});
afterAll(async () => {
  await proxy.close();
});

async function writeAll(db: string, w: Writer): Promise<void> {
  await w.write(points);
  await w.close();
  expect(rows(await influxQuery(url, 'SELECT count(bpm) FROM heart_rate', db))[0]?.count).toBe(N);
}

describe('large writes at batch 5000', () => {
  it('v1 /write', async () => {
    const db = await createTestDatabase(url, 'tp1');
    await writeAll(db, new V1Writer({ url, database: db, batchSize: 5000, timeoutMs: 30_000, logger: quietLogger }));
  });

  it('v2 /api/v2/write through the 1.8 translation proxy', async () => {
    const db = await createTestDatabase(url, 'tp2');
    await writeAll(db, new V2Writer({ url: proxy.url, token: 't', org: 'o', bucket: db, batchSize: 5000, timeoutMs: 30_000, logger: quietLogger }));
    // One request per batch, not per point (what a throughput floor used to stand for).
    expect(proxy.requests.filter((r) => r.path === '/api/v2/write' && r.bytes > 0)).toHaveLength(N / 5000);
  });
});
