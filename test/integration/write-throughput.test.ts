// Write throughput of ~200k minute points at batch 5000, v1 directly and v2 through the
// 1.8 translation, with a floor far below what the machine does so the test only fails on
// a real regression (e.g. one request per point). The figures are printed for the notes.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Writer } from '../../src/write/types.js';
import { V1Writer } from '../../src/write/v1.js';
import { V2Writer } from '../../src/write/v2.js';
import { createTestDatabase, influxQuery, rows } from '../support/influxd.js';
import { startV2Proxy, type V2Proxy } from '../support/v2-proxy.js';
import { toLine } from '../../src/schema/line-protocol.js';
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

async function measure(label: string, db: string, w: Writer): Promise<void> {
  const t = performance.now();
  await w.write(points);
  const s = (performance.now() - t) / 1000;
  await w.close();
  console.log(`[write throughput] ${label}: ${N} points in ${s.toFixed(2)} s = ${Math.round(N / s)} points/s`);
  expect(rows(await influxQuery(url, 'SELECT count(bpm) FROM heart_rate', db))[0]?.count).toBe(N);
  expect(N / s).toBeGreaterThan(5_000);
}

describe('write throughput at batch 5000', () => {
  it('baseline: pre-serialised line protocol POSTed directly to /write (no gzip)', async () => {
    const db = await createTestDatabase(url, 'tp0');
    const bodies: string[] = [];
    for (let i = 0; i < N; i += 5000) bodies.push(points.slice(i, i + 5000).map(toLine).join('\n'));
    const t = performance.now();
    for (const body of bodies) {
      const res = await fetch(`${url}/write?db=${db}&precision=s`, { method: 'POST', body });
      expect(res.status).toBe(204);
    }
    const s = (performance.now() - t) / 1000;
    console.log(`[write throughput] direct POST baseline: ${N} points in ${s.toFixed(2)} s = ${Math.round(N / s)} points/s`);
  });

  it('v1 /write', async () => {
    const db = await createTestDatabase(url, 'tp1');
    await measure('v1 /write', db, new V1Writer({ url, database: db, batchSize: 5000, timeoutMs: 30_000, logger: quietLogger }));
  });

  it('v2 /api/v2/write through the 1.8 translation proxy', async () => {
    const db = await createTestDatabase(url, 'tp2');
    const w = new V2Writer({ url: proxy.url, token: 't', org: 'o', bucket: db, batchSize: 5000, timeoutMs: 30_000, logger: quietLogger });
    await measure('v2 via proxy', db, w);
  });
});
