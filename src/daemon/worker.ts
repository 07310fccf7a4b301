// The sync worker: the child process a daemon with SYNC_WORKER=process forks when a run or a
// credentials check needs it (src/daemon/worker-host.ts). It holds the sync engine
// (src/daemon/engine.ts) for every run going at the moment, answers over the IPC channel
// (src/daemon/worker-protocol.ts) and writes its own log lines to the same stream as the
// daemon. It ends when the daemon lets go of it (idle, or stopping), when the daemon is gone
// (the IPC channel closed) or on SIGTERM/SIGINT: running days are aborted between days, the
// writer is flushed, then the process exits and its memory goes back to the system.
import { createLogger, type Logger } from '../log.js';
import { createEngine } from './engine.js';
import { allWithin } from './within.js';
import { toWire, type FromWorker, type SyncBackend, type ToWorker } from './worker-protocol.js';

/** How long a worker whose daemon is gone waits for its runs to stop between days. */
const ORPHAN_GRACE_MS = 15_000;

let engine: SyncBackend | undefined;
let log: Logger | undefined;
const runs = new Map<number, { controller: AbortController; done: Promise<void> }>();
let ending: Promise<void> | undefined;

/** Send to the daemon; resolves once handed over (never rejects: a gone daemon is not an error here). */
function send(m: FromWorker): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected || !process.send) return resolve();
    process.send(m, undefined, {}, () => resolve());
  });
}

function handle(m: ToWorker): void {
  switch (m.type) {
    case 'init':
      log = createLogger(m.logLevel);
      engine = createEngine({ config: m.config, logger: log, onHuamiRequest: (status) => void send({ type: 'huami', status }) });
      return;
    case 'sync': {
      const id = m.id;
      const controller = new AbortController();
      const done = (async () => {
        try {
          const outcome = await engineOf().sync(controller.signal, m.keys, (progress) => void send({ type: 'progress', id, progress }));
          await send({ type: 'synced', id, outcome });
        } catch (err) {
          await send({ type: 'failed', id, error: toWire(err) });
        } finally {
          runs.delete(id);
        }
      })();
      runs.set(id, { controller, done });
      return;
    }
    case 'abort':
      runs.get(m.id)?.controller.abort();
      return;
    case 'check': {
      const id = m.id;
      const done = engineOf()
        .checkCredentials()
        .then(
          (checks) => send({ type: 'checked', id, checks }),
          (err: unknown) => send({ type: 'failed', id, error: toWire(err) }),
        )
        .finally(() => runs.delete(id));
      runs.set(id, { controller: new AbortController(), done });
      return;
    }
    case 'shutdown':
      engine?.abort();
      return;
  }
}

function engineOf(): SyncBackend {
  if (!engine) throw new Error('the sync worker got work before its configuration');
  return engine;
}

/** Stop: abort what still runs (when `abort`), wait for it up to `graceMs`, flush the writer, exit. */
function end(abort: boolean, graceMs: number): Promise<void> {
  return (ending ??= (async () => {
    if (abort) {
      engine?.abort();
      for (const r of runs.values()) r.controller.abort();
    }
    await allWithin([...runs.values()].map((r) => r.done), graceMs);
    await engine?.close().catch((err: unknown) => log?.warn({ err: (err as Error).message }, 'closing the writer failed'));
    if (process.connected) process.disconnect();
    // A keep-alive socket of a client library must not keep the worker (and its memory) alive.
    process.exit(0);
  })());
}

process.on('message', (m: ToWorker) => handle(m));
// The daemon let go of the worker (idle or stopping; it has waited for the runs already), or it is
// gone: either way nobody is left to hand work over or to wait for it.
process.on('disconnect', () => void end(true, ORPHAN_GRACE_MS));
// A stop signal aimed at the worker itself (a terminal's Ctrl-C reaches the whole process group):
// the runs end between days and answer the daemon, which decides what comes next.
for (const s of ['SIGTERM', 'SIGINT'] as const) process.on(s, () => void end(true, ORPHAN_GRACE_MS));
