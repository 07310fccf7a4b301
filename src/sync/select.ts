// Which configured accounts a run covers (`--account NAME|E-MAIL|USER-ID` or all).
import type { AccountConfig } from '../config/accounts.js';
import type { AppConfig } from '../config/load.js';
import type { Logger } from '../log.js';
import { resolveIdentity, type AccountIdentity } from '../store/identity.js';
import { maskedEmail } from '../store/identity.js';
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

/**
 * The selected accounts with their identity, decided before any request. Moves a state folder
 * that an older version named after ACCOUNT_NAME: the caller holds the STATE_DIR lock.
 */
export async function selectIdentified(config: Pick<AppConfig, 'accounts' | 'raw'>, which: string | undefined, logger: Logger): Promise<{ account: AccountConfig; id: AccountIdentity }[]> {
  const all: { account: AccountConfig; id: AccountIdentity }[] = [];
  for (const account of config.accounts) all.push({ account, id: await resolveIdentity(config.raw.STATE_DIR, account, { migrate: true, logger }) });
  const selected = selectAccounts(config.accounts, which, (a) => all.find((x) => x.account === a)?.id.userId);
  return all.filter((x) => selected.includes(x.account));
}
