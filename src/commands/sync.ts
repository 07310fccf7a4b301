// `mifit-sync sync [--from D] [--to D] [--account NAME] [--force]`: one run of runSync with
// a progress bar on a terminal (stderr) or plain pino lines otherwise, then a summary per
// account on stdout. Exit code 1 when any account failed, 130 when interrupted.
import type { AccountConfig } from '../config/accounts.js';
import { loadConfig, type AppConfig } from '../config/load.js';
import { createClientPool } from '../huami/pool.js';
import { createLogger } from '../log.js';
import { parseSyncArgs } from '../sync/cli-args.js';
import { runSync } from '../sync/index.js';
import { createProgressBar } from '../sync/progress.js';
import { formatSummary } from '../sync/summary.js';
import { createWriter } from '../write/index.js';

const NO_ACCOUNT = `mifit-sync sync: no account is configured.
  Set HUAMI_EMAIL and HUAMI_PASSWORD (or HUAMI_APP_TOKEN and HUAMI_USER_ID) for one account,
  or ACCOUNTS_FILE for several (see config/accounts.example.json and README "Configuration").
  To try it without an account: start "mifit-sync fake-server" and run
  DEMO_MODE=on HUAMI_BASE_URL=http://127.0.0.1:<port> mifit-sync sync
`;

/** The accounts the CLI syncs: the configured ones, or the demo account of a fake server (DEMO_MODE=on + HUAMI_BASE_URL). */
async function cliConfig(config: AppConfig): Promise<AppConfig | undefined> {
  if (config.accounts.length) return config;
  // The CLI never syncs made-up data by accident: only an explicit DEMO_MODE=on with a
  // base URL (the fake server) selects the demo account; the daemon starts its own.
  if (config.raw.DEMO_MODE !== 'on' || !config.raw.HUAMI_BASE_URL) return undefined;
  const { DEMO_EMAIL, DEMO_PASSWORD } = await import('../fake/index.js');
  const demo: AccountConfig = { name: 'demo', email: DEMO_EMAIL, password: DEMO_PASSWORD, appToken: '', userId: '', timezone: config.raw.TIMEZONE };
  return { ...config, accounts: [demo] };
}

export async function run(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const verbose = args.includes('--verbose');
  const opts = parseSyncArgs(args.filter((a) => a !== '--verbose'), true);
  const config = await cliConfig(loadConfig(env));
  if (!config) {
    process.stderr.write(NO_ACCOUNT);
    return 1;
  }
  const bar = process.stderr.isTTY ? createProgressBar(process.stderr) : undefined;
  // On a terminal the progress bar tells the story: only warnings and errors are printed
  // above it unless --verbose (issue 4: "a progress bar on a terminal, plain log lines otherwise").
  const logger = createLogger(bar && !verbose ? atLeastWarn(config.raw.LOG_LEVEL) : config.raw.LOG_LEVEL, bar?.destination);
  const writer = createWriter(config.raw, logger);
  const controller = new AbortController();
  let interrupted = false;
  const onSignal = (sig: NodeJS.Signals): void => {
    if (interrupted) process.exit(130); // a second Ctrl-C: stop at once (unconfirmed days stay pending)
    interrupted = true;
    logger.warn({ signal: sig }, 'stopping after the current day; press Ctrl-C again to stop at once');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const results = await runSync(
      {
        config,
        logger,
        writer,
        clientFor: createClientPool(config, logger.child({ stage: 'huami' }), () => undefined),
        now: () => new Date(),
        signal: controller.signal,
        ...(bar ? { onProgress: (e: Parameters<typeof bar.update>[0]) => bar.update(e) } : {}),
      },
      opts,
    );
    bar?.clear();
    process.stdout.write(formatSummary(results));
    if (interrupted) return 130;
    return results.length > 0 && results.every((r) => r.ok) ? 0 : 1;
  } finally {
    bar?.clear();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await writer.close().catch(() => undefined);
  }
}

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
/** The configured level, or `warn` when that is more verbose. */
function atLeastWarn(level: (typeof LEVELS)[number]): (typeof LEVELS)[number] {
  return LEVELS.indexOf(level) < LEVELS.indexOf('warn') ? 'warn' : level;
}
