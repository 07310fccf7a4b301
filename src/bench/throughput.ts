// `npm run bench` (not a test): the speed figures the test suite does not assert. Fake data
// generation per day (10 years of detail, what a long backfill asks of the fake cloud) and
// write throughput of ~200k minute points at batch 5000: pre-serialised line protocol POSTed
// directly (the floor) against the v1 writer, into a throw-away InfluxDB 1.6.7.
import { FakeDataStore } from '../fake/data/store.js';
import { createLogger } from '../log.js';
import type { Point } from '../schema/point.js';
import { toLine } from '../schema/line-protocol.js';
import { V1Writer } from '../write/v1.js';
import { encodeDays } from './fake-data.js';
import { startBenchInflux } from './influxd.js';

const UID = '1000000001';
const N = 200_000;
const BATCH = 5000;
const T0 = 1_700_000_000;

function fakeDataPerDay(): string {
  const s = new FakeDataStore({
    seed: 1, from: '2016-01-01', now: () => new Date('2026-01-20T12:00:00Z'), zoneFor: () => 'Europe/Berlin',
    nightConvention: 'wake-date', tzField: 'actual', recordWidth: 3, napAnchor: 'sleep-anchor',
  });
  const t0 = performance.now();
  const { days, bytes } = encodeDays(s, UID, '2016-01-01', '2025-12-31');
  const perDay = (performance.now() - t0) / days;
  return `fake data            ${perDay.toFixed(3)} ms per day of detail (${days} days, ${(bytes / 1e6).toFixed(1)} MB base64; goal < 2 ms: ${perDay < 2 ? 'met' : 'MISSED'})`;
}

const heartRate = (user: string, n: number): Point[] =>
  Array.from({ length: n }, (_, i) => ({ measurement: 'heart_rate' as const, tags: { user }, fields: { bpm: 50 + (i % 70) }, time: T0 + i * 60 }));

const rate = (label: string, s: number): string => `${label.padEnd(21)}${N} points in ${s.toFixed(2)} s = ${Math.round(N / s)} points/s${N / s > 5_000 ? '' : ' (below the 5000 points/s floor: one request per point?)'}`;

async function main(): Promise<void> {
  process.stdout.write(`${fakeDataPerDay()}\n`);
  const influx = await startBenchInflux();
  try {
    const points = [...heartRate('alice', N / 2), ...heartRate('bob', N / 2)];
    await influx.query('CREATE DATABASE tp0');
    await influx.query('CREATE DATABASE tp1');
    const bodies: string[] = [];
    for (let i = 0; i < N; i += BATCH) bodies.push(points.slice(i, i + BATCH).map(toLine).join('\n'));
    let t = performance.now();
    for (const body of bodies) {
      const res = await fetch(`${influx.url}/write?db=tp0&precision=s`, { method: 'POST', body });
      if (res.status !== 204) throw new Error(`direct POST answered ${res.status}: ${await res.text()}`);
    }
    process.stdout.write(`${rate('direct POST (floor)', (performance.now() - t) / 1000)}\n`);
    const w = new V1Writer({ url: influx.url, database: 'tp1', batchSize: BATCH, timeoutMs: 30_000, logger: createLogger('silent') });
    t = performance.now();
    await w.write(points);
    const s = (performance.now() - t) / 1000;
    await w.close();
    process.stdout.write(`${rate('v1 writer /write', s)}\n`);
  } finally {
    await influx.destroy();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
