// `mifit-sync sync [--from D] [--to D] [--account NAME] [--force] [--verbose]`: one run of
// runSync (progress bar, summary and exit code: ./day-run.ts).
import type { AccountConfig } from '../config/accounts.js';
import { loadConfig, type AppConfig } from '../config/load.js';
import { createClientPool } from '../fetch/pool.js';
import { parseSyncArgs } from './cli-args.js';
import { runSync } from '../sync/index.js';
import { withStateLock } from '../store/lock.js';
import { runDayCommand } from './day-run.js';

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
  const { opts, verbose } = parseSyncArgs(args, true);
  const config = await cliConfig(loadConfig(env));
  if (!config) {
    process.stderr.write(NO_ACCOUNT);
    return 1;
  }
  // One run per STATE_DIR: a second one exits 1 naming the holder (store/lock.ts).
  return withStateLock(config.raw.STATE_DIR, ['sync', ...args].join(' '), () =>
    runDayCommand(config, { title: 'sync', verbose }, (d) =>
      runSync({ config, clientFor: createClientPool(config, d.logger.child({ stage: 'huami' }), () => undefined, { signal: d.signal }), now: () => new Date(), ...d }, opts),
    ),
  );
}
