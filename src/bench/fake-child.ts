// The fake Huami cloud for the bench, in a CHILD process (`node dist/cli.js fake-server`):
// it stands in for a remote cloud, so generating its 2-3 MB responses must not count in the
// CPU time or peak RSS of the mifit-sync process being measured. BENCH_FAKE_NODE_FLAGS: Node
// flags for the child (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile the fake server).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BenchFake {
  url: string;
  /** The child's peak RSS in kB (Linux /proc VmHWM), undefined when unknown. */
  peakRssKb(): number | undefined;
  /** The child's pid (for its CPU time). */
  pid: number | undefined;
  close(): Promise<void>;
}

// src/commands/fake-server.ts prints this line first (then the demo credentials).
const LISTENING = /Fake Huami cloud listening on (http:\/\/\S+)/;

/** Start `mifit-sync fake-server --port 0 --from <from> --quiet` and wait for its URL. */
export async function startFakeChild(from: string, extraArgs: readonly string[] = []): Promise<BenchFake> {
  const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'cli.js');
  const nodeFlags = (process.env.BENCH_FAKE_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(process.execPath, [...nodeFlags, cli, 'fake-server', '--port', '0', '--from', from, '--quiet', ...extraArgs], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error('fake-server printed no URL within 20 s')), 20_000);
    const fail = (err: Error): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    };
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`fake-server exited early (code ${code}): ${out.trim()}`)));
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      out += chunk;
      const m = LISTENING.exec(out);
      if (!m?.[1]) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.stdout?.removeAllListeners('data');
      child.stdout?.resume(); // keep draining so the child never blocks on a full pipe
      resolve(m[1]);
    });
  });
  return { url, peakRssKb: () => procPeakRssKb(child), pid: child.pid, close: () => stop(child) };
}

function procPeakRssKb(child: ChildProcess): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
    return m?.[1] ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
  });
}
