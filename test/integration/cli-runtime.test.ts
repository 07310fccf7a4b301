// Running without Docker: dist/cli.js is executable, says which Node it needs and which runs it,
// refuses a too-old Node with the way out, and the README's "Running without Docker" commands
// work as written (npm ci and npm run build are what the test run itself did first).
import { execFile, spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, inject, it, vi } from 'vitest';
import { runtimeProblem } from '../../src/commands/runtime.js';
import { ROOT, ensureBuilt } from '../support/daemon-cli.js';
import { createTestDatabase, freePort } from '../support/influxd.js';

const CLI = join(ROOT, 'dist/cli.js');
/** PATH with the Node that runs the tests (24) first, as `npx` or a Node 24 install puts it. */
const PATH = `${dirname(process.execPath)}:${process.env.PATH ?? ''}`;
const sh = (line: string, env: Record<string, string> = {}) =>
  promisify(execFile)('bash', ['-c', line], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env }, timeout: 120_000 });

/** The shell lines of the README section (code blocks only, comments cut off). */
function readmeLines(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith('Running without Docker\n'));
  if (!section) throw new Error('README has no "Running without Docker" section');
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split('\n')).map((l) => l.replace(/\s+#.*$/, '').trim()).filter(Boolean);
}

const started: number[] = [];
afterAll(() => {
  for (const pid of started) {
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
});

describe('the CLI outside Docker', () => {
  it('dist/cli.js is executable with a node shebang and says which Node it needs and which runs it', async () => {
    ensureBuilt();
    expect(readFileSync(CLI, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    expect(statSync(CLI).mode & 0o111).toBe(0o111);
    const { stdout } = await promisify(execFile)(CLI, ['--version'], { env: { PATH } });
    const engines = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
    expect(stdout).toContain(`needs Node ${engines}; runs on Node ${process.version} (`);
    const help = await promisify(execFile)(CLI, ['--help'], { env: { PATH } });
    expect(help.stdout).toContain(`needs Node ${engines}; runs on Node ${process.version}`);
  });

  it('refuses a Node older than 24 and says how to run Node 24', () => {
    expect(runtimeProblem('v20.20.2', '/usr/bin/node')).toMatch(/needs Node .*; runs on Node v20\.20\.2 \(\/usr\/bin\/node\)\.\n {2}Run it with the Node 24 that "npm ci" installed: npx node dist\/cli\.js/);
    expect(runtimeProblem('v24.0.0', '/x/node')).toBeUndefined();
  });

  it('the README commands work as written', async () => {
    ensureBuilt();
    const lines = readmeLines();
    expect(lines.slice(0, 2)).toEqual(['npm ci', 'npm run build']); // done before the tests ran
    const check = lines.slice(2, 4);
    expect(check).toEqual(['npx node --version', 'npx node dist/cli.js --version']);
    expect((await sh(check[0]!)).stdout).toMatch(/^v24\./);
    expect((await sh(check[1]!)).stdout).toMatch(/runs on Node v24\./);

    // The demo: the fake server on the README's port (another free one here) and a sync
    // into the README's database (a fresh one here).
    const [fakeLine, syncLine] = lines.slice(4);
    expect(fakeLine).toMatch(/^npx node dist\/cli\.js fake-server --port 8089/);
    const port = String(await freePort());
    const db = await createTestDatabase(inject('influxUrl'), 'readme');
    const fake = spawn('bash', ['-c', fakeLine!.replace('8089', port)], { cwd: ROOT, detached: true, stdio: 'ignore', env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' } });
    started.push(fake.pid!);
    await vi.waitFor(async () => expect((await fetch(`http://127.0.0.1:${port}/`).catch(() => undefined)) !== undefined).toBe(true), { timeout: 30_000, interval: 100 });
    const line = syncLine!.replace('127.0.0.1:8089', `127.0.0.1:${port}`).replace('http://127.0.0.1:8086', inject('influxUrl')).replace('INFLUX_DATABASE=mifit', `INFLUX_DATABASE=${db}`);
    const r = await sh(line); // a year of demo data, as a reader gets it
    expect(r.stdout).toMatch(/^sync demo: ok in /m);
    process.kill(-fake.pid!, 'SIGTERM');
  }, 150_000);
});
