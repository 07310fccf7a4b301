// An account's identity, decided once from its configuration and its state before any login:
// the state folder (accountKey: e-mail hash or user id, never the name), the label / `user` tag
// (name, configured user id, else the Huami user id recorded at the first login) and what to
// show while no label is known yet (the masked e-mail). Also moves a folder that an older
// version named after ACCOUNT_NAME to its key, so existing installs keep their state.
import { createHash } from 'node:crypto';
import { readdir, readFile, rename, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AccountConfig } from '../config/accounts.js';
import type { Logger } from '../log.js';

/**
 * Directory name of an account under STATE_DIR: a hash of its e-mail, else its user id. Never
 * its name, so renaming ACCOUNT_NAME keeps the state (older versions used the name:
 * migrateLegacyDir below moves such a folder).
 */
export function accountKey(account: Pick<AccountConfig, 'email' | 'userId'>): string {
  if (account.email) return `email-${createHash('sha256').update(account.email.trim().toLowerCase()).digest('hex').slice(0, 12)}`;
  return account.userId ? `user-${account.userId}` : 'default';
}

/**
 * The account's label and `user` tag: its name, its configured user id, else the Huami user id
 * its first login returned (recorded in its state). Undefined while none is known: an unnamed
 * e-mail account before its first successful login has no label, and nothing is tagged then.
 */
export function accountLabel(account: Pick<AccountConfig, 'name' | 'userId'>, knownUserId?: string): string | undefined {
  return account.name || account.userId || knownUserId || undefined;
}

/** "j***@example.com": how an account without a label yet is shown (status row, summary, log). */
export function maskedEmail(email: string): string {
  const e = email.trim();
  const at = e.lastIndexOf('@');
  return at > 0 ? `${e.slice(0, 1)}***${e.slice(at)}` : '***';
}

/** What the status page, the summary and log lines show: the label, else the masked e-mail. */
export function accountDisplay(account: Pick<AccountConfig, 'name' | 'email' | 'userId'>, knownUserId?: string): string {
  return accountLabel(account, knownUserId) ?? (account.email ? maskedEmail(account.email) : accountKey(account));
}

export interface AccountIdentity {
  /** The state folder under STATE_DIR: stable for the account's lifetime. */
  key: string;
  /** The label and `user` tag; undefined until the Huami user id of an unnamed e-mail account is known. */
  label: string | undefined;
  /** The label, else the masked e-mail (status row, summary, log). */
  display: string;
  /** The Huami user id: configured, else recorded in the account's state. */
  userId: string | undefined;
}

const isDir = async (p: string): Promise<boolean> => (await stat(p).catch(() => undefined))?.isDirectory() ?? false;

async function readJson(file: string): Promise<Record<string, unknown> | undefined> {
  try {
    const v = JSON.parse(await readFile(file, 'utf8')) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : undefined);

/** The Huami user id recorded in an account folder: account.json, else the token file. */
async function recordedUserId(dir: string): Promise<string | undefined> {
  return str((await readJson(join(dir, 'account.json')))?.userId) ?? str((await readJson(join(dir, 'tokens.json')))?.userId);
}

/** Move `from`'s entries into `to` where `to` lacks them (each move is one atomic rename); what both have stays in `from`. */
async function mergeInto(from: string, to: string): Promise<string[]> {
  const left: string[] = [];
  for (const name of await readdir(from)) {
    const src = join(from, name);
    const dst = join(to, name);
    const there = await stat(dst).catch(() => undefined);
    if (!there) await rename(src, dst);
    else if (there.isDirectory() && (await isDir(src))) left.push(...(await mergeInto(src, dst)));
    else left.push(src);
  }
  if (left.length === 0) await rmdir(from).catch(() => undefined);
  return left;
}

const LEGACY_CONTENT = ['tokens.json', 'account.json', 'days', 'raw'];

/**
 * Older versions kept a named account under STATE_DIR/<name>. Move such a folder to the
 * account's key: one rename when the key folder does not exist yet, else entry by entry
 * (a folder both have is merged; a file both have keeps the key folder's and is left behind,
 * with a warning). Run under the STATE_DIR lock; safe to repeat after an interruption.
 */
export async function migrateLegacyDir(stateDir: string, account: Pick<AccountConfig, 'name' | 'email' | 'userId'>, logger?: Logger): Promise<void> {
  const key = accountKey(account);
  const legacy = account.name;
  if (!legacy || legacy === key || legacy.startsWith('.')) return;
  const from = join(stateDir, legacy);
  if (!(await isDir(from))) return;
  const entries = await readdir(from);
  if (!entries.some((e) => LEGACY_CONTENT.includes(e))) return;
  const to = join(stateDir, key);
  if (!(await isDir(to))) {
    await rename(from, to);
    logger?.info({ account: legacy, from, to }, 'moved the account state to its new folder (named after the e-mail or user id, so renaming the account keeps it)');
    return;
  }
  const left = await mergeInto(from, to);
  if (left.length) logger?.warn({ account: legacy, from, to, left }, 'the account state was moved, but these entries exist in both folders; the new folder\'s are used');
  else logger?.info({ account: legacy, from, to }, 'merged the account state into its new folder');
}

/** The account's identity from its configuration and state (after moving a legacy folder when `migrate`). */
export async function resolveIdentity(stateDir: string, account: AccountConfig, o: { migrate?: boolean; logger?: Logger } = {}): Promise<AccountIdentity> {
  if (o.migrate) await migrateLegacyDir(stateDir, account, o.logger);
  const key = accountKey(account);
  const userId = account.userId || (await recordedUserId(join(stateDir, key)));
  return { key, label: accountLabel(account, userId), display: accountDisplay(account, userId), userId };
}
