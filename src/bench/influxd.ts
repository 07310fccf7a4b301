// A throw-away InfluxDB 1.6.7 (Debian package `influxdb`) for the bench, on loopback in
// a temp dir. A trimmed copy of test/support/influxd.ts, because src/ never imports test/.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BenchInflux {
  url: string;
  query(q: string): Promise<unknown>;
  destroy(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

/** Start influxd (INFLUXD_BIN or `influxd` on PATH) and wait for /ping. */
export async function startBenchInflux(): Promise<BenchInflux> {
  const dir = mkdtempSync(join(tmpdir(), 'mifit-bench-influx-'));
  const [port, rpc] = [await freePort(), await freePort()];
  writeFileSync(
    join(dir, 'influxdb.conf'),
    `reporting-disabled = true\nbind-address = "127.0.0.1:${rpc}"\n[meta]\n  dir = "${dir}/meta"\n[data]\n  dir = "${dir}/data"\n  wal-dir = "${dir}/wal"\n  query-log-enabled = false\n[http]\n  bind-address = "127.0.0.1:${port}"\n  log-enabled = false\n[monitor]\n  store-enabled = false\n`,
  );
  const child = spawn(process.env.INFLUXD_BIN ?? 'influxd', ['run', '-config', join(dir, 'influxdb.conf')], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    const up = await fetch(`${url}/ping`).then((r) => r.status === 204, () => false);
    if (up) break;
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`influxd did not start on ${url} (is the Debian package "influxdb" installed?)`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    async query(q) {
      const res = await fetch(`${url}/query`, { method: 'POST', body: new URLSearchParams({ q, epoch: 's' }) });
      if (!res.ok) throw new Error(`InfluxQL ${res.status}: ${await res.text()}`);
      return res.json();
    },
    async destroy() {
      if (child.exitCode === null) {
        await new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
        });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
