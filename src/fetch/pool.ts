// One HuamiClient per account for a process's lifetime (daemon, sync, bench), so tokens and the login back-off
// live across runs; every request is counted on /metrics by status.
import type { AccountConfig } from '../config/accounts.js';
import type { AppConfig } from '../config/load.js';
import { HuamiClient, type HuamiClientOptions } from './client.js';
import { clientOptions } from './from-config.js';
import { accountKey } from '../store/identity.js';
import type { Logger } from '../log.js';

export type ClientFactory = (opts: HuamiClientOptions) => HuamiClient;

/** A memoising `clientFor` for SyncDeps (built like every other command's client); `signal` = the shutdown signal. */
export function createClientPool(
  config: AppConfig,
  logger: Logger,
  onRequest: (status: number | 'error') => void,
  opts: { factory?: ClientFactory | undefined; signal?: AbortSignal | undefined } = {},
): (account: AccountConfig) => HuamiClient {
  const { factory = (o: HuamiClientOptions) => new HuamiClient(o), signal } = opts;
  const clients = new Map<string, HuamiClient>();
  return (account) => {
    const key = accountKey(account);
    let c = clients.get(key);
    if (!c) {
      c = factory(clientOptions(config.raw, account, logger, { onRequest: (info) => onRequest(info.status), ...(signal ? { signal } : {}) }));
      clients.set(key, c);
    }
    return c;
  };
}
