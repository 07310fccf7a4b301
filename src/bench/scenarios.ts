// `npm run bench` scenarios beside the backfill (not tests): a rewrite of a year (`sync
// --force` and `reprocess`) against its first write, and many accounts (BENCH_ACCOUNTS,
// default 200, × 30 days) through the real runSync with SYNC_CONCURRENCY. Each prints
// `key=value` rows the summary table reads; the fake Huami server runs in a child process.
// `idle`: the daemon itself in a child process (the image's V8 caps unless BENCH_IDLE_NODE_OPTIONS
// says otherwise, and the image's MALLOC_ARENA_MAX) syncs a year, then sits idle
// BENCH_IDLE_WAIT_S seconds (default 60); the RSS of the daemon and its sync worker together
// (the process tree) is read from /proc; BENCH_IDLE_SYNC_WORKER=inline measures the one-process daemon. BENCH_LOG_LEVEL (default
// warn) is the rewrite and accounts scenarios' log level: info shows when each phase ran.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/load.js';
import { createClientPool } from '../fetch/pool.js';
import { watchBandData } from '../fetch/in-flight.js';
import { DEMO_EMAIL, DEMO_PASSWORD } from '../fake/accounts.js';
import { createLogger } from '../log.js';
import { addDays, todayIn } from '../sync/dates.js';
import { runReprocess, runSync } from '../sync/index.js';
import { jitterFraction, SPREAD_SHARE } from '../daemon/spread.js';
import { createWriter, writerOptions } from '../write/index.js';
import { startFakeChild, type BenchFake } from './fake-child.js';
import { IMAGE_MALLOC_ENV, IMAGE_V8_FLAGS } from './image.js';
import { freePort, startBenchInflux, type BenchInflux } from './influxd.js';
import { descendantsOf, procStatusKb } from './proc-tree.js';

const ZONE = 'Europe/Berlin';
const mb = (kb: number): number => Math.round(kb / 1024);

/** The fake server in its child process; when it fails to start, the influxd just started is stopped (it would outlive the bench). */
async function fakeBeside(influx: BenchInflux, ...args: Parameters<typeof startFakeChild>): Promise<BenchFake> {
  try {
    return await startFakeChild(...args);
  } catch (err) {
    await influx.destroy();
    throw err;
  }
}

async function rewrite(): Promise<Record<string, number | string>> {
  const from = addDays(todayIn(ZONE, new Date()), -365);
  const dir = mkdtempSync(join(tmpdir(), 'mifit-bench-rw-'));
  const influx = await startBenchInflux();
  const fake = await fakeBeside(influx, from);
  try {
    await influx.query('CREATE DATABASE bench');
    const config = loadConfig({
      INFLUX_URL: influx.url, INFLUX_DATABASE: 'bench', INFLUX_API_VERSION: '1', STATE_DIR: join(dir, 'state'),
      HUAMI_BASE_URL: fake.url, HUAMI_EMAIL: DEMO_EMAIL, HUAMI_PASSWORD: DEMO_PASSWORD, ACCOUNT_NAME: 'bench',
      TIMEZONE: ZONE, SYNC_START_DATE: from, SYNC_DETAIL: 'true', DEMO_MODE: 'off', LOG_LEVEL: 'warn',
    });
    const logger = createLogger(process.env.BENCH_LOG_LEVEL ?? 'warn');
    const writer = createWriter(writerOptions(config.raw), logger);
    // DELETE statements sent (one per span or merged range): the cost a rewrite adds to a first write.
    let deletes = 0;
    let deleteMs = 0;
    const deleteSpans = writer.deleteSpans.bind(writer);
    writer.deleteSpans = async (user, spans) => {
      deletes += spans.length;
      const t0 = performance.now();
      try {
        await deleteSpans(user, spans);
      } finally {
        deleteMs += performance.now() - t0;
      }
    };
    const deps = { config, logger, writer, clientFor: createClientPool(config, logger, () => undefined), now: () => new Date() };
    const counts: number[] = [];
    const deleteTimes: number[] = [];
    const time = async (f: () => Promise<unknown>): Promise<number> => {
      deletes = 0;
      deleteMs = 0;
      const t0 = performance.now();
      await f();
      counts.push(deletes);
      deleteTimes.push(Math.round(deleteMs));
      return performance.now() - t0;
    };
    let days = 0;
    const first = await time(async () => {
      const [r] = await runSync(deps);
      days = r?.daysWritten ?? 0;
      if (!r?.ok) throw new Error(`first write failed: ${r?.error?.code}`);
    });
    // An incremental run right after: what a scheduled run asks Huami once everything is in.
    const [inc] = await runSync(deps);
    const today = todayIn(ZONE, new Date());
    const force = await time(() => runSync(deps, { force: true, from, to: today }));
    const reprocess = await time(() => runReprocess(deps, { from, to: today }));
    await writer.close();
    return {
      inc_requests: inc?.requests ?? -1, inc_event_requests: inc?.events?.requests ?? 0, inc_workout_requests: inc?.workouts?.requests ?? 0,
      rw_days: days, rw_first_ms: Math.round(first), rw_force_ms: Math.round(force), rw_reprocess_ms: Math.round(reprocess),
      rw_first_deletes: counts[0] ?? -1, rw_force_deletes: counts[1] ?? -1, rw_reprocess_deletes: counts[2] ?? -1,
      rw_force_delete_ms: deleteTimes[1] ?? -1, rw_reprocess_delete_ms: deleteTimes[2] ?? -1 };
  } finally {
    await fake.close();
    await influx.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function manyAccounts(): Promise<Record<string, number | string>> {
  const n = Number(process.env.BENCH_ACCOUNTS ?? 200);
  const from = addDays(todayIn(ZONE, new Date()), -29);
  const dir = mkdtempSync(join(tmpdir(), 'mifit-bench-acc-'));
  const influx = await startBenchInflux();
  const fake = await fakeBeside(influx, from, ['--accounts', String(n)]);
  try {
    await influx.query('CREATE DATABASE bench');
    const file = join(dir, 'accounts.json');
    writeFileSync(file, JSON.stringify(Array.from({ length: n }, (_, i) => ({ name: `a${i + 1}`, email: `fake${i + 1}@example.com`, password: `fake-password-${i + 1}` }))));
    const config = loadConfig({
      INFLUX_URL: influx.url, INFLUX_DATABASE: 'bench', INFLUX_API_VERSION: '1', STATE_DIR: join(dir, 'state'), ACCOUNTS_FILE: file,
      HUAMI_BASE_URL: fake.url, TIMEZONE: ZONE, SYNC_START_DATE: from, SYNC_DETAIL: 'true', DEMO_MODE: 'off', LOG_LEVEL: 'warn',
    });
    const logger = createLogger(process.env.BENCH_LOG_LEVEL ?? 'warn');
    const writer = createWriter(writerOptions(config.raw), logger);
    const t0 = performance.now();
    // Band-data request start times, to see how the requests spread out, and the most in flight.
    const watch = watchBandData();
    const results = await runSync({ config, logger, writer, clientFor: createClientPool(config, logger, () => undefined, { factory: watch.factory }), now: () => new Date() });
    const ms = performance.now() - t0;
    const peak = process.resourceUsage().maxRSS;
    await writer.close();
    const reqs = results.map((r) => r.requests);
    // The daemon's scheduled starts: each account's offset into a 30-minute interval.
    const offsets = results.map((r) => jitterFraction(r.key ?? r.account) * 30 * SPREAD_SHARE).sort((a, b) => a - b);
    let maxGap = 0;
    for (let i = 1; i < offsets.length; i++) maxGap = Math.max(maxGap, (offsets[i] as number) - (offsets[i - 1] as number));
    return {
      acc_n: n, acc_ok: results.filter((r) => r.ok).length, acc_ms: Math.round(ms), acc_peak_mb: mb(peak), acc_concurrency: config.raw.SYNC_CONCURRENCY,
      acc_req_min: Math.min(...reqs), acc_req_max: Math.max(...reqs), acc_points: results.reduce((s, r) => s + r.points, 0),
      acc_first_start_s: (((watch.starts[0] ?? t0) - t0) / 1000).toFixed(1), acc_last_start_s: (((watch.starts.at(-1) ?? t0) - t0) / 1000).toFixed(1), acc_max_in_flight: watch.maxInFlight(),
      acc_sched_first_min: (offsets[0] ?? 0).toFixed(1), acc_sched_last_min: (offsets.at(-1) ?? 0).toFixed(1), acc_sched_max_gap_s: Math.round(maxGap * 60),
    };
  } finally {
    await fake.close();
    await influx.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** RSS of `pid` and every live descendant (the daemon and its sync worker), kB. */
function treeKb(pid: number, field: 'VmRSS' | 'RssAnon' | 'RssFile'): { kb: number; children: number[] } {
  const children = descendantsOf(pid);
  return { kb: [pid, ...children].reduce((s, p) => s + procStatusKb(p, field), 0), children };
}

async function idle(): Promise<Record<string, number | string>> {
  const waitS = Number(process.env.BENCH_IDLE_WAIT_S ?? 60);
  const nodeOptions = process.env.BENCH_IDLE_NODE_OPTIONS ?? IMAGE_V8_FLAGS;
  const from = addDays(todayIn(ZONE, new Date()), -365);
  const dir = mkdtempSync(join(tmpdir(), 'mifit-bench-idle-'));
  const influx = await startBenchInflux();
  const fake = await fakeBeside(influx, from);
  const port = await freePort();
  const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'cli.js');
  const env = {
    PATH: process.env.PATH, NODE_OPTIONS: nodeOptions,
    INFLUX_URL: influx.url, INFLUX_DATABASE: 'bench', INFLUX_API_VERSION: '1', STATE_DIR: join(dir, 'state'),
    HUAMI_BASE_URL: fake.url, HUAMI_EMAIL: DEMO_EMAIL, HUAMI_PASSWORD: DEMO_PASSWORD, ACCOUNT_NAME: 'bench',
    TIMEZONE: ZONE, SYNC_START_DATE: from, SYNC_DETAIL: 'true', DEMO_MODE: 'off', LOG_LEVEL: 'error',
    HTTP_PORT: String(port), HTTP_HOST: '127.0.0.1', SYNC_SCHEDULE: '0 0 1 1 *', REFRESH_SCHEDULE: '0 0 1 1 *',
    SYNC_WORKER: process.env.BENCH_IDLE_SYNC_WORKER ?? 'process',
    ...IMAGE_MALLOC_ENV,
    // Allocator settings to try (MALLOC_ARENA_MAX=2, GLIBC_TUNABLES=..., LD_PRELOAD + MALLOC_CONF) reach the daemon as they are.
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('MALLOC_') || k === 'GLIBC_TUNABLES' || k === 'LD_PRELOAD')),
  };
  await influx.query('CREATE DATABASE bench');
  // BENCH_IDLE_NODE_ARGS: node flags NODE_OPTIONS refuses (V8's --no-opt and the like), to try them.
  const nodeArgs = (process.env.BENCH_IDLE_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, cli, 'daemon'], { env, cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  const pid = child.pid as number;
  try {
    const t0 = performance.now();
    let startKb = 0;
    // Peak of the tree: sampled on every poll, and the sum of each process's own high-water mark
    // (an upper bound: they need not peak at the same moment).
    let sampledPeakKb = 0;
    const childHwm = new Map<number, number>();
    // Until the start-up run has finished (the status API names its end).
    for (;;) {
      if (child.exitCode !== null) throw new Error(`daemon exited early (code ${child.exitCode})`);
      if (performance.now() - t0 > 600_000) throw new Error('the start-up sync did not finish within 10 minutes');
      await sleep(500);
      const tree = treeKb(pid, 'VmRSS');
      sampledPeakKb = Math.max(sampledPeakKb, tree.kb);
      for (const c of tree.children) childHwm.set(c, Math.max(childHwm.get(c) ?? 0, procStatusKb(c, 'VmHWM')));
      const snap = await fetch(`http://127.0.0.1:${port}/api/status`).then((r) => (r.ok ? (r.json() as Promise<{ running: boolean; lastRunFinishedAt?: number }>) : undefined), () => undefined);
      // The daemon alone once it answers: every module it loads is loaded by then.
      if (snap && !startKb) startKb = procStatusKb(pid, 'VmRSS');
      if (snap && !snap.running && snap.lastRunFinishedAt !== undefined) break;
    }
    const syncMs = performance.now() - t0;
    const afterRun = treeKb(pid, 'VmRSS');
    const peak = Math.max(sampledPeakKb, procStatusKb(pid, 'VmHWM') + Math.max(0, ...childHwm.values()));
    await sleep(waitS * 1000);
    const idleTree = treeKb(pid, 'VmRSS');
    // Anonymous memory (heaps: V8's and malloc's) apart from file pages (the node binary's code, mapped on use).
    const anonKb = treeKb(pid, 'RssAnon').kb;
    const fileKb = treeKb(pid, 'RssFile').kb;
    // Where the idle memory sits: V8 heap (used / reserved) and memory outside it (Buffers).
    const metrics = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text());
    const gauge = (name: string): number => Number(new RegExp(`^mifit_sync_${name} (\\S+)$`, 'm').exec(metrics)?.[1] ?? Number.NaN) / 2 ** 20;
    return {
      idle_node_options: nodeOptions || 'none', idle_sync_worker: env.SYNC_WORKER, idle_sync_ms: Math.round(syncMs), idle_wait_s: waitS,
      idle_start_mb: mb(startKb), idle_peak_mb: mb(peak), idle_after_run_mb: mb(afterRun.kb), idle_after_run_children: afterRun.children.length,
      idle_rss_mb: mb(idleTree.kb), idle_daemon_rss_mb: mb(procStatusKb(pid, 'VmRSS')), idle_children: idleTree.children.length,
      idle_rss_anon_mb: mb(anonKb), idle_rss_file_mb: mb(fileKb),
      idle_heap_used_mb: Math.round(gauge('nodejs_heap_size_used_bytes')), idle_heap_total_mb: Math.round(gauge('nodejs_heap_size_total_bytes')),
      idle_external_mb: Math.round(gauge('nodejs_external_memory_bytes')),
    };
  } finally {
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    });
    await fake.close();
    await influx.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

const which = process.argv[2];
const scenarios: Record<string, () => Promise<Record<string, number | string>>> = { rewrite, accounts: manyAccounts, idle };
(scenarios[which ?? ''] ?? (() => Promise.reject(new Error('usage: scenarios.js rewrite|accounts|idle'))))().then(
  (rows) => {
    for (const [k, v] of Object.entries(rows)) process.stdout.write(`${k}=${v}\n`);
  },
  (err: unknown) => {
    process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
