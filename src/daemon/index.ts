// `mifit-sync daemon`: wires the runner, cron, the HTTP server and (in demo mode) the fake
// Huami server around runSync. Start and stop are a contract: stop() ends
// the timers, aborts the run between days, flushes the writer and closes the server.
import type { AccountConfig } from '../config/accounts.js';
import type { AppConfig } from '../config/load.js';
import { scrubSecrets, type Logger } from '../log.js';
import { packageVersion } from '../package-info.js';
import { runSync } from '../sync/index.js';
import { createWriter, writerOptions, type Writer } from '../write/index.js';
import { createClientPool, type ClientFactory } from '../fetch/pool.js';
import { accountDisplay, accountKey, accountLabel } from '../store/identity.js';
import { resolveIdentity } from '../store/identity.js';
import { lockStateDir, type StateLock } from '../store/lock.js';
import { startDemo, type Demo } from './demo.js';
import { startHttpServer, type HttpServer } from './http.js';
import { createMetrics, type DaemonMetrics } from './metrics.js';
import { createRateLimiter } from './rate-limit.js';
import { createRunner, type Runner } from './runner.js';
import { startSchedules, validateSchedules, type Schedules } from './scheduler.js';
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

/** Start the daemon: HTTP first (so /healthz answers "starting"), then a sync, then cron. */
export async function startDaemon(o: DaemonOptions): Promise<Daemon> {
  const raw = o.config.raw;
  validateSchedules(raw.SYNC_SCHEDULE, raw.REFRESH_SCHEDULE);
  const log = o.logger;
  const now = (): number => Date.now();
  // One daemon per STATE_DIR, for its whole lifetime (a second one, or a `sync` meanwhile, is
  // refused with the holder named). A lost lock means another process took the state over.
  const lock: StateLock = await lockStateDir(raw.STATE_DIR, {
    command: o.command ?? 'daemon',
    onCompromised: (err) => {
      log.fatal({ err: err.message, stateDir: raw.STATE_DIR }, 'the STATE_DIR lock was lost (another process took it over); stopping at once');
      process.exit(1);
    },
  });
  let demo: Demo | undefined;
  let config = o.config;
  let status: DaemonStatus;
  try {
    if (config.demo) {
      demo = await (o.deps?.startDemo ?? startDemo)(config, log);
      config = demo.config;
    }
    // One row per account from the start, keyed by its state folder: an outage or a failed
    // login before the first one never adds a second row (src/store/identity.ts).
    const rows = [];
    for (const a of config.accounts) {
      const id = await resolveIdentity(raw.STATE_DIR, a, { migrate: true, logger: log });
      rows.push({ name: id.display, key: id.key, unidentified: id.label === undefined, timezone: a.timezone });
    }
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
  /** The account's row: its key, the name to show and whether that is only the masked e-mail. */
  const rowOf = (account: AccountConfig, userId: string | undefined): { name: string; key: string; unidentified: boolean } => ({
    name: accountDisplay(account, userId),
    key: accountKey(account),
    unidentified: accountLabel(account, userId) === undefined,
  });
  const noteTokens = (): void => {
    for (const account of config.accounts) {
      const tok = clientFor(account).tokenStatus();
      if (!tok) continue;
      const row = rowOf(account, tok.userId);
      status.recordToken(row.name, { obtainedAt: tok.appTokenObtainedAt, expiresAt: tok.appTokenExpiresAt }, row.key, row.unidentified);
    }
  };
  const runner = createRunner({
    sync: async (signal) => {
      const results = await sync({ config, logger: log.child({ stage: 'sync' }), writer, clientFor, now: () => new Date(), signal, onProgress: (e) => status.recordProgress(e) });
      noteTokens();
      return results;
    },
    status,
    metrics,
    logger: log,
    now,
    secrets,
  });

  const refreshCredentials = async (): Promise<void> => {
    // The run checks credentials itself; a parallel check could log in twice.
    if (runner.isRunning()) return;
    for (const account of config.accounts) {
      const client = clientFor(account);
      try {
        const tok = await client.ensureCredentials();
        const row = rowOf(account, tok.userId);
        status.recordCredentials(row.name, { obtainedAt: tok.appTokenObtainedAt, expiresAt: tok.appTokenExpiresAt }, undefined, now(), row.key, row.unidentified);
        if (!row.unidentified) metrics.setTokenExpiry(row.name, tok.appTokenExpiresAt);
      } catch (err) {
        const e = err as { code?: string; message?: string; retryable?: boolean };
        // The same row as the account's runs (keyed by its state folder).
        const row = rowOf(account, clientFor(account).tokenStatus()?.userId);
        // A network hiccup says nothing about the credentials; the next run or check decides.
        if (e.retryable) {
          log.info({ account: row.name, code: e.code }, 'credentials check not possible right now');
          continue;
        }
        const message = scrubSecrets(e.message ?? String(err), secrets);
        status.recordCredentials(row.name, undefined, { code: e.code ?? 'HUAMI_AUTH_FAILED', message }, now(), row.key, row.unidentified);
        log.warn({ account: row.name, code: e.code }, 'credentials check failed');
      }
    }
  };

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
  schedules = startSchedules({
    syncSchedule: raw.SYNC_SCHEDULE,
    refreshSchedule: raw.REFRESH_SCHEDULE,
    timezone: raw.TIMEZONE,
    onSync: () => runner.trigger('schedule'),
    onRefresh: () => refreshCredentials(),
  });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      const t0 = now();
      await schedules?.stop();
      shutdownSignal.abort();
      const ended = await runner.stop(o.shutdownTimeoutMs ?? 20_000);
      if (!ended) log.warn('the running day did not finish in time; it stays not-done and is fetched again on the next start');
      await writer.close().catch((err: unknown) => log.warn({ err: (err as Error).message }, 'closing the writer failed'));
      await http.close();
      await demo?.close();
      await lock.release().catch((err: unknown) => log.warn({ err: (err as Error).message }, 'releasing the STATE_DIR lock failed'));
      log.info({ ms: now() - t0 }, 'daemon stopped');
    })());

  return { url: http.url, demo: config.demo, snapshot, metrics, runner, refreshCredentials, stop };
}
