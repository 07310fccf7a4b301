// The configuration schema: the only reader of the environment.
// Every key is an environment variable; secrets are `sensitive` and may also be given
// as `<NAME>_FILE` (a path, e.g. a Docker secret). The README's configuration table and
// .env.example are checked against this schema by test/unit/config-docs.test.ts.
import type convict from 'convict';
import { formats, use } from './formats.js';

export const SECRET_KEYS = [
  'HUAMI_PASSWORD',
  'HUAMI_APP_TOKEN',
  'INFLUX_TOKEN',
  'INFLUX_PASSWORD',
  'HTTP_AUTH_TOKEN',
] as const;

export interface RawConfig {
  ACCOUNT_NAME: string;
  TIMEZONE: string;
  HUAMI_EMAIL: string;
  HUAMI_PASSWORD: string;
  HUAMI_APP_TOKEN: string;
  HUAMI_USER_ID: string;
  HUAMI_BASE_URL: string;
  HUAMI_APP_NAME: string;
  HUAMI_LOGIN_FLOW: 'auto' | 'encrypted' | 'legacy';
  HUAMI_CHUNK_DAYS: number;
  HUAMI_TIMEOUT_MS: number;
  HUAMI_MAX_RETRIES: number;
  HUAMI_MAX_RESPONSE_MB: number;
  HUAMI_LOGIN_BACKOFF_HOURS: number;
  ACCOUNTS_FILE: string;
  INFLUX_URL: string;
  INFLUX_API_VERSION: 'auto' | '1' | '2';
  INFLUX_TOKEN: string;
  INFLUX_ORG: string;
  INFLUX_BUCKET: string;
  INFLUX_DATABASE: string;
  INFLUX_RETENTION_POLICY: string;
  INFLUX_USERNAME: string;
  INFLUX_PASSWORD: string;
  INFLUX_BATCH_SIZE: number;
  INFLUX_TIMEOUT_MS: number;
  INFLUX_MAX_RETRIES: number;
  STATE_DIR: string;
  SYNC_START_DATE: string;
  SYNC_LOOKBACK_DAYS: number;
  SYNC_DETAIL: boolean;
  SYNC_CONCURRENCY: number;
  SYNC_EVENTS: boolean;
  SYNC_WORKOUTS: boolean;
  SYNC_SCHEDULE: string;
  SYNC_WORKER: 'process' | 'inline';
  REFRESH_SCHEDULE: string;
  HTTP_HOST: string;
  HTTP_PORT: number;
  HTTP_AUTH_TOKEN: string;
  HEALTH_MAX_AGE_MINUTES: number;
  DEMO_MODE: 'auto' | 'on' | 'off';
  LOG_LEVEL: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
}

const { bool, intRange, httpUrl, isoDateOrEmpty, ianaZone, cron, accountNameOrEmpty, bindHost, oneOf } = formats;
const timeoutMs = use(intRange(1000, 600_000, 30000, 'timeout-ms'));

export const schema = {
  ACCOUNT_NAME: { doc: 'Name of the account in the `user` tag (default: the Huami user id)', format: use(accountNameOrEmpty), default: '', env: 'ACCOUNT_NAME' },
  TIMEZONE: { doc: 'IANA time zone of the account; days begin at its local midnight', format: use(ianaZone), default: 'UTC', env: 'TIMEZONE' },
  HUAMI_EMAIL: { doc: 'Zepp / Zepp Life / Mi Fit account e-mail (password login)', format: String, default: '', env: 'HUAMI_EMAIL' },
  HUAMI_PASSWORD: { doc: 'Account password (or HUAMI_PASSWORD_FILE)', format: String, default: '', env: 'HUAMI_PASSWORD', sensitive: true },
  HUAMI_APP_TOKEN: { doc: 'A captured app token; skips the rate-limited password login (or HUAMI_APP_TOKEN_FILE)', format: String, default: '', env: 'HUAMI_APP_TOKEN', sensitive: true },
  HUAMI_USER_ID: { doc: 'Huami user id belonging to HUAMI_APP_TOKEN', format: String, default: '', env: 'HUAMI_USER_ID' },
  HUAMI_BASE_URL: { doc: 'Route every Huami host to this base URL (the fake server, a proxy); empty = the real hosts', format: use(httpUrl(true, 'http://127.0.0.1:8090')), default: '', env: 'HUAMI_BASE_URL' },
  HUAMI_APP_NAME: { doc: 'App identity used to log in; com.xiaomi.hm.health does not log the phone app out', format: String, default: 'com.xiaomi.hm.health', env: 'HUAMI_APP_NAME' },
  HUAMI_LOGIN_FLOW: { doc: 'Password login flow: auto (encrypted, then legacy), encrypted or legacy', format: use(oneOf(['auto', 'encrypted', 'legacy'])), default: 'auto', env: 'HUAMI_LOGIN_FLOW' },
  HUAMI_CHUNK_DAYS: { doc: 'Days per band_data.json request', format: use(intRange(1, 90, 30)), default: 30, env: 'HUAMI_CHUNK_DAYS' },
  HUAMI_TIMEOUT_MS: { doc: 'Timeout of one Huami request', format: timeoutMs, default: 30000, env: 'HUAMI_TIMEOUT_MS' },
  HUAMI_MAX_RETRIES: { doc: 'Retries of a Huami request on 429/5xx/timeouts', format: use(intRange(0, 10, 4)), default: 4, env: 'HUAMI_MAX_RETRIES' },
  HUAMI_MAX_RESPONSE_MB: { doc: 'Largest Huami answer read, in MB; a larger one is aborted while downloading (HUAMI_RESPONSE_TOO_LARGE). A 30-day detail chunk is a few MB', format: use(intRange(1, 1024, 16)), default: 16, env: 'HUAMI_MAX_RESPONSE_MB' },
  HUAMI_LOGIN_BACKOFF_HOURS: { doc: 'After a login answered 429, no new login for this many hours', format: use(intRange(0, 168, 6)), default: 6, env: 'HUAMI_LOGIN_BACKOFF_HOURS' },
  ACCOUNTS_FILE: { doc: 'JSON file listing several accounts (see config/accounts.example.json); empty = one account from the environment', format: String, default: '', env: 'ACCOUNTS_FILE' },
  INFLUX_URL: { doc: 'InfluxDB URL', format: use(httpUrl(false, 'http://influxdb:8086')), default: 'http://localhost:8086', env: 'INFLUX_URL' },
  INFLUX_API_VERSION: { doc: 'Write API: 2 (/api/v2/write; InfluxDB 2.x, 3.x, Cloud, 1.8+), 1 (/write; older 1.x) or auto (2 when INFLUX_TOKEN or INFLUX_BUCKET is set)', format: use(oneOf(['auto', '1', '2'])), default: 'auto', env: 'INFLUX_API_VERSION' },
  INFLUX_TOKEN: { doc: 'InfluxDB 2.x API token (or INFLUX_TOKEN_FILE)', format: String, default: '', env: 'INFLUX_TOKEN', sensitive: true },
  INFLUX_ORG: { doc: 'InfluxDB 2.x organisation', format: String, default: '', env: 'INFLUX_ORG' },
  INFLUX_BUCKET: { doc: 'InfluxDB 2.x bucket', format: String, default: '', env: 'INFLUX_BUCKET' },
  INFLUX_DATABASE: { doc: 'InfluxDB 1.x database', format: String, default: 'mifit', env: 'INFLUX_DATABASE' },
  INFLUX_RETENTION_POLICY: { doc: 'InfluxDB 1.x retention policy (empty = the default one)', format: String, default: '', env: 'INFLUX_RETENTION_POLICY' },
  INFLUX_USERNAME: { doc: 'InfluxDB 1.x user', format: String, default: '', env: 'INFLUX_USERNAME' },
  INFLUX_PASSWORD: { doc: 'InfluxDB 1.x password (or INFLUX_PASSWORD_FILE)', format: String, default: '', env: 'INFLUX_PASSWORD', sensitive: true },
  INFLUX_BATCH_SIZE: { doc: 'Points per write request', format: use(intRange(1, 100_000, 5000)), default: 5000, env: 'INFLUX_BATCH_SIZE' },
  INFLUX_TIMEOUT_MS: { doc: 'Timeout of one InfluxDB request', format: timeoutMs, default: 30000, env: 'INFLUX_TIMEOUT_MS' },
  INFLUX_MAX_RETRIES: { doc: 'Retries of an InfluxDB request on 429/5xx/unreachable (1, 2, 4, 8, 16 s apart, at most 30 s); the start-up check retries at most 2 times', format: use(intRange(0, 10, 5)), default: 5, env: 'INFLUX_MAX_RETRIES' },
  STATE_DIR: { doc: 'Directory for tokens, per-day sync state and raw responses', format: String, default: './state', env: 'STATE_DIR' },
  SYNC_START_DATE: { doc: 'First day of the first backfill (YYYY-MM-DD; empty = one year back)', format: use(isoDateOrEmpty), default: '', env: 'SYNC_START_DATE' },
  SYNC_LOOKBACK_DAYS: { doc: 'Days re-read on every run because bands sync late', format: use(intRange(0, 90, 3)), default: 3, env: 'SYNC_LOOKBACK_DAYS' },
  SYNC_DETAIL: { doc: 'Also download minute data (heart rate, minute activity)', format: use(bool), default: true, env: 'SYNC_DETAIL' },
  SYNC_CONCURRENCY: { doc: 'Accounts synced at the same time (more accounts wait for a free slot); the daemon spreads scheduled runs of several accounts over the interval', format: use(intRange(1, 16, 2)), default: 2, env: 'SYNC_CONCURRENCY' },
  SYNC_EVENTS: { doc: 'Also download the health events: stress, PAI, SpO2 and readiness (up to 4 more requests per run; none for a band without them, which is asked again once a day)', format: use(bool), default: true, env: 'SYNC_EVENTS' },
  SYNC_WORKOUTS: { doc: 'Also download workouts (from the first day of the sync range on) and body-scale weigh-ins (2 more requests per run when nothing is new)', format: use(bool), default: true, env: 'SYNC_WORKOUTS' },
  SYNC_SCHEDULE: { doc: 'Cron expression of the daemon sync', format: use(cron), default: '*/30 * * * *', env: 'SYNC_SCHEDULE' },
  SYNC_WORKER: { doc: 'Where the daemon runs a sync and the credentials check: process = in a child process that exits 10 s after the work ends, so the idle daemon holds only the status page and metrics (78 MB RSS instead of 105 MB after a run; while a run is going the two processes together take about 80 MB more than one); inline = in the daemon process itself', format: use(oneOf(['process', 'inline'])), default: 'process', env: 'SYNC_WORKER' },
  REFRESH_SCHEDULE: { doc: 'Cron expression of the credentials check/refresh', format: use(cron), default: '17 */6 * * *', env: 'REFRESH_SCHEDULE' },
  HTTP_HOST: { doc: 'Address the status page, /healthz and /metrics listen on: 127.0.0.1 = this machine only (the default outside Docker), 0.0.0.0 = every interface (the image sets it)', format: use(bindHost), default: '127.0.0.1', env: 'HTTP_HOST' },
  HTTP_PORT: { doc: 'Port of the status page, /healthz and /metrics', format: use(intRange(0, 65_535, 8080, 'port-number')), default: 8080, env: 'HTTP_PORT' },
  HTTP_AUTH_TOKEN: { doc: 'When set, every path except /healthz needs it: the page through basic auth (any user name, this as password), /metrics and the API as a bearer token (or HTTP_AUTH_TOKEN_FILE)', format: String, default: '', env: 'HTTP_AUTH_TOKEN', sensitive: true },
  HEALTH_MAX_AGE_MINUTES: { doc: '/healthz fails when an account has not synced successfully for this long', format: use(intRange(1, 10_080, 90)), default: 90, env: 'HEALTH_MAX_AGE_MINUTES' },
  DEMO_MODE: { doc: 'auto: sync a built-in demo account when no account is configured; on; off', format: use(oneOf(['auto', 'on', 'off'])), default: 'auto', env: 'DEMO_MODE' },
  LOG_LEVEL: { doc: 'Log level', format: use(oneOf(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])), default: 'info', env: 'LOG_LEVEL' },
} satisfies convict.Schema<RawConfig>;

export type ConfigKey = keyof RawConfig;
