// At start-up, a clear error when the bucket/database does not exist or the token
// cannot write, before any Huami request." The real CLI against the fake server and the
// real InfluxDB: a missing database stops the run before the first Huami request.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_EMAIL, DEMO_PASSWORD, startFakeServer, type FakeServer } from '../../src/fake/index.js';
import { runCli, syncEnv, tempStateDir } from '../support/sync-cli.js';

let fake: FakeServer;
let dir: string;
beforeAll(async () => {
  fake = await startFakeServer({ quiet: true });
  dir = tempStateDir();
});
afterAll(async () => {
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('sync pre-flight check of InfluxDB', () => {
  it('names the missing database and the fix, and makes no Huami request', async () => {
    const env = syncEnv({ influxUrl: inject('influxUrl'), db: 'no_such_db_here', stateDir: dir, fakeUrl: fake.url, from: '2026-01-01', email: DEMO_EMAIL, password: DEMO_PASSWORD });
    const r = await runCli(['sync'], env, 60_000);
    expect(r.code).toBe(1);
    const out = r.stdout + r.stderr;
    expect(out).toContain('INFLUX_DB_NOT_FOUND');
    expect(out).toContain('no_such_db_here');
    expect(out).toMatch(/CREATE DATABASE/);
    expect(fake.requests).toHaveLength(0);
  });

  it('says InfluxDB cannot be reached, and makes no Huami request', async () => {
    const env = syncEnv({ influxUrl: 'http://127.0.0.1:9', db: 'x', stateDir: dir, fakeUrl: fake.url, from: '2026-01-01', email: DEMO_EMAIL, password: DEMO_PASSWORD, extra: { INFLUX_MAX_RETRIES: '1' } });
    const r = await runCli(['sync'], env, 90_000);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain('INFLUX_UNREACHABLE');
    expect(fake.requests).toHaveLength(0);
  });
});
