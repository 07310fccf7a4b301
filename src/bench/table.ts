// `npm run bench` (not a test): runs every bench in its own process, one after the other, and
// prints ONE table with each figure, its target and whether this run met it. Scale with
// BENCH_YEARS (backfill, default 10), BENCH_ACCOUNTS (many accounts, default 200) and
// BENCH_IDLE_WAIT_S (idle, default 60). Figures swing ±20 % between runs on a shared machine:
// only ratios within one run count.
import { spawn } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IMAGE_MALLOC_ENV, IMAGE_V8_ARGS } from './image.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The image's V8 heap caps (Dockerfile NODE_OPTIONS); runs with them also get the image's allocator settings. */
const IMAGE = [...IMAGE_V8_ARGS];
type Rows = Record<string, string>;

/** Run one bench script; its human lines pass through, its key=value lines are returned. */
function run(script: string, args: string[], flags: string[] = []): Promise<Rows> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...flags, join(here, script), ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_OPTIONS: '', ...(flags === IMAGE ? IMAGE_MALLOC_ENV : {}) } });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (c: string) => (out += c));
    child.once('error', reject);
    child.once('exit', (code) => {
      const rows: Rows = {};
      for (const line of out.split('\n')) {
        const m = /^([a-z_]+)=(.*)$/.exec(line);
        if (m?.[1]) rows[m[1]] = m[2] ?? '';
        else if (line.trim()) process.stdout.write(`${line}\n`);
      }
      if (code !== 0) reject(new Error(`${script} ${args.join(' ')} exited with code ${code}`));
      else resolve(rows);
    });
  });
}

const verdict = (ok: boolean | undefined): string => (ok === undefined ? '—' : ok ? 'met' : 'MISSED');
const s = (ms: string | undefined): string => `${(Number(ms) / 1000).toFixed(1)} s`;

/** A bench that fails is reported and leaves its rows empty; the others still run. */
async function tryRun(script: string, args: string[], flags: string[] = []): Promise<Rows> {
  try {
    return await run(script, args, flags);
  } catch (err) {
    process.stdout.write(`${script} ${args.join(' ')} FAILED: ${(err as Error).message}\n`);
    return {};
  }
}

async function main(): Promise<void> {
  await tryRun('throughput.js', []);
  await tryRun('shutdown.js', []);
  const bfDefault = await tryRun('backfill.js', []);
  const bfImage = await tryRun('backfill.js', [], IMAGE);
  const idle = await tryRun('scenarios.js', ['idle']);
  const rw = await tryRun('scenarios.js', ['rewrite'], IMAGE);
  const accDefault = await tryRun('scenarios.js', ['accounts']);
  const accImage = await tryRun('scenarios.js', ['accounts'], IMAGE);

  const table: [string, string, string, string][] = [];
  const backfill = (label: string, r: Rows, target: boolean): void => {
    const ok = Number(r.bf_ratio) <= 1.2 && Number(r.bf_peak_mb) <= 150;
    table.push([`Backfill ${r.bf_years} years (${r.bf_days} days, ${r.bf_points} points, ${r.bf_requests} requests), ${label}`, `${s(r.bf_ms)}, ${r.bf_ratio}× direct ingest (${s(r.bf_direct_ms)} posting the same ${r.bf_direct_lines} lines, every stream, one batch at a time), peak RSS ${r.bf_peak_mb} MB${r.bf_peak_anon_mb ? ` (anonymous at most ${r.bf_peak_anon_mb} MB, file-backed ${r.bf_peak_file_mb} MB)` : ''}`, target ? '≤ 1.2× and ≤ 150 MB' : '—', target ? verdict(ok) : '—']);
  };
  backfill('Node defaults', bfDefault, false);
  backfill("image's V8 caps", bfImage, true);
  table.push([
    `Daemon idle ${idle.idle_wait_s} s after a one-year sync, image's V8 caps, SYNC_WORKER=${idle.idle_sync_worker}`,
    `${idle.idle_rss_mb} MB RSS of the daemon and its workers (${idle.idle_children} worker left; daemon heap ${idle.idle_heap_used_mb} MB used of ${idle.idle_heap_total_mb} MB; ${idle.idle_after_run_mb} MB when the run ended, peak ${idle.idle_peak_mb} MB; the daemon alone ${idle.idle_start_mb} MB at start-up)`,
    '≤ 80 MB',
    verdict(Number(idle.idle_rss_mb) <= 80),
  ]);
  const first = Number(rw.rw_first_ms);
  const force = Number(rw.rw_force_ms) / first;
  const reprocess = Number(rw.rw_reprocess_ms) / first;
  table.push([`Rewrite of a year (${rw.rw_days} days), image's V8 caps: sync --force`, `${s(rw.rw_force_ms)} = ${force.toFixed(2)}× the first write (${s(rw.rw_first_ms)})`, '≤ 1.5×', verdict(force <= 1.5)]);
  table.push(['The same: reprocess', `${s(rw.rw_reprocess_ms)} = ${reprocess.toFixed(2)}× the first write`, '≤ 1.5×', verdict(reprocess <= 1.5)]);
  // result.requests counts every request of the run; events and workouts are counted apart too.
  const band = Number(rw.inc_requests) - Number(rw.inc_event_requests) - Number(rw.inc_workout_requests);
  table.push(['Incremental run after that year', `${rw.inc_requests} requests: band_data ${band}, events ${rw.inc_event_requests}, workouts ${rw.inc_workout_requests}`, 'band_data ≤ 3, every stream counted', verdict(band <= 3)]);
  const accounts = (label: string, r: Rows): void => {
    table.push([
      `${r.acc_n} accounts × 30 days, SYNC_CONCURRENCY=${r.acc_concurrency}, ${label}`,
      `${s(r.acc_ms)}, ${r.acc_ok} ok, peak RSS ${r.acc_peak_mb} MB, ${r.acc_req_min}–${r.acc_req_max} Huami requests per account, at most ${r.acc_max_in_flight} in flight, starts ${r.acc_first_start_s}–${r.acc_last_start_s} s; schedule ${r.acc_sched_first_min}–${r.acc_sched_last_min} min into 30 min, largest gap ${r.acc_sched_max_gap_s} s`,
      '≤ 200 MB',
      verdict(Number(r.acc_peak_mb) <= 200),
    ]);
  };
  accounts('Node defaults', accDefault);
  accounts("image's V8 caps", accImage);

  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  process.stdout.write(`\nmifit-sync bench, ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} cores (${cpu}), ${Math.round(totalmem() / 2 ** 30)} GB\n`);
  process.stdout.write('| What | Measured | Target | |\n|---|---|---|---|\n');
  for (const r of table) process.stdout.write(`| ${r.join(' | ')} |\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
