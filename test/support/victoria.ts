// Starts VictoriaMetrics (Debian package `victoria-metrics`) on loopback in a temp dir: a
// second, independent implementation of /api/v2/write.
// Each field becomes the metric `<measurement>_<field>`, tags become labels, string fields 0.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './influxd.js';

export interface VictoriaProcess {
  url: string;
  /** Make just-written rows visible to export (GET /internal/force_flush). */
  flush(): Promise<void>;
  /** Rows of /api/v1/export for a series selector, e.g. `{__name__=~"heart_rate_.*"}`. */
  exportSeries(match: string): Promise<VictoriaSeries[]>;
  /** Stop the process and delete its data dir. */
  destroy(): Promise<void>;
}

export interface VictoriaSeries {
  metric: Record<string, string>;
  values: number[];
  /** Milliseconds. */
  timestamps: number[];
}

/** Start VictoriaMetrics; resolves once /health answers OK. */
export async function startVictoria(): Promise<VictoriaProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'mifit-vm-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // -retentionPeriod=100y: with the default one month, older rows are dropped silently.
  const child: ChildProcess = spawn(
    process.env.VICTORIA_BIN ?? 'victoria-metrics',
    ['-retentionPeriod=100y', `-httpListenAddr=127.0.0.1:${port}`, `-storageDataPath=${join(dir, 'data')}`, '-loggerLevel=ERROR'],
    { stdio: ['ignore', 'ignore', 'ignore'] },
  );
  child.unref();
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`victoria-metrics did not answer /health on ${url} (is the Debian package "victoria-metrics" installed?)`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    async flush() {
      await fetch(`${url}/internal/force_flush`);
    },
    async exportSeries(match) {
      const res = await fetch(`${url}/api/v1/export`, { method: 'POST', body: new URLSearchParams({ 'match[]': match, start: '0' }) });
      const text = await res.text();
      if (!res.ok) throw new Error(`export failed (${res.status}): ${text}`);
      return text
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as VictoriaSeries);
    },
    async destroy() {
      if (child.exitCode === null) {
        await new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.ref(); // unref'd at start; hold the process open until it has exited
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
        });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
