// `mifit-sync daemon`: the container's default command. Runs until SIGTERM/SIGINT, then
// stops cleanly (timers, running day, writer, HTTP) and exits 0.
import { loadConfig } from '../config/load.js';
import { startDaemon, type Daemon } from '../daemon/index.js';
import { createLogger } from '../log.js';

/** Run the daemon; resolves with the exit code once a stop signal has been handled. */
export async function run(_args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const config = loadConfig(env);
  const logger = createLogger(config.raw.LOG_LEVEL);
  let signals = 0;
  let onStop: ((signal: NodeJS.Signals) => void) | undefined;
  // Installed before the start so a stop during start-up (demo server, port bind) is clean too.
  const handler = (signal: NodeJS.Signals): void => {
    signals += 1;
    if (signals > 1) {
      // A second Ctrl-C means "now": skip the clean stop.
      logger.warn({ signal }, 'second stop signal: exiting at once');
      process.exit(130);
    }
    logger.info({ signal }, 'stop signal received, shutting down');
    onStop?.(signal);
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  const daemon: Daemon = await startDaemon({ config, logger });
  return new Promise<number>((resolve) => {
    onStop = () => {
      daemon.stop().then(
        () => {
          // Anything still holding the event loop (a keep-alive socket of a client library)
          // must not keep a stopped daemon alive; the unref'd timer itself does not.
          setTimeout(() => process.exit(0), 2_000).unref();
          resolve(0);
        },
        (err: unknown) => {
          logger.error({ err: (err as Error).message }, 'shutdown failed');
          resolve(1);
        },
      );
    };
    if (signals > 0) onStop('SIGTERM');
  });
}
