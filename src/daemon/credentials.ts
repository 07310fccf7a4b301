// The daemon's credentials check (REFRESH_SCHEDULE) and the token facts it shows: per account,
// the refresh ladder outside a run, recorded on the account's status row (keyed by its state
// folder, src/store/identity.ts) and in the token-expiry metric.
import type { AccountConfig } from '../config/accounts.js';
import type { HuamiClient } from '../fetch/client.js';
import { scrubSecrets, type Logger } from '../log.js';
import { accountDisplay, accountKey, accountLabel } from '../store/identity.js';
import type { DaemonMetrics } from './metrics.js';
import type { DaemonStatus } from './status.js';

export interface CredentialsOptions {
  accounts: readonly AccountConfig[];
  clientFor(account: AccountConfig): HuamiClient;
  status: DaemonStatus;
  metrics: DaemonMetrics;
  logger: Logger;
  now(): number;
  /** Secret values scrubbed from a failure's message. */
  secrets: readonly string[];
  /** A run checks credentials itself; a parallel check could log in twice. */
  isRunning(): boolean;
}

export interface Credentials {
  /** Copy each client's current token facts to its status row (after a run). */
  noteTokens(): void;
  /** Run the credentials check of every account now. */
  refresh(): Promise<void>;
}

/** The account's row: its key, the name to show and whether that is only the masked e-mail. */
function rowOf(account: AccountConfig, userId: string | undefined): { name: string; key: string; unidentified: boolean } {
  return { name: accountDisplay(account, userId), key: accountKey(account), unidentified: accountLabel(account, userId) === undefined };
}

export function createCredentials(o: CredentialsOptions): Credentials {
  const { status, clientFor } = o;
  const noteTokens = (): void => {
    for (const account of o.accounts) {
      const tok = clientFor(account).tokenStatus();
      if (!tok) continue;
      const row = rowOf(account, tok.userId);
      status.recordToken(row.name, { obtainedAt: tok.appTokenObtainedAt, expiresAt: tok.appTokenExpiresAt }, row.key, row.unidentified);
    }
  };

  const refresh = async (): Promise<void> => {
    if (o.isRunning()) return;
    for (const account of o.accounts) {
      const client = clientFor(account);
      try {
        const tok = await client.ensureCredentials();
        const row = rowOf(account, tok.userId);
        status.recordCredentials(row.name, { obtainedAt: tok.appTokenObtainedAt, expiresAt: tok.appTokenExpiresAt }, undefined, o.now(), row.key, row.unidentified);
        if (!row.unidentified) o.metrics.setTokenExpiry(row.name, tok.appTokenExpiresAt);
      } catch (err) {
        const e = err as { code?: string; message?: string; retryable?: boolean };
        // The same row as the account's runs (keyed by its state folder).
        const row = rowOf(account, client.tokenStatus()?.userId);
        // A network hiccup says nothing about the credentials; the next run or check decides.
        if (e.retryable) {
          o.logger.info({ account: row.name, code: e.code }, 'credentials check not possible right now');
          continue;
        }
        const message = scrubSecrets(e.message ?? String(err), o.secrets);
        status.recordCredentials(row.name, undefined, { code: e.code ?? 'HUAMI_AUTH_FAILED', message }, o.now(), row.key, row.unidentified);
        o.logger.warn({ account: row.name, code: e.code }, 'credentials check failed');
      }
    }
  };

  return { noteTokens, refresh };
}
