// Loads and validates the configuration from an environment object (never reads
// process.env itself: the caller passes it, so tests can pass their own).
import { readFileSync } from 'node:fs';
import convict from 'convict';
import { formatNamed } from './formats.js';
import { schema, SECRET_KEYS, type ConfigKey, type RawConfig } from './schema.js';
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

/**
 * One line per wrong setting: the variable, the value as given, why, what is allowed and
 * an example (a secret's value is never shown).
 */
function settingProblems(raw: RawConfig, env: NodeJS.ProcessEnv): string[] {
  const secret = new Set<string>(SECRET_KEYS);
  const out: string[] = [];
  for (const [key, entry] of Object.entries(schema) as [ConfigKey, { format: unknown; env: string }][]) {
    const f = formatNamed(entry.format);
    if (!f) continue;
    const why = f.problem(raw[key]);
    if (!why) continue;
    const given = env[entry.env] ?? String(raw[key]);
    const shown = secret.has(key) ? '(hidden)' : JSON.stringify(given);
    out.push(`${entry.env}=${shown} ${why}; allowed: ${f.allowed}; e.g. ${entry.env}=${/\s/.test(f.example) ? `"${f.example}"` : f.example}`);
  }
  return out;
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
  const raw = conf.getProperties();
  problems.push(...settingProblems(raw, resolved));
  if (raw.HTTP_AUTH_TOKEN && raw.HTTP_AUTH_TOKEN.length < 16)
    problems.push('HTTP_AUTH_TOKEN=(hidden) is shorter than 16 characters; allowed: at least 16 characters, since it opens the status page, /metrics and "Sync now"; e.g. HTTP_AUTH_TOKEN=$(openssl rand -hex 24)');
  let accounts: AccountConfig[] = [];
  if (raw.ACCOUNTS_FILE) {
    try {
      accounts = parseAccountsFile(readFileSync(raw.ACCOUNTS_FILE, 'utf8'), raw, resolved);
    } catch (err) {
      problems.push(`ACCOUNTS_FILE ${raw.ACCOUNTS_FILE}: ${(err as Error).message}`);
    }
  } else if (raw.HUAMI_EMAIL || raw.HUAMI_APP_TOKEN) {
    // HUAMI_EMAIL without a password is fine: the tokens `mifit-sync login` stored are
    // used, and a password is asked for only when they no longer work (HUAMI_NO_CREDENTIALS).
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
