// A 300 MB answer from the cloud, and bodies cut off half way, against the real CLI with the
// container image's heap caps: the run does not crash, it names HUAMI_RESPONSE_TOO_LARGE, and
// a truncated body is retried like a 5xx. (The peak RSS of these runs is printed by
// scripts/measure-oversized-rss.mjs, not asserted here.)
import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_EMAIL, DEMO_PASSWORD, startFakeServer, type FakeServer } from '../../src/fake/index.js';
import { IMAGE_MALLOC_ENV, IMAGE_V8_FLAGS } from '../../src/bench/image.js';
import { addDays, todayIn } from '../../src/sync/dates.js';
import { createTestDatabase } from '../support/influxd.js';
import { runCli, syncEnv, tempStateDir } from '../support/sync-cli.js';

const ZONE = 'Europe/Berlin';
const NOW = new Date();
const FROM = addDays(todayIn(ZONE, NOW), -3);
const BAND = '/v1/data/band_data.json';
const MB = 1024 * 1024;

let fake: FakeServer;
const influxUrl = inject('influxUrl');
const dirs: string[] = [];
beforeAll(async () => {
  fake = await startFakeServer({ from: FROM, timezone: ZONE, now: () => NOW, quiet: true });
});
afterEach(() => fake.faults.clear());
afterAll(async () => {
  await fake?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function sync(): Promise<Awaited<ReturnType<typeof runCli>>> {
  const dir = tempStateDir();
  dirs.push(dir);
  const db = await createTestDatabase(influxUrl, 'big');
  const env = syncEnv({ influxUrl, db, stateDir: dir, fakeUrl: fake.url, from: FROM, email: DEMO_EMAIL, password: DEMO_PASSWORD });
  return runCli(['sync'], { ...env, NODE_OPTIONS: IMAGE_V8_FLAGS, ...IMAGE_MALLOC_ENV });
}

describe('mifit-sync sync against oversized and truncated answers (image heap caps)', () => {
  it.each([
    ['announced by its Content-Length', false],
    ['sent without a Content-Length', true],
  ])('a 300 MB band_data answer %s: no crash, HUAMI_RESPONSE_TOO_LARGE reported', async (_name, chunked) => {
    fake.faults.oversized({ bytes: 300 * MB, chunked, paths: [BAND] });
    const r = await sync();
    const out = r.stdout + r.stderr;
    expect(out).not.toMatch(/heap out of memory/i);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('HUAMI_RESPONSE_TOO_LARGE');
    expect(out).toContain('HUAMI_MAX_RESPONSE_MB');
  });

  it('a band_data body cut off half way is retried and the run succeeds', async () => {
    fake.faults.truncated({ count: 1, paths: [BAND] });
    const before = fake.requests.length;
    const r = await sync();
    expect(r.code).toBe(0);
    const band = fake.requests.slice(before).filter((q) => q.path === BAND);
    expect(band[0]?.status).toBe(0); // the cut-off answer, then the retry and the rest
    expect(band.slice(1).every((q) => q.status === 200)).toBe(true);
  });
});
