// Which configured accounts a run covers (`--account NAME` or all).
import type { AccountConfig } from '../config/accounts.js';
import { SyncError } from './errors.js';

/** The accounts a run covers: all, or the one named by `--account`. */
export function selectAccounts(accounts: readonly AccountConfig[], name?: string): AccountConfig[] {
  if (accounts.length === 0)
    throw new SyncError('SYNC_NO_ACCOUNT', 'no account is configured: set HUAMI_EMAIL and HUAMI_PASSWORD (or HUAMI_APP_TOKEN and HUAMI_USER_ID), or ACCOUNTS_FILE');
  if (!name) return [...accounts];
  const found = accounts.filter((a) => a.name === name || (!a.name && a.userId === name));
  if (found.length === 0)
    throw new SyncError('SYNC_UNKNOWN_ACCOUNT', `no account named "${name}" (configured: ${accounts.map((a) => a.name || a.userId || '(unnamed)').join(', ')})`);
  return found;
}
