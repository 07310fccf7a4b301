// The sync itself as the daemon runs it: one writer, one Huami client per account and the
// SYNC_CONCURRENCY slots shared by every run going at the same time (overlapping per-account
// runs), for the lifetime of the process that holds them: the sync worker
// (src/daemon/worker.ts) or, with SYNC_WORKER=inline, the daemon itself. The daemon's module
// graph reaches this file only through import(), so a daemon with a worker never loads the
// fetch, decode and write code.
import pLimit from 'p-limit';
import type { AppConfig } from '../config/load.js';
import { createClientPool, type ClientFactory } from '../fetch/pool.js';
import type { Logger } from '../log.js';
import { runSync } from '../sync/index.js';
import { createWriter, writerOptions, type Writer } from '../write/index.js';
import { checkCredentials, tokenNotes } from './credentials.js';
import type { SyncBackend } from './worker-protocol.js';

/** Replaceable parts, for tests (they cannot cross into a worker process). */
export interface EngineDeps {
  runSync?: typeof runSync;
  createWriter?: typeof createWriter;
  clientFactory?: ClientFactory;
}

export interface EngineOptions {
  config: AppConfig;
  logger: Logger;
  /** Every Huami request's outcome (the /metrics counter). */
  onHuamiRequest(status: number | 'error'): void;
  deps?: EngineDeps | undefined;
}

/** The sync, the credentials check and the writer of this process. */
export function createEngine(o: EngineOptions): SyncBackend {
  const { config, logger: log } = o;
  // Aborted at shutdown so that a write or a Huami request retrying through an outage gives up at once.
  const shutdownSignal = new AbortController();
  const writer: Writer = (o.deps?.createWriter ?? createWriter)(writerOptions(config.raw), log, { signal: shutdownSignal.signal });
  const clientFor = createClientPool(config, log.child({ stage: 'huami' }), o.onHuamiRequest, {
    factory: o.deps?.clientFactory,
    signal: shutdownSignal.signal, // ends a Huami back-off wait at shutdown, like the writer's
  });
  const sync = o.deps?.runSync ?? runSync;
  // SYNC_CONCURRENCY slots shared by every run, also when per-account runs overlap.
  const limit = pLimit(Math.max(1, config.raw.SYNC_CONCURRENCY || 1));
  return {
    async sync(signal, keys, onProgress) {
      const results = await sync({ config, logger: log.child({ stage: 'sync' }), writer, clientFor, now: () => new Date(), signal, onProgress, limit }, keys ? { keys } : {});
      return { results, tokens: tokenNotes(config.accounts, clientFor) };
    },
    checkCredentials: () => checkCredentials(config.accounts, clientFor),
    abort: () => shutdownSignal.abort(),
    close: () => writer.close(),
  };
}
