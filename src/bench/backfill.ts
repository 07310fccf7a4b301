// `npm run bench` (not a test): backfill BENCH_YEARS (default 10) years of summary + detail
// from the fake Huami server into a throw-away InfluxDB 1.6.7 through the real runSync, then
// post the same line protocol directly in the same batch size and compare. Targets:
// sync within 1.5× of direct ingest, peak RSS under 200 MB. The fake server stands in for a
// remote cloud, so it runs in a child process: the figures measure mifit-sync alone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/load.js';
import { createClientPool } from '../fetch/pool.js';
import { DEMO_EMAIL, DEMO_PASSWORD } from '../fake/accounts.js';
import { accountKey } from '../store/identity.js';
import { createLogger } from '../log.js';
import { addDays, todayIn } from '../sync/dates.js';
import { runSync } from '../sync/index.js';
import { RawArchive } from '../store/raw-archive.js';
import { createWriter, writerOptions } from '../write/index.js';
import { archiveToLineProtocol, postLineProtocol } from './direct-ingest.js';
import { startFakeChild, type BenchFake } from './fake-child.js';
import { startBenchInflux } from './influxd.js';

const ZONE = 'Europe/Berlin';
const mb = (kb: number): string => (kb / 1024).toFixed(0);

/** Node/V8 flags the measured process runs with: RSS depends on them (e.g. --max-semi-space-size). */
function v8Flags(): string {
  const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].filter(Boolean);
  return flags.length ? flags.join(' ') : 'none (defaults)';
}

async function main(): Promise<number> {
  const years = Number(process.env.BENCH_YEARS ?? 10);
  if (!(years > 0)) throw new Error('BENCH_YEARS must be a positive number');
  const from = addDays(todayIn(ZONE, new Date()), -Math.round(years * 365.25) + 1);
  const dir = mkdtempSync(join(tmpdir(), 'mifit-bench-'));
  const influx = await startBenchInflux();
  let fake: BenchFake | undefined;
  try {
    // The fake-server command's demo user lives in Europe/Berlin (its default zone) = ZONE.
    fake = await startFakeChild(from);
    await influx.query('CREATE DATABASE bench');
    await influx.query('CREATE DATABASE direct');
    const env = {
      INFLUX_URL: influx.url, INFLUX_DATABASE: 'bench', INFLUX_API_VERSION: '1', STATE_DIR: join(dir, 'state'),
      HUAMI_BASE_URL: fake.url, HUAMI_EMAIL: DEMO_EMAIL, HUAMI_PASSWORD: DEMO_PASSWORD, ACCOUNT_NAME: 'bench',
      TIMEZONE: ZONE, SYNC_START_DATE: from, SYNC_DETAIL: 'true', DEMO_MODE: 'off', LOG_LEVEL: 'warn',
    };
    const config = loadConfig(env);
    const logger = createLogger(process.env.BENCH_LOG_LEVEL ?? 'warn');
    const writer = createWriter(writerOptions(config.raw), logger);
    if (process.env.BENCH_TRACE) {
      const stats = new Map<string, { calls: number; points: number; ms: number }>();
      const w0 = writer.write.bind(writer);
      const d0 = writer.deleteSpans.bind(writer);
      const add = (k: string, n: number, ms: number): void => {
        const e = stats.get(k) ?? { calls: 0, points: 0, ms: 0 };
        e.calls++; e.points += n; e.ms += ms;
        stats.set(k, e);
      };
      writer.write = async (pts) => { const t = performance.now(); try { return await w0(pts); } finally { add(`write ${pts[0]?.measurement}`, pts.length, performance.now() - t); } };
      writer.deleteSpans = async (u, sp) => { const t = performance.now(); try { return await d0(u, sp); } finally { add(`delete ${sp[0]?.measurement}`, sp.length, performance.now() - t); } };
      process.on('exit', () => { for (const [k, v] of stats) process.stderr.write(`WSTAT ${k} calls=${v.calls} n=${v.points} ms=${Math.round(v.ms)}\n`); });
    }
    process.stderr.write(`bench: backfilling ${years} years (${from} → today) of summary + detail …\n`);
    let label = 'start';
    const trace = process.env.BENCH_TRACE ? setInterval(() => {
      const m = process.memoryUsage();
      process.stderr.write(`TRACE ${new Date().toISOString()} ${label} rss=${Math.round(m.rss / 2 ** 20)} heap=${Math.round(m.heapUsed / 2 ** 20)}/${Math.round(m.heapTotal / 2 ** 20)} ext=${Math.round(m.external / 2 ** 20)} ab=${Math.round(m.arrayBuffers / 2 ** 20)}\n`);
    }, Number(process.env.BENCH_TRACE)) : undefined;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const [r] = await runSync({ config, logger, writer, clientFor: createClientPool(config, logger, () => undefined), now: () => new Date(), onProgress: (e) => { label = e.day; } });
    if (trace) clearInterval(trace);
    const syncMs = performance.now() - t0;
    const peakRssKb = process.resourceUsage().maxRSS;
    const cpu = process.cpuUsage(cpu0);
    const fakeRssKb = fake.peakRssKb();
    await writer.close();
    if (!r?.ok) throw new Error(`sync failed: ${r?.error?.code} ${r?.error?.message}`);

    const lpFile = join(dir, 'direct.lp');
    const account = config.accounts[0];
    if (!account) throw new Error('no account');
    const lines = await archiveToLineProtocol(new RawArchive(config.raw.STATE_DIR, accountKey(account)), lpFile, { timeZone: ZONE, user: 'bench' });
    const directMs = await postLineProtocol(lpFile, influx.url, 'direct', config.raw.INFLUX_BATCH_SIZE);
    const ratio = syncMs / directMs;

    const out = [
      `years                 ${years} (${r.daysFetched} days, detail)`,
      `measured              the mifit-sync process only (fake Huami server in a child process, influxd separate)`,
      `node                  ${process.version}, V8 flags: ${v8Flags()}`,
      `wall time (sync)      ${(syncMs / 1000).toFixed(1)} s (CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s)`,
      `Huami requests        ${r.requests}`,
      `points written        ${r.points} (+1 sync_run)`,
      `points/s              ${Math.round(r.points / (syncMs / 1000))}`,
      `peak RSS              ${mb(peakRssKb)} MB (target < 200 MB: ${peakRssKb < 200 * 1024 ? 'met' : 'MISSED'})${fakeRssKb ? `; fake server child ${mb(fakeRssKb)} MB, not counted` : ''}`,
      `direct ingest         ${(directMs / 1000).toFixed(1)} s for ${lines} lines, batch ${config.raw.INFLUX_BATCH_SIZE}, gzip (${Math.round(lines / (directMs / 1000))} points/s)`,
      `sync / direct         ${ratio.toFixed(2)}× (target ≤ 1.5×: ${ratio <= 1.5 ? 'met' : 'MISSED'})`,
    ];
    process.stdout.write(`${out.join('\n')}\n`);
    // The same figures as key=value rows, for the summary table (src/bench/table.ts).
    const rows = { bf_years: years, bf_days: r.daysFetched, bf_ms: Math.round(syncMs), bf_direct_ms: Math.round(directMs), bf_ratio: ratio.toFixed(2), bf_peak_mb: mb(peakRssKb), bf_requests: r.requests, bf_points: r.points, bf_direct_lines: lines };
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
