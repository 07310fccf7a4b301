// Runs the built daemon (`node dist/cli.js daemon`) as a child process, the way the
// container does, and helps tests watch it: health polling, metrics, logs, clean stop.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { archiveLog } from './log-archive.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'dist/cli.js');

function newestMtime(dir: string): number {
  let max = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    max = Math.max(max, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return max;
}

/** Written after each build (here and by scripts/run-tests.mjs): when dist/ last matched src/. */
export const BUILD_STAMP = join(ROOT, 'dist/.build-stamp');

/**
 * Build dist/ when a file in src/ is newer than the last build: tsc -p tsconfig.build.json,
 * incremental with the same build info as scripts/run-tests.mjs (it emits despite others' type errors).
 */
export function ensureBuilt(): void {
  const built = existsSync(BUILD_STAMP) && existsSync(CLI) ? statSync(BUILD_STAMP).mtimeMs : 0;
  if (built >= newestMtime(join(ROOT, 'src')) && existsSync(join(ROOT, 'dist/fake/index.js'))) return;
  const info = join(ROOT, 'node_modules/.cache/mifit-sync/build.tsbuildinfo');
  // An incremental build does not notice a deleted dist/: start from scratch then.
  if (!existsSync(CLI)) rmSync(info, { force: true });
  const started = new Date();
  spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--incremental', '--tsBuildInfoFile', info], { cwd: ROOT, stdio: 'ignore' });
  if (!existsSync(CLI)) throw new Error('the build did not produce dist/cli.js');
  chmodSync(CLI, 0o755); // as `npm run build` leaves it
  writeFileSync(BUILD_STAMP, '');
  utimesSync(BUILD_STAMP, started, started); // a src/ change during the build still counts as newer
}

export interface DaemonProcess {
  url: string;
  child: ChildProcess;
  /** Everything the daemon logged so far (stdout + stderr). */
  logs(): string;
  health(): Promise<{ status: number; body: { status: string; reasons: string[] } }>;
  metrics(): Promise<string>;
  state(): Promise<{ runCount: number; running: boolean; demo: boolean; accounts: Record<string, unknown>[] }>;
  /** Poll /healthz until it answers `status` (and `pred` holds on the body). */
  waitForHealth(status: number, timeoutMs?: number, pred?: (b: { status: string; reasons: string[] }) => boolean): Promise<void>;
  /** Send a signal and resolve with the exit code and how long the exit took. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; ms: number }>;
}

/** Sum of a Prometheus sample over all label sets matching `labels` (substring match). */
export function metricValue(text: string, name: string, labels = ''): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || line.startsWith('#')) continue;
    const m = /^([a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (m && m[1] === name && (m[2] ?? '').includes(labels)) sum += Number(m[3]);
  }
  return sum;
}

/** Start `node dist/cli.js daemon` (of `appDir`, default the checkout) with exactly this environment (plus PATH). */
export async function spawnDaemon(env: Record<string, string>, startTimeoutMs = 20_000, appDir = ROOT): Promise<DaemonProcess> {
  const port = Number(env.HTTP_PORT);
  const child = spawn(process.execPath, [join(appDir, 'dist/cli.js'), 'daemon'], { cwd: appDir, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  // With HTTP_AUTH_TOKEN every path but /healthz needs it (README "HTTP access").
  const auth: Record<string, string> = env.HTTP_AUTH_TOKEN ? { authorization: `Bearer ${env.HTTP_AUTH_TOKEN}` } : {};
  child.once('close', () => archiveLog('daemon', out));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const health = async () => {
    const r = await fetch(`${url}/healthz`);
    return { status: r.status, body: (await r.json()) as { status: string; reasons: string[] } };
  };
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`daemon exited with ${child.exitCode}:\n${out}`);
    try {
      await health();
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`daemon did not answer on ${url}:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    child,
    logs: () => out,
    health,
    metrics: async () => (await fetch(`${url}/metrics`, { headers: auth })).text(),
    state: async () => (await (await fetch(`${url}/api/status`, { headers: auth })).json()) as Awaited<ReturnType<DaemonProcess['state']>>,
    async waitForHealth(status, timeoutMs = 60_000, pred = () => true) {
      const end = Date.now() + timeoutMs;
      let last: unknown;
      while (Date.now() < end) {
        try {
          const h = await health();
          last = h;
          if (h.status === status && pred(h.body)) return;
        } catch (err) {
          last = err;
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error(`/healthz did not become ${status} within ${timeoutMs} ms; last: ${JSON.stringify(last)}\n${out.slice(-4000)}`);
    },
    async stop(signal = 'SIGTERM', timeoutMs = 30_000) {
      if (child.exitCode !== null) return { code: child.exitCode, ms: 0 };
      const t = Date.now();
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return { code, ms: Date.now() - t };
    },
  };
}
