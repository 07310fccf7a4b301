// The daemon's side of the sync worker (SYNC_WORKER=process): one child process at a time
// (src/daemon/worker.ts, forked with the daemon's own node flags and environment, so the
// image's NODE_OPTIONS apply), started when a run or a credentials check needs it, serving
// every piece of work going at that moment, let go WORKER_IDLE_MS after the last one ended
// so that it exits and its memory goes back to the system. A worker that dies fails what it
// had with an error naming how it ended; the next piece of work starts a fresh one.
import { fork, type ChildProcess } from 'node:child_process';
import type { AppConfig } from '../config/load.js';
import type { Logger } from '../log.js';
import type { CredentialsCheck } from './credentials.js';
import type { RunProgress } from './status.js';
import {
  describeExit,
  fromWire,
  isFromWorker,
  workerExitedError,
  type FromWorker,
  type SyncBackend,
  type SyncOutcome,
  type ToWorker,
} from './worker-protocol.js';
import { allWithin } from './within.js';

/** How long an idle worker is kept for the next run (per-account runs of many accounts come seconds apart). */
export const WORKER_IDLE_MS = 10_000;
/** How long close() waits for the worker to flush and exit before it is killed. */
const CLOSE_WAIT_MS = 5_000;

export interface WorkerHostOptions {
  /** The built worker entry (dist/daemon/worker.js). */
  entry: string;
  config: AppConfig;
  logLevel: string;
  logger: Logger;
  onHuamiRequest(status: number | 'error'): void;
  idleMs?: number;
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  onProgress?: ((e: RunProgress) => void) | undefined;
}

interface Worker {
  proc: ChildProcess;
  pending: Map<number, Pending>;
  exited: Promise<void>;
}

export function createWorkerHost(o: WorkerHostOptions): SyncBackend {
  const log = o.logger.child({ stage: 'worker' });
  const idleMs = o.idleMs ?? WORKER_IDLE_MS;
  let current: Worker | undefined;
  /** Workers let go of but not yet exited (close() waits for them). */
  const leaving = new Set<Worker>();
  let idleTimer: NodeJS.Timeout | undefined;
  let nextId = 1;
  let closed = false;

  const post = (w: Worker, m: ToWorker): void => {
    // A worker that just died: its 'exit' fails the work it had.
    if (w.proc.connected) w.proc.send(m, (err) => err && log.debug({ err: err.message }, 'message to the sync worker not delivered'));
  };

  const onMessage = (w: Worker, m: FromWorker): void => {
    if (m.type === 'huami') return o.onHuamiRequest(m.status);
    const p = w.pending.get(m.id);
    if (!p) return;
    if (m.type === 'progress') return p.onProgress?.(m.progress);
    w.pending.delete(m.id);
    if (m.type === 'failed') p.reject(fromWire(m.error));
    else p.resolve(m.type === 'synced' ? m.outcome : m.checks);
    if (w.pending.size === 0 && w === current) scheduleRetire();
  };

  const start = (): Worker => {
    const proc = fork(o.entry, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let exitedResolve!: () => void;
    const w: Worker = { proc, pending: new Map(), exited: new Promise((r) => (exitedResolve = r)) };
    proc.on('message', (m: unknown) => {
      if (isFromWorker(m)) onMessage(w, m);
    });
    proc.on('error', (err) => log.warn({ err: err.message }, 'sync worker error'));
    proc.once('exit', (code, signal) => {
      if (current === w) current = undefined;
      leaving.delete(w);
      if (w.pending.size > 0) {
        log.error({ pid: proc.pid, code, signal, pending: w.pending.size }, describeExit(code, signal));
        for (const p of w.pending.values()) p.reject(workerExitedError(code, signal));
        w.pending.clear();
      } else log.debug({ pid: proc.pid, code, signal }, 'sync worker exited');
      exitedResolve();
    });
    post(w, { type: 'init', config: o.config, logLevel: o.logLevel });
    log.debug({ pid: proc.pid }, 'sync worker started');
    return w;
  };

  const retire = (w: Worker): void => {
    if (current === w) current = undefined;
    leaving.add(w);
    // The worker ends on 'disconnect': flushes its writer and exits.
    if (w.proc.connected) w.proc.disconnect();
  };

  const scheduleRetire = (): void => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      idleTimer = undefined;
      if (current && current.pending.size === 0) retire(current);
    }, idleMs);
    idleTimer.unref();
  };

  const request = <T>(m: (id: number) => ToWorker, onProgress?: (e: RunProgress) => void, signal?: AbortSignal): Promise<T> => {
    if (closed) return Promise.reject(new Error('the daemon is stopping'));
    clearTimeout(idleTimer);
    const w = (current ??= start());
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      w.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onProgress });
      post(w, m(id));
      signal?.addEventListener('abort', () => post(w, { type: 'abort', id }), { once: true });
      if (signal?.aborted) post(w, { type: 'abort', id });
    });
  };

  return {
    sync: (signal, keys, onProgress) => request<SyncOutcome>((id) => ({ type: 'sync', id, ...(keys ? { keys: [...keys] } : {}) }), onProgress, signal),
    checkCredentials: () => request<CredentialsCheck[]>((id) => ({ type: 'check', id })),
    abort() {
      if (current) post(current, { type: 'shutdown' });
    },
    async close() {
      closed = true;
      clearTimeout(idleTimer);
      if (current) retire(current);
      const all = [...leaving];
      const ended = await allWithin(all.map((w) => w.exited), CLOSE_WAIT_MS);
      if (!ended) {
        for (const w of leaving) {
          log.warn({ pid: w.proc.pid }, 'the sync worker did not exit in time; killing it (its unfinished day is fetched again on the next start)');
          w.proc.kill('SIGKILL');
        }
        await Promise.all([...leaving].map((w) => w.exited));
      }
    },
    workerPid: () => current?.proc.pid,
  };
}
