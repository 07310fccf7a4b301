#!/usr/bin/env node
// Peak RSS of `mifit-sync sync` (the built CLI, with the container image's NODE_OPTIONS
// and MALLOC_ARENA_MAX, src/bench/image.ts)
// when the Huami cloud answers band_data with 300 MB, with and without a Content-Length, or
// cuts bodies off half way; next to a normal run for comparison. Not a test: it prints the
// figures (docs/architecture.md "Huami client — `src/fetch/client.ts`"). Needs `npm run build` and influxd.
// The fake server runs in this process, so its memory does not count in the CLI's figure.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IMAGE_MALLOC_ENV, IMAGE_V8_FLAGS } from '../dist/bench/image.js';
import { startBenchInflux } from '../dist/bench/influxd.js';
import { DEMO_EMAIL, DEMO_PASSWORD, startFakeServer } from '../dist/fake/index.js';

const CLI = join(import.meta.dirname, '..', 'dist', 'cli.js');
// Reports the process's own peak RSS (getrusage maxrss) as it exits.
const REPORT = `--import=data:text/javascript,process.on('exit',()=>process.stderr.write('peak_rss_kb='+process.resourceUsage().maxRSS+'\\n'))`;
const BAND = '/v1/data/band_data.json';
const MB = 1024 * 1024;

const from = new Date(Date.now() - 13 * 86_400_000).toISOString().slice(0, 10);
const influx = await startBenchInflux();
const fake = await startFakeServer({ from, quiet: true });
const dir = mkdtempSync(join(tmpdir(), 'mifit-oversized-'));

/** One `mifit-sync sync` run; its exit code, peak RSS and the error codes it printed. */
function run(name, db) {
  const env = {
    PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NODE_OPTIONS: `${IMAGE_V8_FLAGS} ${REPORT}`, ...IMAGE_MALLOC_ENV,
    INFLUX_URL: influx.url, INFLUX_DATABASE: db, INFLUX_API_VERSION: '1', STATE_DIR: join(dir, name),
    HUAMI_BASE_URL: fake.url, HUAMI_EMAIL: DEMO_EMAIL, HUAMI_PASSWORD: DEMO_PASSWORD, ACCOUNT_NAME: 'anna',
    SYNC_START_DATE: from, HUAMI_MAX_RETRIES: '2', DEMO_MODE: 'off', LOG_LEVEL: 'warn',
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'sync'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (out += b));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const rss = /peak_rss_kb=(\d+)/.exec(out)?.[1];
      const codes = [...new Set(out.match(/\b(HUAMI|INFLUX)_[A-Z_]+\b/g) ?? [])].filter((c) => !/_(MB|RETRIES|DAYS|URL)$/.test(c));
      resolve({ name, code: code ?? signal, rssMb: rss ? (Number(rss) / 1024).toFixed(0) : '?', oom: /heap out of memory/i.test(out), codes: codes.join(' ') || '-' });
    });
  });
}

const cases = [
  ['normal run (14 days, detail)', () => undefined],
  ['300 MB answer, Content-Length', () => fake.faults.oversized({ bytes: 300 * MB, paths: [BAND] })],
  ['300 MB answer, no Content-Length', () => fake.faults.oversized({ bytes: 300 * MB, chunked: true, paths: [BAND] })],
  ['body cut off half way (2 times)', () => fake.faults.truncated({ count: 2, paths: [BAND] })],
];
try {
  console.log(`node ${process.version}, NODE_OPTIONS=${IMAGE_V8_FLAGS}; HUAMI_MAX_RESPONSE_MB default`);
  for (const [i, [name, setup]] of cases.entries()) {
    await influx.query(`CREATE DATABASE m${i}`);
    fake.faults.clear();
    setup();
    const r = await run(`run${i}`, `m${i}`);
    console.log(`${name.padEnd(36)} exit ${String(r.code).padEnd(3)} peak RSS ${r.rssMb.padStart(4)} MB  OOM ${r.oom ? 'yes' : 'no '}  codes ${r.codes}`);
  }
} finally {
  await fake.close();
  await influx.destroy();
  rmSync(dir, { recursive: true, force: true });
}
