// `mifit-sync daemon`: wires the runner, cron, the HTTP server and (in demo mode) the fake
// Huami server around runSync. Start and stop are a contract: stop() ends
// the timers, aborts the run between days, flushes the writer and closes the server.
import type { AppConfig } from '../config/load.js';
import type { Logger } from '../log.js';
import { packageVersion } from '../package-info.js';
import { runSync } from '../sync/index.js';
import { createWriter, writerOptions, type Writer } from '../write/index.js';
import { createClientPool, type ClientFactory } from '../fetch/pool.js';
import { resolveIdentity } from '../store/identity.js';
import { lockStateDir, type StateLock } from '../store/lock.js';
import { createCredentials } from './credentials.js';
import { startDemo, type Demo } from './demo.js';
import { startHttpServer, type HttpServer } from './http.js';
import { createMetrics, type DaemonMetrics } from './metrics.js';
import { createRateLimiter } from './rate-limit.js';
import { releaseMemory } from './release-memory.js';
import { createRunner, type Runner } from './runner.js';
import { startSchedules, validateSchedules, type Schedules } from './scheduler.js';
import { createSpreader } from './spread.js';
import pLimit from 'p-limit';
import { DaemonStatus, type DaemonSnapshot } from './status.js';

export interface DaemonOptions {
  config: AppConfig;
  logger: Logger;
  /** Bind address; default HTTP_HOST (the image sets 0.0.0.0). */
  host?: string;
  /** Interval of the "Sync now" rate limit (default 60 s). */
  syncNowIntervalMs?: number;
  /** How long stop() waits for a running day to finish (default 20 s, inside compose's 30 s grace). */
  shutdownTimeoutMs?: number;
  /** Replaceable parts, for tests. */
  deps?: { runSync?: typeof runSync; createWriter?: typeof createWriter; clientFactory?: ClientFactory; startDemo?: typeof startDemo };
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

/** Stop in order: timers, the run (between days), the writer, the server, demo mode, the lock. */
async function shutdown(p: {
  schedules: Schedules | undefined;
  shutdownSignal: AbortController;
  runner: Runner;
  timeoutMs: number;
  writer: Writer;
  http: HttpServer;
  demo: Demo | undefined;
  lock: StateLock;
  log: Logger;
  now(): number;
}): Promise<void> {
  const { log } = p;
  const t0 = p.now();
  await p.schedules?.stop();
  p.shutdownSignal.abort();
  const ended = await p.runner.stop(p.timeoutMs);
  if (!ended) log.warn('the running day did not finish in time; it stays not-done and is fetched again on the next start');
  await p.writer.close().catch((err: unknown) => log.warn({ err: (err as Error).message }, 'closing the writer failed'));
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
  // Aborted at shutdown so that a write or a Huami request retrying through an outage gives up at once.
  const shutdownSignal = new AbortController();
  const writer: Writer = (o.deps?.createWriter ?? createWriter)(writerOptions(config.raw), log, { signal: shutdownSignal.signal });
  const clientFor = createClientPool(config, log.child({ stage: 'huami' }), (s) => metrics.observeHuamiRequest(s), {
    factory: o.deps?.clientFactory,
    signal: shutdownSignal.signal, // ends a Huami back-off wait at shutdown, like the writer's
  });
  const sync = o.deps?.runSync ?? runSync;
  const credentials = createCredentials({
    accounts: config.accounts,
    clientFor,
    status,
    metrics,
    logger: log,
    now,
    secrets,
    isRunning: () => runner.isRunning(), // `runner` is made below; called only later
  });
  // SYNC_CONCURRENCY slots shared by every run, also when per-account runs overlap.
  const limit = pLimit(Math.max(1, raw.SYNC_CONCURRENCY || 1));
  const runner = createRunner({
    sync: async (signal, only) => {
      const results = await sync({ config, logger: log.child({ stage: 'sync' }), writer, clientFor, now: () => new Date(), signal, onProgress: (e) => status.recordProgress(e), limit }, only ? { keys: only } : {});
      credentials.noteTokens();
      // Once the daemon is idle again, hand the run's heap back (src/daemon/release-memory.ts).
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
    await writer.close().catch(() => undefined);
    await demo?.close();
    await lock.release();
    throw err;
  }
  // http.url is the address really bound (http://0.0.0.0:8080 = every interface).
  log.info({ url: http.url, auth: Boolean(raw.HTTP_AUTH_TOKEN), schedule: raw.SYNC_SCHEDULE, timezone: raw.TIMEZONE, demo: config.demo, accounts: config.accounts.length }, 'daemon started');
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
    (stopping ??= (spreader.stop(), shutdown({ schedules, shutdownSignal, runner, timeoutMs: o.shutdownTimeoutMs ?? 20_000, writer, http, demo, lock, log, now })));

  return { url: http.url, demo: config.demo, snapshot, metrics, runner, refreshCredentials, stop };
}
