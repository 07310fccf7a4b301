// Loads and validates the configuration from an environment object (never reads
// process.env itself: the caller passes it, so tests can pass their own).
import { readFileSync } from 'node:fs';
import convict from 'convict';
import { schema, SECRET_KEYS, type RawConfig } from './schema.js';
import { parseAccountsFile, type AccountConfig } from './accounts.js';

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export interface AppConfig {
  raw: RawConfig;
  accounts: AccountConfig[];
  /** True when no account is configured and DEMO_MODE allows the built-in demo account. */
  demo: boolean;
}

/** Resolve `<KEY>_FILE` for secret keys (Docker secrets). */
function withFileSecrets(env: NodeJS.ProcessEnv, problems: string[]): NodeJS.ProcessEnv {
  const out = { ...env };
  for (const key of SECRET_KEYS) {
    const file = env[`${key}_FILE`];
    if (!file) continue;
    if (env[key]) {
      problems.push(`${key} and ${key}_FILE are both set; keep only one`);
      continue;
    }
    try {
      out[key] = readFileSync(file, 'utf8').trim();
    } catch (err) {
      problems.push(`${key}_FILE points at ${file}, which cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  return out;
}

export function loadConfig(env: NodeJS.ProcessEnv): AppConfig {
  const problems: string[] = [];
  const resolved = withFileSecrets(env, problems);
  const conf = convict<RawConfig>(schema, { env: resolved, args: [] });
  try {
    conf.validate({ allowed: 'strict' });
  } catch (err) {
    for (const line of String((err as Error).message).split('\n')) if (line.trim()) problems.push(line.trim());
  }
  const raw = conf.getProperties();
  let accounts: AccountConfig[] = [];
  if (raw.ACCOUNTS_FILE) {
    try {
      accounts = parseAccountsFile(readFileSync(raw.ACCOUNTS_FILE, 'utf8'), raw, resolved);
    } catch (err) {
      problems.push(`ACCOUNTS_FILE ${raw.ACCOUNTS_FILE}: ${(err as Error).message}`);
    }
  } else if (raw.HUAMI_EMAIL || raw.HUAMI_APP_TOKEN) {
    if (raw.HUAMI_EMAIL && !raw.HUAMI_PASSWORD && !raw.HUAMI_APP_TOKEN)
      problems.push('HUAMI_EMAIL is set but HUAMI_PASSWORD (or HUAMI_PASSWORD_FILE) is not');
    if (raw.HUAMI_APP_TOKEN && !raw.HUAMI_USER_ID)
      problems.push('HUAMI_APP_TOKEN is set but HUAMI_USER_ID is not; both come from the same login (see README "Obtaining a token")');
    accounts = [
      {
        name: raw.ACCOUNT_NAME,
        email: raw.HUAMI_EMAIL,
        password: raw.HUAMI_PASSWORD,
        appToken: raw.HUAMI_APP_TOKEN,
        userId: raw.HUAMI_USER_ID,
        timezone: raw.TIMEZONE,
      },
    ];
  }
  const apiVersion = raw.INFLUX_API_VERSION;
  if (apiVersion === '2' && !raw.INFLUX_BUCKET) problems.push('INFLUX_API_VERSION=2 needs INFLUX_BUCKET (and INFLUX_ORG, INFLUX_TOKEN)');
  if (problems.length) throw new ConfigError(problems);
  const demo = raw.DEMO_MODE === 'on' || (raw.DEMO_MODE === 'auto' && accounts.length === 0);
  return { raw, accounts, demo };
}

/** Which InfluxDB write API to use, from INFLUX_API_VERSION or what is configured. */
export function influxApiVersion(raw: RawConfig): 1 | 2 {
  if (raw.INFLUX_API_VERSION === '1') return 1;
  if (raw.INFLUX_API_VERSION === '2') return 2;
  return raw.INFLUX_TOKEN || raw.INFLUX_BUCKET ? 2 : 1;
}
