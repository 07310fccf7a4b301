// HuamiClient options from the validated configuration, so every command (login,
// sync, daemon) builds its client the same way.
import type { AccountConfig } from '../config/accounts.js';
import type { RawConfig } from '../config/schema.js';
import type { Logger } from '../log.js';
import { HuamiClient, type HuamiClientOptions } from './client.js';

/** Options for one account's client from RawConfig (HUAMI_* keys, STATE_DIR). */
export function clientOptions(raw: RawConfig, account: AccountConfig, logger: Logger, extra: Partial<HuamiClientOptions> = {}): HuamiClientOptions {
  return {
    account,
    stateDir: raw.STATE_DIR,
    baseUrl: raw.HUAMI_BASE_URL || undefined,
    appName: raw.HUAMI_APP_NAME,
    loginFlow: raw.HUAMI_LOGIN_FLOW,
    chunkDays: raw.HUAMI_CHUNK_DAYS,
    timeoutMs: raw.HUAMI_TIMEOUT_MS,
    maxRetries: raw.HUAMI_MAX_RETRIES,
    maxResponseMb: raw.HUAMI_MAX_RESPONSE_MB,
    loginBackoffHours: raw.HUAMI_LOGIN_BACKOFF_HOURS,
    logger,
    ...extra,
  };
}

/** A client for one configured account. */
export function createHuamiClient(raw: RawConfig, account: AccountConfig, logger: Logger, extra: Partial<HuamiClientOptions> = {}): HuamiClient {
  return new HuamiClient(clientOptions(raw, account, logger, extra));
}
