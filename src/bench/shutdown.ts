// `npm run bench` (not a test): how long the built daemon takes to exit on SIGTERM in the
// middle of a run (the fake cloud answering slowly) and while a write is in its back-off
// during an InfluxDB outage. The tests check that it exits 0 and loses nothing; the time
// is a figure of this machine, printed here. Goals: < 8 s mid-run, < 6 s in an outage.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_EMAIL, DEMO_PASSWORD, startFakeServer } from '../fake/index.js';
import { accountKey } from '../store/identity.js';
import { recordedDatesSync } from '../store/state.js';
import { addDays, todayIn } from '../sync/dates.js';
import { freePort, startBenchInflux } from './influxd.js';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'cli.js');

async function until(what: string, cond: () => boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Run the daemon until `ready`, then SIGTERM it; returns the exit code and how long the exit took. */
async function sigtermAfter(label: string, outage: boolean): Promise<string> {
  const from = addDays(todayIn('UTC', new Date()), -12);
  const dir = mkdtempSync(join(tmpdir(), 'mifit-bench-stop-'));
  const influx = await startBenchInflux();
  const fake = await startFakeServer({ from, timezone: 'UTC', quiet: true });
  try {
    await influx.query('CREATE DATABASE bench');
    fake.faults.slow({ ms: 300, paths: ['/v1/data/band_data.json'] });
    const env = {
      PATH: process.env.PATH ?? '', ACCOUNT_NAME: 'demo', HUAMI_EMAIL: DEMO_EMAIL, HUAMI_PASSWORD: DEMO_PASSWORD, HUAMI_BASE_URL: fake.url, DEMO_MODE: 'off',
      INFLUX_URL: influx.url, INFLUX_API_VERSION: '1', INFLUX_DATABASE: 'bench', HUAMI_CHUNK_DAYS: '1', INFLUX_BATCH_SIZE: '500',
      SYNC_START_DATE: from, TIMEZONE: 'UTC', STATE_DIR: dir, HTTP_PORT: String(await freePort()), LOG_LEVEL: 'info',
    };
    const child = spawn(process.execPath, [CLI, 'daemon'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let logs = '';
    child.stdout.on('data', (b: Buffer) => (logs += b.toString()));
    child.stderr.on('data', (b: Buffer) => (logs += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const days = join(dir, accountKey({ email: DEMO_EMAIL, userId: '' }), 'days'); // the account's state folder
    const done = (): number => recordedDatesSync(days).length;
    await until('3 days done', () => done() >= 3);
    if (outage) {
      await influx.destroy();
      await until('a write retrying', () => /InfluxDB request failed, retrying/.test(logs));
    }
    const t = performance.now();
    child.kill('SIGTERM');
    const kill = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const code = await exited;
    clearTimeout(kill);
    const ms = performance.now() - t;
    return `${label.padEnd(21)}exit code ${code} after ${Math.round(ms)} ms`;
  } finally {
    await fake.close();
    await influx.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  process.stdout.write(`${await sigtermAfter('SIGTERM mid-run', false)} (goal < 8000 ms)\n`);
  process.stdout.write(`${await sigtermAfter('SIGTERM in outage', true)} (goal < 6000 ms)\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
