// `npm run bench` (not a test): backfill BENCH_YEARS (default 10) years of summary + detail
// from the fake Huami server into a throw-away InfluxDB 1.6.7 through the real runSync (band
// data, health events, workouts, weigh-ins), then post the same line protocol directly in the
// same batch size and compare (src/bench/direct-ingest.ts: every stream the sync wrote,
// regenerated from its raw archive; the bench fails when the line count differs from the
// sync's points). Targets: sync within 1.2× of direct ingest, peak RSS at most 150 MB. The fake
// server stands in for a remote cloud, so it runs in a child process: the figures measure
// mifit-sync alone.
//
// Profiling hooks (environment):
//   BENCH_TRACE=<ms>            every <ms>, a `TRACE` line on stderr with the day being synced and
//                               the process's RSS, heap used/total, external and array buffers
//                               (MB); after the sync, a `WSTAT` line per writer call kind (write,
//                               delete) and stream, named by the first measurement of its calls
//                               (calls, points or spans, ms spent awaiting them), a `WIDLE` line per
//                               phase (time with no write in flight) and `WGAP` lines (the longest
//                               such stretches, with where the sync was at their start and end).
//   BENCH_LOG_LEVEL=<level>     the sync's log level (pino: debug, info, …; default warn), on stderr.
//   BENCH_CPU_PROF=<dir>        a V8 CPU profile of the sync alone (not the baseline) into <dir>/sync.cpuprofile.
//   BENCH_FAKE_NODE_FLAGS=<…>   Node flags for the fake server child (e.g. `--cpu-prof`), src/bench/fake-child.ts.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants as perfConstants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { loadConfig } from '../config/load.js';
import { createClientPool } from '../fetch/pool.js';
import { DEMO_EMAIL, DEMO_PASSWORD } from '../fake/accounts.js';
import { accountKey } from '../store/identity.js';
import { createLogger } from '../log.js';
import { userTag } from '../sync/account.js';
import { addDays, todayIn } from '../sync/dates.js';
import { runSync } from '../sync/index.js';
import { isPoints } from '../write/batches.js';
import { createWriter, writerOptions, type Writer } from '../write/index.js';
import { archiveToLineProtocol, postLineProtocol, type LineCounts } from './direct-ingest.js';
import { startFakeChild, type BenchFake } from './fake-child.js';
import { startBenchInflux } from './influxd.js';
import { procCpuSeconds, procStatusKb } from './proc-tree.js';

const ZONE = 'Europe/Berlin';
const mb = (kb: number): string => (kb / 1024).toFixed(0);
const MiB = (bytes: number): number => Math.round(bytes / 2 ** 20);

/** Node/V8 flags the measured process runs with: RSS depends on them (e.g. --max-semi-space-size). */
function v8Flags(): string {
  const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].filter(Boolean);
  return flags.length ? flags.join(' ') : 'none (defaults)';
}

/** BENCH_TRACE in ms, undefined when unset. */
function traceInterval(): number | undefined {
  const v = process.env.BENCH_TRACE;
  if (v === undefined || v === '') return undefined;
  const ms = Number(v);
  if (!(ms > 0)) throw new Error(`BENCH_TRACE must be a sampling interval in ms (e.g. 500), got "${v}"`);
  return ms;
}

/** The measurement of the first point or line of a write, '-' when it has none. */
function firstMeasurement(data: Parameters<Writer['write']>[0]): string {
  if (isPoints(data)) return data[0]?.measurement ?? '-';
  const first = data.chunks.find((c) => c.lines > 0);
  return first ? (/^[^ ,]*/.exec(first.bytes.toString('latin1', 0, 64))?.[0] ?? '-') : '-';
}

/** A writer that times every write and delete of `inner`, per call kind and first measurement (BENCH_TRACE). */
function timedWriter(inner: Writer, phase: () => string, where: () => string): { writer: Writer; report(): string[] } {
  const stats = new Map<string, { calls: number; n: number; ms: number }>();
  // Time with no write or delete in flight, per phase of the sync (what the sync does that
  // InfluxDB waits for): the part of the sync that does not overlap with InfluxDB's work.
  const idle = new Map<string, number>();
  let inFlight = 0;
  let idleSince = performance.now();
  let idleFrom = '';
  // The longest of those stretches, with where the sync was when each began and ended.
  const gaps: { ms: number; from: string; to: string; call: string }[] = [];
  const timed = async (key: string, n: number, call: () => Promise<void>): Promise<void> => {
    const t = performance.now();
    if (inFlight++ === 0) {
      idle.set(phase(), (idle.get(phase()) ?? 0) + (t - idleSince));
      if (t - idleSince >= 100) gaps.push({ ms: t - idleSince, from: idleFrom, to: where(), call: key });
    }
    try {
      await call();
    } finally {
      if (--inFlight === 0) {
        idleSince = performance.now();
        idleFrom = where();
      }
      const e = stats.get(key) ?? { calls: 0, n: 0, ms: 0 };
      e.calls++;
      e.n += n;
      e.ms += performance.now() - t;
      stats.set(key, e);
    }
  };
  const writer: Writer = {
    check: () => inner.check(),
    close: () => inner.close(),
    write: (data) => timed(`write ${firstMeasurement(data)}`, isPoints(data) ? data.length : data.count, () => inner.write(data)),
    deleteSpans: (user, spans) => timed(`delete ${spans[0]?.measurement ?? '-'}`, spans.length, () => inner.deleteSpans(user, spans)),
  };
  return {
    writer,
    report: () => [
      ...[...stats].map(([k, v]) => `WSTAT ${k} calls=${v.calls} n=${v.n} ms=${Math.round(v.ms)}`),
      ...[...idle].map(([k, ms]) => `WIDLE ${k} no write in flight for ms=${Math.round(ms)}`),
      `WGAP ${gaps.length} stretches of ≥ 100 ms with no write in flight, ${Math.round(gaps.reduce((a, g) => a + g.ms, 0))} ms in all; the longest:`,
      ...gaps
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 20)
        .map((g) => `WGAP ms=${Math.round(g.ms)} from ${g.from || 'the start'} to ${g.to}, then ${g.call}`),
    ],
  };
}

/** Garbage collections while the sync runs: count and pause time per kind (scavenge, mark-compact). */
function gcMeter(): { stop(): { minor: number; minorMs: number; major: number; majorMs: number } } {
  const g = { minor: 0, minorMs: 0, major: 0, majorMs: 0 };
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries() as (PerformanceEntry & { detail?: { kind?: number } })[]) {
      if (e.detail?.kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR) {
        g.major++;
        g.majorMs += e.duration;
      } else if (e.detail?.kind === perfConstants.NODE_PERFORMANCE_GC_MINOR) {
        g.minor++;
        g.minorMs += e.duration;
      }
    }
  });
  obs.observe({ entryTypes: ['gc'] });
  return {
    stop() {
      obs.disconnect();
      return g;
    },
  };
}

/** Profile the CPU until the returned function is called, which writes `<dir>/sync.cpuprofile` (BENCH_CPU_PROF). */
async function cpuProfile(dir: string): Promise<() => Promise<void>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'sync.cpuprofile'), JSON.stringify(profile));
    session.disconnect();
  };
}

/** CPU seconds of this process's threads so far, by thread name (main thread, GC helpers, libuv's pool), from /proc. */
function threadCpu(): Map<string, number> {
  const out = new Map<string, number>();
  const tick = 100; // USER_HZ on Linux
  try {
    for (const t of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${t}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/[0-9]+$/, '').trim();
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(name, (out.get(name) ?? 0) + (Number(f[11]) + Number(f[12])) / tick);
      out.set(`${name} sys`, (out.get(`${name} sys`) ?? 0) + Number(f[12]) / tick);
    }
  } catch {
    // not Linux: no figure
  }
  return out;
}

/** A TRACE line on stderr every `ms` with the memory of this process; `label()` says where the sync is. */
function memoryTrace(ms: number, label: () => string): () => void {
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    process.stderr.write(`TRACE ${new Date().toISOString()} ${label().replace(' ', '_')} rss=${MiB(m.rss)} anon=${mb(procStatusKb(process.pid, 'RssAnon'))} file=${mb(procStatusKb(process.pid, 'RssFile'))} heap=${MiB(m.heapUsed)}/${MiB(m.heapTotal)} ext=${MiB(m.external)} ab=${MiB(m.arrayBuffers)}\n`);
  }, ms);
  return () => clearInterval(timer);
}

/**
 * The largest anonymous and file-backed RSS seen while the sync runs (sampled every `ms`; Linux
 * keeps a peak only of their sum, VmHWM). File-backed pages are the node binary's and ICU's,
 * shared with the page cache; anonymous memory is what the process itself holds.
 */
function rssSplit(ms: number): { stop(): { anonKb: number; fileKb: number } } {
  const most = { anonKb: 0, fileKb: 0 };
  const sample = (): void => {
    most.anonKb = Math.max(most.anonKb, procStatusKb(process.pid, 'RssAnon'));
    most.fileKb = Math.max(most.fileKb, procStatusKb(process.pid, 'RssFile'));
  };
  const timer = setInterval(sample, ms);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return most;
    },
  };
}

/**
 * The sync's points per stream against the regenerated lines (sync_run is not counted in
 * r.points). The tolerance is zero: the same archive through the same decoders gives the same
 * points. Where they could part, none of which a first backfill from the fake server has: a day
 * the sync failed (malformed items are archived but write nothing), a weigh-in answered twice
 * in one run (written twice, archived once), a stream that failed mid-run. A difference means
 * the baseline no longer posts what the sync wrote, and its ratio would mislead: the bench fails.
 */
function checkCounts(r: { points: number; events?: { points: number }; workouts?: { points: number } }, lines: LineCounts): string {
  const events = Object.values(lines.events).reduce((a, b) => a + b, 0);
  const sync = { events: r.events?.points ?? 0, workouts: r.workouts?.points ?? 0 };
  const band = r.points - sync.events - sync.workouts;
  const rows: [string, number, number][] = [
    ['band_data', band, lines.band_data],
    ['events', sync.events, events],
    ['workouts + weigh-ins', sync.workouts, lines.workouts + lines.weighIns],
    ['total', r.points, lines.total],
  ];
  const off = rows.filter(([, a, b]) => a !== b);
  if (off.length) throw new Error(`the direct-ingest lines differ from the sync's points (${off.map(([k, a, b]) => `${k}: sync ${a}, lines ${b}`).join('; ')}): the baseline would not post what the sync wrote`);
  return `band_data ${lines.band_data}, ${Object.entries(lines.events).map(([k, v]) => `${k} ${v}`).join(', ')}, workouts ${lines.workouts}, weigh-ins ${lines.weighIns}`;
}

async function main(): Promise<number> {
  const years = Number(process.env.BENCH_YEARS ?? 10);
  if (!(years > 0)) throw new Error('BENCH_YEARS must be a positive number');
  const interval = traceInterval();
  const from = addDays(todayIn(ZONE, new Date()), -Math.round(years * 365.25) + 1);
  const dir = mkdtempSync(join(tmpdir(), 'mifit-bench-'));
  let influx = await startBenchInflux();
  let fake: BenchFake | undefined;
  try {
    // The fake-server command's demo user lives in Europe/Berlin (its default zone) = ZONE.
    fake = await startFakeChild(from);
    await influx.query('CREATE DATABASE bench');
    const env = {
      INFLUX_URL: influx.url, INFLUX_DATABASE: 'bench', INFLUX_API_VERSION: '1', STATE_DIR: join(dir, 'state'),
      HUAMI_BASE_URL: fake.url, HUAMI_EMAIL: DEMO_EMAIL, HUAMI_PASSWORD: DEMO_PASSWORD, ACCOUNT_NAME: 'bench',
      TIMEZONE: ZONE, SYNC_START_DATE: from, SYNC_DETAIL: 'true', DEMO_MODE: 'off', LOG_LEVEL: 'warn',
    };
    const config = loadConfig(env);
    const logger = createLogger(process.env.BENCH_LOG_LEVEL ?? 'warn');
    let day = 'start';
    const timed = interval ? timedWriter(createWriter(writerOptions(config.raw), logger), () => (day.startsWith('workout') ? 'workouts and weigh-ins' : day === 'start' ? 'start' : 'band data and health events'), () => day) : undefined;
    const writer = timed?.writer ?? createWriter(writerOptions(config.raw), logger);
    process.stderr.write(`bench: backfilling ${years} years (${from} → today) of summary + detail …\n`);
    const stopTrace = interval ? memoryTrace(interval, () => day) : undefined;
    const profDir = process.env.BENCH_CPU_PROF;
    const stopProfile = profDir ? await cpuProfile(profDir) : undefined;
    const gc = gcMeter();
    const split = rssSplit(250);
    const cpu0 = process.cpuUsage();
    const threads0 = threadCpu();
    const others0 = { influxd: procCpuSeconds(influx.pid()), fake: procCpuSeconds(fake.pid) };
    const t0 = performance.now();
    const [r] = await runSync({ config, logger, writer, clientFor: createClientPool(config, logger, () => undefined), now: () => new Date(), onProgress: (e) => { day = e.day; } });
    const syncMs = performance.now() - t0;
    stopTrace?.();
    const peakRssKb = process.resourceUsage().maxRSS;
    const peakSplit = split.stop();
    const cpu = process.cpuUsage(cpu0);
    const threads = new Map([...threadCpu()].map(([k, v]) => [k, v - (threads0.get(k) ?? 0)]));
    const others = { influxd: procCpuSeconds(influx.pid()) - others0.influxd, fake: procCpuSeconds(fake.pid) - others0.fake };
    const gcs = gc.stop();
    await stopProfile?.();
    const fakeRssKb = fake.peakRssKb();
    await writer.close();
    for (const line of timed?.report() ?? []) process.stderr.write(`${line}\n`);
    if (!r?.ok) throw new Error(`sync failed: ${r?.error?.code} ${r?.error?.message}`);

    // The baseline: what the sync wrote, from its raw archive, as the sync decoded it.
    const lpFile = join(dir, 'direct.lp');
    const account = config.accounts[0];
    if (!account) throw new Error('no account');
    const lines = await archiveToLineProtocol({ stateDir: config.raw.STATE_DIR, key: accountKey(account), timeZone: account.timezone, user: userTag(account) }, lpFile);
    const perStream = checkCounts(r, lines);
    // Into a fresh influxd, as the sync had one: the first one is still compacting what the
    // sync wrote, and posting beside that would slow the baseline (and flatter the ratio).
    await influx.destroy();
    influx = await startBenchInflux();
    await influx.query('CREATE DATABASE direct');
    const directCpu0 = procCpuSeconds(influx.pid());
    const directMs = await postLineProtocol(lpFile, influx.url, 'direct', config.raw.INFLUX_BATCH_SIZE);
    const directInfluxCpu = procCpuSeconds(influx.pid()) - directCpu0;
    const ratio = syncMs / directMs;

    const out = [
      `years                 ${years} (${r.daysFetched} days, detail)`,
      `measured              the mifit-sync process only (fake Huami server in a child process, influxd separate)`,
      `node                  ${process.version}, V8 flags: ${v8Flags()}`,
      `wall time (sync)      ${(syncMs / 1000).toFixed(1)} s (CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s)`,
      `CPU by thread         ${[...threads].filter(([, v]) => v >= 0.1).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(', ') || 'n/a'} (the sync)`,
      `CPU beside the sync   influxd ${others.influxd.toFixed(1)} s, fake server child ${others.fake.toFixed(1)} s (the machine has ${availableParallelism()} cores: ${(((cpu.user + cpu.system) / 1e6 + others.influxd + others.fake) / (syncMs / 1000)).toFixed(2)} busy on average)`,
      `GC (sync)             ${gcs.minor} scavenges ${(gcs.minorMs / 1000).toFixed(1)} s, ${gcs.major} mark-compacts ${(gcs.majorMs / 1000).toFixed(1)} s (pauses)`,
      `Huami requests        ${r.requests}`,
      `points written        ${r.points} (+1 sync_run)`,
      `points/s              ${Math.round(r.points / (syncMs / 1000))}`,
      `peak RSS              ${mb(peakRssKb)} MB (target ≤ 150 MB: ${peakRssKb <= 150 * 1024 ? 'met' : 'MISSED'}; at most ${mb(peakSplit.anonKb)} MB anonymous and ${mb(peakSplit.fileKb)} MB file-backed, sampled every 250 ms)${fakeRssKb ? `; fake server child ${mb(fakeRssKb)} MB, not counted` : ''}`,
      `direct lines          ${lines.total} = the points written (${perStream})`,
      `direct ingest         ${(directMs / 1000).toFixed(1)} s, batch ${config.raw.INFLUX_BATCH_SIZE}, gzip, one batch at a time (${Math.round(lines.total / (directMs / 1000))} points/s; influxd CPU ${directInfluxCpu.toFixed(1)} s)`,
      `sync / direct         ${ratio.toFixed(2)}× (target ≤ 1.2×: ${ratio <= 1.2 ? 'met' : 'MISSED'})`,
    ];
    process.stdout.write(`${out.join('\n')}\n`);
    // The same figures as key=value rows, for the summary table (src/bench/table.ts).
    const rows = { bf_years: years, bf_days: r.daysFetched, bf_ms: Math.round(syncMs), bf_direct_ms: Math.round(directMs), bf_ratio: ratio.toFixed(2), bf_peak_mb: mb(peakRssKb), bf_peak_anon_mb: mb(peakSplit.anonKb), bf_peak_file_mb: mb(peakSplit.fileKb), bf_cpu_s: ((cpu.user + cpu.system) / 1e6).toFixed(1), bf_gc_minor: gcs.minor, bf_gc_minor_ms: Math.round(gcs.minorMs), bf_gc_major: gcs.major, bf_gc_major_ms: Math.round(gcs.majorMs), bf_requests: r.requests, bf_points: r.points, bf_direct_lines: lines.total };
    for (const [k, v] of Object.entries(rows)) process.stdout.write(`${k}=${v}\n`);
    return 0;
  } finally {
    await fake?.close();
    await influx.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
