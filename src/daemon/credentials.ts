// The daemon's credentials check (REFRESH_SCHEDULE) and the token facts it shows: per account,
// the refresh ladder outside a run, recorded on the account's status row (keyed by its state
// folder, src/store/identity.ts) and in the token-expiry metric. Two halves: `checkCredentials`
// and `tokenNotes` ask the Huami clients (where the sync runs: the sync worker process or the
// daemon itself, docs/architecture.md "Daemon"); `createCredentials` records what they said.
import type { AccountConfig } from '../config/accounts.js';
import type { HuamiClient } from '../fetch/client.js';
import { scrubSecrets, type Logger } from '../log.js';
import { accountDisplay, accountKey, accountLabel } from '../store/identity.js';
import type { DaemonMetrics } from './metrics.js';
import type { DaemonStatus } from './status.js';

/** An account's row: its key, the name to show and whether that is only the masked e-mail. */
export interface CredentialsRow {
  name: string;
  key: string;
  unidentified: boolean;
}

/** The token times one account's client holds (no secret in here). */
export interface TokenNote {
  row: CredentialsRow;
  obtainedAt: number | undefined;
  expiresAt: number | undefined;
}

/** What the credentials check of one account said: token times, or why not. */
export type CredentialsCheck =
  | { row: CredentialsRow; ok: true; obtainedAt: number | undefined; expiresAt: number | undefined }
  | { row: CredentialsRow; ok: false; code: string | undefined; message: string; retryable: boolean };

export interface CredentialsOptions {
  status: DaemonStatus;
  metrics: DaemonMetrics;
  logger: Logger;
  now(): number;
  /** Secret values scrubbed from a failure's message. */
  secrets: readonly string[];
  /** A run checks credentials itself; a parallel check could log in twice. */
  isRunning(): boolean;
  /** Run the check of every account where the Huami clients live. */
  check(): Promise<CredentialsCheck[]>;
}

export interface Credentials {
  /** Copy each client's current token facts to its status row (after a run). */
  noteTokens(notes: readonly TokenNote[]): void;
  /** Run the credentials check of every account now. */
  refresh(): Promise<void>;
}

/** The account's row: its key, the name to show and whether that is only the masked e-mail. */
function rowOf(account: AccountConfig, userId: string | undefined): CredentialsRow {
  return { name: accountDisplay(account, userId), key: accountKey(account), unidentified: accountLabel(account, userId) === undefined };
}

/** The token times every account's client holds now (after a run). */
export function tokenNotes(accounts: readonly AccountConfig[], clientFor: (a: AccountConfig) => HuamiClient): TokenNote[] {
  const out: TokenNote[] = [];
  for (const account of accounts) {
    const tok = clientFor(account).tokenStatus();
    if (tok) out.push({ row: rowOf(account, tok.userId), obtainedAt: tok.appTokenObtainedAt, expiresAt: tok.appTokenExpiresAt });
  }
  return out;
}

/** The refresh ladder of every account, one after the other; never throws. */
export async function checkCredentials(accounts: readonly AccountConfig[], clientFor: (a: AccountConfig) => HuamiClient): Promise<CredentialsCheck[]> {
  const out: CredentialsCheck[] = [];
  for (const account of accounts) {
    const client = clientFor(account);
    try {
      const tok = await client.ensureCredentials();
      out.push({ row: rowOf(account, tok.userId), ok: true, obtainedAt: tok.appTokenObtainedAt, expiresAt: tok.appTokenExpiresAt });
    } catch (err) {
      const e = err as { code?: string; message?: string; retryable?: boolean };
      // The same row as the account's runs (keyed by its state folder).
      out.push({ row: rowOf(account, client.tokenStatus()?.userId), ok: false, code: e.code, message: e.message ?? String(err), retryable: e.retryable === true });
    }
  }
  return out;
}

export function createCredentials(o: CredentialsOptions): Credentials {
  const { status } = o;
  const noteTokens = (notes: readonly TokenNote[]): void => {
    for (const { row, obtainedAt, expiresAt } of notes) status.recordToken(row.name, { obtainedAt, expiresAt }, row.key, row.unidentified);
  };

  const refresh = async (): Promise<void> => {
    if (o.isRunning()) return;
    let checks: CredentialsCheck[];
    try {
      checks = await o.check();
    } catch (err) {
      // The check itself could not run (its worker process died, the daemon is stopping): that says
      // nothing about the credentials, and REFRESH_SCHEDULE does not await this, so it must not throw.
      const e = err as { code?: string; message?: string };
      o.logger.warn({ code: e.code, err: scrubSecrets(e.message ?? String(err), o.secrets) }, 'credentials check not possible right now');
      return;
    }
    for (const c of checks) {
      const { row } = c;
      if (c.ok) {
        status.recordCredentials(row.name, { obtainedAt: c.obtainedAt, expiresAt: c.expiresAt }, undefined, o.now(), row.key, row.unidentified);
        if (!row.unidentified) o.metrics.setTokenExpiry(row.name, c.expiresAt);
        continue;
      }
      // A network hiccup says nothing about the credentials; the next run or check decides.
      if (c.retryable) {
        o.logger.info({ account: row.name, code: c.code }, 'credentials check not possible right now');
        continue;
      }
      const message = scrubSecrets(c.message, o.secrets);
      status.recordCredentials(row.name, undefined, { code: c.code ?? 'HUAMI_AUTH_FAILED', message }, o.now(), row.key, row.unidentified);
      o.logger.warn({ account: row.name, code: c.code }, 'credentials check failed');
    }
  };

  return { noteTokens, refresh };
}
