// The token store: <stateDir>/<account key>/tokens.json, written atomically (tmp +
// rename) with mode 0600. A corrupt or empty file is reported once and treated as
// absent, so the client falls back to a fresh login instead of crash-looping.
import { createHash, randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { AccountConfig } from '../config/accounts.js';
import type { Logger } from '../log.js';

const TokenSetSchema = z.object({
  version: z.literal(1),
  deviceId: z.string(),
  userId: z.string().optional(),
  region: z.string().optional(),
  countryCode: z.string().optional(),
  dataHost: z.string().optional(),
  accountHost: z.string().optional(),
  appName: z.string().optional(),
  accessCode: z.string().optional(),
  accessCodeExpiresAt: z.number().optional(), // epoch ms, from the Location `expiration`
  loginToken: z.string().optional(),
  loginTokenExpiresAt: z.number().optional(),
  appToken: z.string().optional(),
  appTokenObtainedAt: z.number().optional(),
  appTokenExpiresAt: z.number().optional(), // from app_ttl; absent for a user-supplied token
  appTokenSource: z.enum(['login', 'refresh', 'configured']).optional(),
  loginBlockedUntil: z.number().optional(), // after a login 429 (HUAMI_LOGIN_BACKOFF_HOURS)
  lastLoginAt: z.number().optional(),
  updatedAt: z.number().optional(),
});
/** Everything the client keeps between runs; secrets only ever live here and in memory. */
export type TokenSet = z.infer<typeof TokenSetSchema>;

/**
 * Directory name of an account under STATE_DIR: a hash of its e-mail, else its user id. Never
 * its name, so renaming ACCOUNT_NAME keeps the state (older versions used the name: see
 * store/account-dir.ts for the move of such a folder).
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

/** A new, empty token set with a fresh device id (kept stable per install from then on). */
export function emptyTokenSet(): TokenSet {
  return { version: 1, deviceId: randomUUID() };
}

/** Reads and writes one account's tokens.json. */
export class TokenStore {
  readonly file: string;
  private warned = false;

  constructor(
    stateDir: string,
    readonly key: string,
    private readonly logger: Logger,
  ) {
    this.file = join(stateDir, key, 'tokens.json');
  }

  /** The stored set; undefined when absent, empty or corrupt (logged once, without content). */
  async load(): Promise<TokenSet | undefined> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    let problem: string;
    try {
      const parsed = TokenSetSchema.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data;
      problem = `unexpected content at ${parsed.error.issues[0]?.path.join('.') || '(root)'}`;
    } catch {
      problem = text.trim() ? 'not valid JSON' : 'empty';
    }
    if (!this.warned) {
      this.warned = true;
      this.logger.error({ file: this.file, problem }, 'token file is unusable; ignoring it and logging in again');
    }
    return undefined;
  }

  /** Write atomically: a temp file in the same directory, mode 0600, then rename over. */
  async save(set: TokenSet): Promise<void> {
    const dir = join(this.file, '..');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
    await writeFile(tmp, `${JSON.stringify(set, null, 2)}\n`, { mode: 0o600 });
    await chmod(tmp, 0o600); // the umask cannot widen it, but an existing tmp could have other bits
    await rename(tmp, this.file);
  }
}
