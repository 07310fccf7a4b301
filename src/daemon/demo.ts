// Demo mode: with no account configured (DEMO_MODE=auto) or DEMO_MODE=on, the daemon
// starts the fake Huami cloud in-process on loopback and syncs its demo account, tagged
// user=demo, so `docker compose up -d` on a fresh clone shows data in Grafana.
import type { AccountConfig } from '../config/accounts.js';
import type { AppConfig } from '../config/load.js';
import type { Logger } from '../log.js';

export const DEMO_ACCOUNT_NAME = 'demo';

export interface Demo {
  /** The configuration with the demo account and HUAMI_BASE_URL pointing at the fake server. */
  config: AppConfig;
  url: string;
  close(): Promise<void>;
}

/** Start the fake server and return the configuration that syncs the demo account from it. */
export async function startDemo(config: AppConfig, logger: Logger): Promise<Demo> {
  // Loaded only in demo mode: a daemon with real accounts never loads the fake cloud.
  const { DEMO_EMAIL, DEMO_PASSWORD, startFakeServer } = await import('../fake/index.js');
  const zone = config.raw.TIMEZONE;
  const fake = await startFakeServer({ port: 0, timezone: zone, quiet: true, ...(config.raw.SYNC_START_DATE ? { from: config.raw.SYNC_START_DATE } : {}) });
  const account: AccountConfig = { name: DEMO_ACCOUNT_NAME, email: DEMO_EMAIL, password: DEMO_PASSWORD, appToken: '', userId: '', timezone: zone };
  if (config.accounts.length)
    logger.warn({ ignored: config.accounts.length }, 'DEMO_MODE=on: the configured accounts are ignored while the demo runs');
  logger.warn(
    { demo: true, user: DEMO_ACCOUNT_NAME },
    'DEMO MODE: no Huami account is configured, so the built-in demo account (made-up data, user=demo) is synced from an in-process fake Huami server. Set HUAMI_EMAIL and HUAMI_PASSWORD (see README) to sync your own band.',
  );
  return {
    config: { ...config, raw: { ...config.raw, HUAMI_BASE_URL: fake.url }, accounts: [account] },
    url: fake.url,
    close: () => fake.close(),
  };
}
