// `mifit-sync fake-server` from the built CLI: prints its URL, the demo credentials and an app
// token that works, answers band_data.json, and stops cleanly on SIGTERM.
// Needs `tsc -p tsconfig.build.json` first (npm test does it).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');

describe('mifit-sync fake-server', () => {
  it('starts on a free port, serves the demo account with the printed token, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [CLI, 'fake-server', '--port', '0', '--seed', '3', '--from', '2025-01-01', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 20_000);
        child.stdout.on('data', () => /app token: \S+/.test(out) && (clearTimeout(timer), resolve()));
      });
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      const token = /app token: (\S+)/.exec(out)?.[1];
      expect(out).toContain('demo@example.com / demo-password');
      expect(url).toBeDefined();
      const today = new Date().toISOString().slice(0, 10);
      const res = await fetch(`${url}/v1/data/band_data.json?query_type=summary&userid=1000000001&from_date=2025-01-01&to_date=${today}&device_type=android_phone`, { headers: { apptoken: token ?? '' } });
      const body = (await res.json()) as { code: number; data: { date_time: string }[] };
      expect([res.status, body.code]).toEqual([200, 1]);
      expect(body.data[0]?.date_time.startsWith('2025-01-0')).toBe(true); // --from is honoured
      expect(body.data.length).toBeGreaterThan(300);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('rejects a malformed --from with exit code 2', async () => {
    const child = spawn(process.execPath, [CLI, 'fake-server', '--from', '2025-02-30'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(code).toBe(2);
    expect(err).toContain('--from');
  });
});
