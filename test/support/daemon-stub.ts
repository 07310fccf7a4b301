// A daemon with a controllable runSync and writer, for HTTP-contract tests that must
// decide exactly when a run starts, ends and what it returns. The full path (fake Huami
// server, real InfluxDB, the built CLI) is covered by test/integration/stack-*.test.ts.
import { loadConfig } from '../../src/config/load.js';
import { tempDir } from './tmp.js';
import { startDaemon, type Daemon } from '../../src/daemon/index.js';
import { createLogger } from '../../src/log.js';
import type { AccountRunResult } from '../../src/sync/types.js';
import type { Writer } from '../../src/write/index.js';

export interface StubDaemon {
  daemon: Daemon;
  /** Calls of runSync so far. */
  calls(): number;
  /** Let the current run finish with these results. */
  finish(results: AccountRunResult[]): void;
  /** Wait until runSync has been called `n` times. */
  waitForCalls(n: number, timeoutMs?: number): Promise<void>;
}

export async function startStubDaemon(env: Record<string, string>, syncNowIntervalMs = 60_000): Promise<StubDaemon> {
  // A state directory of its own (the daemon holds a lock on it for its lifetime); binds
  // HTTP_HOST (default 127.0.0.1) like the real daemon.
  const config = loadConfig({ HTTP_PORT: '0', DEMO_MODE: 'off', STATE_DIR: tempDir('mifit-stub-'), ...env });
  let calls = 0;
  let release: ((r: AccountRunResult[]) => void) | undefined;
  const writer: Writer = { check: async () => {}, write: async () => {}, deleteSpans: async () => {}, close: async () => {} };
  const daemon = await startDaemon({
    config,
    logger: createLogger('silent'),
    syncNowIntervalMs,
    deps: {
      createWriter: () => writer,
      runSync: () => {
        calls++;
        return new Promise<AccountRunResult[]>((resolve) => (release = resolve));
      },
    },
  });
  return {
    daemon,
    calls: () => calls,
    finish(results) {
      const r = release;
      release = undefined;
      r?.(results);
    },
    async waitForCalls(n, timeoutMs = 5_000) {
      const end = Date.now() + timeoutMs;
      while (calls < n) {
        if (Date.now() > end) throw new Error(`runSync was called ${calls} times, expected ${n}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}
