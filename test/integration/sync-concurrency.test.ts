// Many accounts in one run: at most SYNC_CONCURRENCY of them talk to Huami at a time, and
// every account still ends with its own result. The real runSync against the fake Huami
// server (band data slowed down so that runs overlap) and the real InfluxDB.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { startFakeServer, type FakeServer } from '../../src/fake/index.js';
import { watchBandData } from '../../src/fetch/in-flight.js';
import { createClientPool } from '../../src/fetch/pool.js';
import { createLogger } from '../../src/log.js';
import { runSync } from '../../src/sync/index.js';
import { createWriter, writerOptions } from '../../src/write/index.js';
import { influxQuery } from '../support/influxd.js';
import { tempStateDir } from '../support/sync-cli.js';

const ACCOUNTS = 5;
let fake: FakeServer;
let dir: string;
beforeAll(async () => {
  fake = await startFakeServer({ quiet: true });
  for (let i = 0; i < ACCOUNTS; i++) fake.accounts.add({ email: `p${i}@example.com`, password: `pw-${i}-secret`, userId: String(2000000000 + i) });
  dir = tempStateDir();
});
afterAll(async () => {
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function runWith(concurrency: number, db: string): Promise<{ maxInFlight: number; ok: boolean[] }> {
  await influxQuery(inject('influxUrl'), `CREATE DATABASE ${db}`);
  const file = join(dir, `accounts-${db}.json`);
  writeFileSync(file, JSON.stringify(Array.from({ length: ACCOUNTS }, (_, i) => ({ name: `p${i}`, email: `p${i}@example.com`, password: `pw-${i}-secret` }))));
  const config = loadConfig({
    ACCOUNTS_FILE: file, STATE_DIR: join(dir, db), HUAMI_BASE_URL: fake.url, INFLUX_URL: inject('influxUrl'), INFLUX_DATABASE: db, INFLUX_API_VERSION: '1',
    SYNC_START_DATE: '2026-01-01', SYNC_CONCURRENCY: String(concurrency), DEMO_MODE: 'off', TIMEZONE: 'Europe/Berlin',
    // Band data only: the bound is measured on band_data requests.
    SYNC_EVENTS: 'false', SYNC_WORKOUTS: 'false',
  });
  const logger = createLogger('silent');
  // Counts the band-data requests in flight; everything else is the real client.
  const { factory, maxInFlight } = watchBandData();
  const writer = createWriter(writerOptions(config.raw), logger);
  // Every band-data answer takes 400 ms: a run that started while another one waits overlaps it.
  fake.faults.slow({ ms: 400, paths: ['/v1/data/band_data.json'] });
  try {
    const results = await runSync({ config, logger, writer, clientFor: createClientPool(config, logger, () => undefined, { factory }), now: () => new Date('2026-01-05T12:00:00Z') });
    return { maxInFlight: maxInFlight(), ok: results.map((r) => r.ok) };
  } finally {
    fake.faults.clear();
    await writer.close();
  }
}

describe('SYNC_CONCURRENCY', () => {
  it('runs at most 2 accounts at a time when set to 2, and every account finishes', async () => {
    const r = await runWith(2, 'conc_two');
    expect(r.ok).toEqual(Array(ACCOUNTS).fill(true));
    expect(r.maxInFlight).toBe(2);
  });

  it('runs accounts one after another when set to 1', async () => {
    const r = await runWith(1, 'conc_one');
    expect(r.ok).toEqual(Array(ACCOUNTS).fill(true));
    expect(r.maxInFlight).toBe(1);
  });
});
