// Which configured accounts a run covers (`--account NAME|E-MAIL|USER-ID` or all).
import type { AccountConfig } from '../config/accounts.js';
import { maskedEmail } from '../huami/token-store.js';
import { SyncError } from './errors.js';

const sameEmail = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * The accounts a run covers: all, or the one `--account` names by its name, its e-mail or its
 * Huami user id (configured, or recorded at its first login: `knownUserId`).
 */
export function selectAccounts(accounts: readonly AccountConfig[], which?: string, knownUserId: (a: AccountConfig) => string | undefined = () => undefined): AccountConfig[] {
  if (accounts.length === 0)
    throw new SyncError('SYNC_NO_ACCOUNT', 'no account is configured: set HUAMI_EMAIL and HUAMI_PASSWORD (or HUAMI_APP_TOKEN and HUAMI_USER_ID), or ACCOUNTS_FILE');
  if (!which) return [...accounts];
  const byName = accounts.filter((a) => a.name && a.name === which);
  const found = byName.length ? byName : accounts.filter((a) => (a.email && sameEmail(a.email, which)) || (a.userId || knownUserId(a)) === which);
  if (found.length === 0) {
    const known = accounts.map((a) => [a.name, a.email && maskedEmail(a.email), a.userId || knownUserId(a)].filter(Boolean).join(' / ') || '(unnamed)');
    throw new SyncError('SYNC_UNKNOWN_ACCOUNT', `no account "${which}": --account takes an account's name, e-mail or Huami user id (configured: ${known.join('; ')})`);
  }
  return found;
}
