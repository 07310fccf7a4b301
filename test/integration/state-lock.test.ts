// One run per STATE_DIR, with the built CLI: a second `sync` (or `reprocess`) while another
// holds the state exits 1 naming the holder; a lock left by a SIGKILLed run is taken over.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_EMAIL, DEMO_PASSWORD, startFakeServer, type FakeServer } from '../../src/fake/index.js';
import { addDays, todayIn } from '../../src/sync/dates.js';
import { ensureBuilt } from '../support/daemon-cli.js';
import { createTestDatabase } from '../support/influxd.js';
import { runCli, spawnCli, syncEnv } from '../support/sync-cli.js';
import { tempDir } from '../support/tmp.js';

const ZONE = 'Europe/Berlin';
const FROM = addDays(todayIn(ZONE, new Date()), -6);
const influxUrl = inject('influxUrl');
let fake: FakeServer;

beforeAll(async () => {
  ensureBuilt();
  fake = await startFakeServer({ from: FROM, timezone: ZONE, quiet: true });
});
afterAll(async () => {
  await fake?.close();
});

const env = (db: string, dir: string): Record<string, string> =>
  syncEnv({ influxUrl, db, stateDir: dir, fakeUrl: fake.url, from: FROM, email: DEMO_EMAIL, password: DEMO_PASSWORD, extra: { HUAMI_CHUNK_DAYS: '1' } });

/** Wait until the run named in the lock's info file is `pid`. */
async function lockedBy(dir: string, pid: number): Promise<void> {
  const info = join(dir, '.mifit-sync.lock.json');
  await expect.poll(() => (existsSync(info) ? (JSON.parse(readFileSync(info, 'utf8')) as { pid: number }).pid : undefined), { timeout: 20_000, interval: 50 }).toBe(pid);
}

describe('STATE_DIR lock', () => {
  it('refuses a second sync and a reprocess on the same STATE_DIR with exit 1 and the holder named', async () => {
    const db = await createTestDatabase(influxUrl, 'lock');
    const dir = tempDir('mifit-lock-');
    // Slow band data: the first run is still going when the others start.
    fake.faults.slow({ ms: 400, paths: ['/v1/data/band_data.json'] });
    const first = spawnCli(['sync'], env(db, dir));
    const firstDone = new Promise<number | null>((resolve) => first.once('close', (code) => resolve(code)));
    await lockedBy(dir, first.pid!);
    for (const cmd of ['sync', 'reprocess']) {
      const second = await runCli([cmd], env(db, dir));
      expect(second.code).toBe(1);
      expect(second.stderr).toContain('[STATE_LOCKED]');
      expect(second.stderr).toContain(`pid ${first.pid}`);
      expect(second.stderr).toContain('"mifit-sync sync"');
      expect(second.stderr).toMatch(/since \d{4}-\d{2}-\d{2}T/);
    }
    fake.faults.clear();
    expect(await firstDone).toBe(0);
    // Released at the end: the next run goes ahead.
    expect(existsSync(join(dir, '.mifit-sync.lock'))).toBe(false);
    expect((await runCli(['sync'], env(db, dir))).code).toBe(0);
  }, 90_000);

  it('takes over the lock of a SIGKILLed run', async () => {
    const db = await createTestDatabase(influxUrl, 'lockkill');
    const dir = tempDir('mifit-lock-kill-');
    fake.faults.slow({ ms: 400, paths: ['/v1/data/band_data.json'] });
    const victim = spawnCli(['sync'], env(db, dir));
    const gone = new Promise<void>((resolve) => victim.once('close', () => resolve()));
    await lockedBy(dir, victim.pid!);
    victim.kill('SIGKILL');
    await gone;
    fake.faults.clear();
    expect(existsSync(join(dir, '.mifit-sync.lock'))).toBe(true); // left behind by the kill
    const next = await runCli(['sync'], env(db, dir));
    expect(next.stderr).not.toContain('STATE_LOCKED');
    expect(next.code).toBe(0);
    expect(existsSync(join(dir, '.mifit-sync.lock'))).toBe(false);
  }, 90_000);
});
