// `mifit-sync daemon`: wires the runner, cron, the HTTP server and (in demo mode) the fake
// Huami server around the sync. Start and stop are a contract: stop() ends the timers, aborts
// the run between days, flushes the writer and closes the server. The sync itself runs in a
// short-lived worker process (SYNC_WORKER=process, src/daemon/worker-host.ts) or, with
// SYNC_WORKER=inline or replaced parts (tests), in this process (src/daemon/engine.ts, loaded
// only then): the daemon's own module graph holds no fetch, decode or write code.
import { fileURLToPath } from 'node:url';
import type { AppConfig } from '../config/load.js';
import type { Logger } from '../log.js';
import { packageVersion } from '../package-info.js';
import { resolveIdentity } from '../store/identity.js';
import { lockStateDir, type StateLock } from '../store/lock.js';
import { createCredentials } from './credentials.js';
import { startDemo, type Demo } from './demo.js';
import type { EngineDeps } from './engine.js';
import { startHttpServer, type HttpServer } from './http.js';
import { createMetrics, type DaemonMetrics } from './metrics.js';
import { createRateLimiter } from './rate-limit.js';
import { releaseMemory } from './release-memory.js';
import { createRunner, type Runner } from './runner.js';
import { startSchedules, validateSchedules, type Schedules } from './scheduler.js';
import { createSpreader } from './spread.js';
import { DaemonStatus, type DaemonSnapshot } from './status.js';
import { createWorkerHost } from './worker-host.js';
import type { SyncBackend } from './worker-protocol.js';

export interface DaemonOptions {
  config: AppConfig;
  logger: Logger;
  /** Bind address; default HTTP_HOST (the image sets 0.0.0.0). */
  host?: string;
  /** Interval of the "Sync now" rate limit (default 60 s). */
  syncNowIntervalMs?: number;
  /** How long stop() waits for a running day to finish (default 20 s, inside compose's 30 s grace). */
  shutdownTimeoutMs?: number;
  /** Replaceable parts, for tests; any of the sync's parts means SYNC_WORKER=inline (they cannot cross into a process). */
  deps?: EngineDeps & { startDemo?: typeof startDemo };
  /** The built worker entry (default: worker.js beside this module; tests running src/ pass dist/daemon/worker.js). */
  workerEntry?: string;
  /** How long an idle worker is kept (default WORKER_IDLE_MS). */
  workerIdleMs?: number;
  /** What the lock on STATE_DIR names as its holder (default "daemon"). */
  command?: string;
}

export interface Daemon {
  url: string;
  demo: boolean;
  snapshot(): DaemonSnapshot;
  metrics: DaemonMetrics;
  runner: Runner;
  /** Run the credentials check of every account now (what REFRESH_SCHEDULE calls). */
  refreshCredentials(): Promise<void>;
  /** The sync worker's pid while one is alive (undefined inline). */
  workerPid(): number | undefined;
  stop(): Promise<void>;
}

/** Every secret value of the configuration, to scrub from messages. */
function secretsOf(config: AppConfig): string[] {
  const r = config.raw;
  const list = [r.HUAMI_PASSWORD, r.HUAMI_APP_TOKEN, r.INFLUX_TOKEN, r.INFLUX_PASSWORD, r.HTTP_AUTH_TOKEN];
  for (const a of config.accounts) list.push(a.password, a.appToken);
  return list.filter((s) => s && s.length >= 4);
}

/**
 * One daemon per STATE_DIR, for its whole lifetime (a second one, or a `sync` meanwhile, is
 * refused with the holder named). A lost lock means another process took the state over.
 */
function lockForDaemon(stateDir: string, command: string, log: Logger): Promise<StateLock> {
  return lockStateDir(stateDir, {
    command,
    onCompromised: (err) => {
      log.fatal({ err: err.message, stateDir }, 'the STATE_DIR lock was lost (another process took it over); stopping at once');
      process.exit(1);
    },
  });
}

/**
 * One row per account from the start, keyed by its state folder: an outage or a failed login
 * before the first one never adds a second row (src/store/identity.ts).
 */
async function accountRows(config: AppConfig, log: Logger): Promise<{ name: string; key: string; unidentified: boolean; timezone: string }[]> {
  const rows = [];
  for (const a of config.accounts) {
    const id = await resolveIdentity(config.raw.STATE_DIR, a, { migrate: true, logger: log });
    rows.push({ name: id.display, key: id.key, unidentified: id.label === undefined, timezone: a.timezone });
  }
  return rows;
}

/** Stop in order: timers, the run (between days), the writer (and the worker), the server, demo mode, the lock. */
async function shutdown(p: {
  schedules: Schedules | undefined;
  backend: SyncBackend;
  runner: Runner;
  timeoutMs: number;
  http: HttpServer;
  demo: Demo | undefined;
  lock: StateLock;
  log: Logger;
  now(): number;
}): Promise<void> {
  const { log } = p;
  const t0 = p.now();
  await p.schedules?.stop();
  p.backend.abort();
  const ended = await p.runner.stop(p.timeoutMs);
  if (!ended) log.warn('the running day did not finish in time; it stays not-done and is fetched again on the next start');
  await p.backend.close().catch((err: unknown) => log.warn({ err: (err as Error).message }, 'closing the writer failed'));
  await p.http.close();
  await p.demo?.close();
  await p.lock.release().catch((err: unknown) => log.warn({ err: (err as Error).message }, 'releasing the STATE_DIR lock failed'));
  log.info({ ms: p.now() - t0 }, 'daemon stopped');
}

/** Start the daemon: HTTP first (so /healthz answers "starting"), then a sync, then cron. */
export async function startDaemon(o: DaemonOptions): Promise<Daemon> {
  const raw = o.config.raw;
  validateSchedules(raw.SYNC_SCHEDULE, raw.REFRESH_SCHEDULE);
  const log = o.logger;
  const now = (): number => Date.now();
  const lock = await lockForDaemon(raw.STATE_DIR, o.command ?? 'daemon', log);
  let demo: Demo | undefined;
  let config = o.config;
  let status: DaemonStatus;
  let keys: string[];
  try {
    if (config.demo) {
      demo = await (o.deps?.startDemo ?? startDemo)(config, log);
      config = demo.config;
    }
    const rows = await accountRows(config, log);
    keys = rows.map((r) => r.key);
    status = new DaemonStatus({ version: packageVersion(), demo: config.demo, schedule: raw.SYNC_SCHEDULE, timezone: raw.TIMEZONE, accounts: rows }, now());
  } catch (err) {
    await demo?.close();
    await lock.release();
    throw err;
  }
  const secrets = secretsOf(config);
  const metrics = createMetrics({ demo: config.demo });
  const onHuamiRequest = (s: number | 'error'): void => metrics.observeHuamiRequest(s);
  const { startDemo: _demo, ...engineDeps } = o.deps ?? {};
  const inline = raw.SYNC_WORKER === 'inline' || Object.values(engineDeps).some((d) => d !== undefined);
  let backend: SyncBackend;
  try {
    backend = inline
      ? (await import('./engine.js')).createEngine({ config, logger: log, onHuamiRequest, deps: engineDeps })
      : createWorkerHost({
          entry: o.workerEntry ?? fileURLToPath(new URL('./worker.js', import.meta.url)),
          config,
          logLevel: log.level,
          logger: log,
          onHuamiRequest,
          ...(o.workerIdleMs !== undefined ? { idleMs: o.workerIdleMs } : {}),
        });
  } catch (err) {
    await demo?.close();
    await lock.release();
    throw err;
  }
  const credentials = createCredentials({
    status,
    metrics,
    logger: log,
    now,
    secrets,
    isRunning: () => runner.isRunning(), // `runner` is made below; called only later
    check: () => backend.checkCredentials(),
  });
  const runner = createRunner({
    sync: async (signal, only) => {
      const { results, tokens } = await backend.sync(signal, only, (e) => status.recordProgress(e));
      credentials.noteTokens(tokens);
      // Once the daemon is idle again, hand the run's heap back (src/daemon/release-memory.ts): inline
      // all of the run's; with a worker (which gives its memory back by exiting) what the messages took.
      setTimeout(() => {
        if (!runner.isRunning()) releaseMemory();
      }, 1_000).unref();
      return results;
    },
    status,
    metrics,
    logger: log,
    now,
    secrets,
    accountKeys: () => keys,
  });

  const refreshCredentials = (): Promise<void> => credentials.refresh();

  let schedules: Schedules | undefined;
  const snapshot = (): DaemonSnapshot => {
    status.nextRunAt = schedules?.nextSyncAt();
    return status.snapshot();
  };
  let http: HttpServer;
  try {
    http = await startHttpServer({
      port: raw.HTTP_PORT,
      host: o.host ?? raw.HTTP_HOST,
      snapshot,
      metrics,
      healthMaxAgeMinutes: raw.HEALTH_MAX_AGE_MINUTES,
      authToken: raw.HTTP_AUTH_TOKEN,
      limiter: createRateLimiter(o.syncNowIntervalMs ?? 60_000),
      isRunning: () => runner.isRunning(),
      triggerSync: () => void runner.trigger('manual'),
      now,
      logger: log.child({ stage: 'http' }),
    });
  } catch (err) {
    await backend.close().catch(() => undefined);
    await demo?.close();
    await lock.release();
    throw err;
  }
  // http.url is the address really bound (http://0.0.0.0:8080 = every interface).
  log.info({ url: http.url, auth: Boolean(raw.HTTP_AUTH_TOKEN), schedule: raw.SYNC_SCHEDULE, timezone: raw.TIMEZONE, demo: config.demo, accounts: config.accounts.length, syncWorker: inline ? 'inline' : 'process' }, 'daemon started');
  void runner.trigger('startup');
  // Several accounts: each starts at its own offset into the interval (src/daemon/spread.ts);
  // a single account runs on the tick itself.
  const spreader = createSpreader({
    keys: () => keys,
    intervalMs: () => Math.max(0, (schedules?.nextSyncAt() ?? now()) - now()),
    run: (key) => runner.trigger('schedule', key),
  });
  schedules = startSchedules({
    syncSchedule: raw.SYNC_SCHEDULE,
    refreshSchedule: raw.REFRESH_SCHEDULE,
    timezone: raw.TIMEZONE,
    onSync: () => (keys.length > 1 ? spreader.tick() : runner.trigger('schedule')),
    onRefresh: () => refreshCredentials(),
  });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (spreader.stop(), shutdown({ schedules, backend, runner, timeoutMs: o.shutdownTimeoutMs ?? 20_000, http, demo, lock, log, now })));

  return { url: http.url, demo: config.demo, snapshot, metrics, runner, refreshCredentials, workerPid: () => backend.workerPid?.(), stop };
}
