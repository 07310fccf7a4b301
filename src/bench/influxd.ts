// A throw-away InfluxDB 1.6.7 (Debian package `influxdb`, INFLUXD_BIN or `influxd` on PATH)
// on loopback in a temp dir, that can be stopped and restarted on the same port and data.
// The bench uses it, and so do the tests (test/support/influxd.ts re-exports it): src/
// never imports test/.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface InfluxProcess {
  url: string;
  port: number;
  dir: string;
  /** Stop the server (SIGTERM) but keep its data dir, so start() can bring it back. */
  stop(): Promise<void>;
  /** (Re)start on the same port and data dir (nothing to do when it runs). */
  start(): Promise<void>;
  /** Whether the server process is up (started and not stopped). */
  running(): boolean;
  /** The server's pid while it runs. */
  pid(): number | undefined;
  /** Stop and delete the data dir. */
  destroy(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function influxdBinary(): string {
  return process.env.INFLUXD_BIN ?? 'influxd';
}

export async function startInfluxd(): Promise<InfluxProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'mifit-influx-'));
  const port = await freePort();
  const rpc = await freePort();
  const conf = `reporting-disabled = true
bind-address = "127.0.0.1:${rpc}"
[meta]
  dir = "${dir}/meta"
[data]
  dir = "${dir}/data"
  wal-dir = "${dir}/wal"
  query-log-enabled = false
[http]
  bind-address = "127.0.0.1:${port}"
  log-enabled = false
[monitor]
  store-enabled = false
`;
  writeFileSync(join(dir, 'influxdb.conf'), conf);
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    if (child && child.exitCode === null) return;
    child = spawn(influxdBinary(), ['run', '-config', join(dir, 'influxdb.conf')], {
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    child.unref();
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      try {
        const res = await fetch(`${url}/ping`);
        if (res.status === 204) return;
      } catch {
        /* not up yet */
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`influxd did not answer /ping on ${url} within 20 s (is the Debian package "influxdb" installed?)`);
  };

  const stop = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      // The child was unref'd so that it never holds a test run open; while we wait for
      // its exit it must (otherwise the process ends first and the data dir is left behind).
      c.ref();
      c.kill('SIGTERM');
      setTimeout(() => c.kill('SIGKILL'), 5_000).unref();
    });
  };

  await start();
  return {
    url,
    port,
    dir,
    start,
    stop,
    running: () => child !== undefined && child.exitCode === null,
    pid: () => (child && child.exitCode === null ? child.pid : undefined),
    destroy: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface BenchInflux {
  url: string;
  query(q: string): Promise<unknown>;
  /** The influxd pid (for its CPU time). */
  pid(): number | undefined;
  destroy(): Promise<void>;
}

/** startInfluxd() plus an InfluxQL helper, for the bench. */
export async function startBenchInflux(): Promise<BenchInflux> {
  const influx = await startInfluxd();
  return {
    url: influx.url,
    async query(q) {
      const res = await fetch(`${influx.url}/query`, { method: 'POST', body: new URLSearchParams({ q, epoch: 's' }) });
      if (!res.ok) throw new Error(`InfluxQL ${res.status}: ${await res.text()}`);
      return res.json();
    },
    pid: influx.pid,
    destroy: influx.destroy,
  };
}
