// The token store: <stateDir>/<account key>/tokens.json, written atomically (tmp +
// rename) with mode 0600. A corrupt or empty file is reported once and treated as
// absent, so the client falls back to a fresh login instead of crash-looping.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../log.js';
import { writeFileAtomic } from './atomic.js';

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
    await writeFileAtomic(this.file, `${JSON.stringify(set, null, 2)}\n`, { mode: 0o600 });
  }
}
