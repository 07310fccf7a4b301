// `mifit-sync status [--account NAME] [--json]`: token age and expiry, login backoff and
// the last written day of every account, read from STATE_DIR without any network call.
// Times read as the status page shows them: local time in the account's zone with its
// offset and how long ago / from now; --json keeps ISO 8601 UTC plus the zone.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load.js';
import { accountDisplay, accountKey, TokenStore } from '../huami/token-store.js';
import { createLogger } from '../log.js';
import { formatWhen } from '../daemon/page.js';

export interface AccountStatus {
  account: string;
  /** IANA zone of the account; the human output shows times in it. */
  timezone: string;
  userId: string | null;
  region: string | null;
  dataHost: string | null;
  appTokenSource: string | null;
  appTokenObtainedAt: string | null;
  appTokenAgeSeconds: number | null;
  appTokenExpiresAt: string | null;
  loginTokenExpiresAt: string | null;
  accessCodeExpiresAt: string | null;
  loginBlockedUntil: string | null;
  lastWrittenDay: string | null;
}

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

/** The newest YYYY-MM-DD.json under days/ whose state says it was written (sync's per-day state). */
async function lastWrittenDay(dir: string): Promise<string | null> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /^\d{4}-\d{2}-\d{2}\.json$/.test(n)).sort().reverse();
  } catch {
    return null; // no sync yet
  }
  for (const name of names) {
    try {
      const state = JSON.parse(await readFile(join(dir, name), 'utf8')) as { writtenAt?: unknown };
      if (state.writtenAt) return name.slice(0, 10);
    } catch {
      // an unreadable day file: look at the one before
    }
  }
  return null;
}

function human(s: AccountStatus, nowMs: number): string {
  const when = (t: string | null): string => (t ? formatWhen(Date.parse(t), nowMs, s.timezone) : 'unknown');
  const until = (t: string | null): string => (t ? `${when(t)}${Date.parse(t) < nowMs ? ' (passed)' : ''}` : 'unknown');
  const lines = [`${s.account}: user ${s.userId ?? '?'}, region ${s.region ?? '?'}, data host ${s.dataHost ?? '?'}; times in ${s.timezone}`];
  if (!s.appTokenObtainedAt && !s.appTokenExpiresAt && !s.userId) lines.push('  no token stored: run "mifit-sync login"');
  else {
    lines.push(`  app token:     obtained ${when(s.appTokenObtainedAt)} via ${s.appTokenSource ?? '?'}, expires ${until(s.appTokenExpiresAt)}`);
    lines.push(`  login token:   expires ${until(s.loginTokenExpiresAt)}`);
    lines.push(`  access code:   expires ${until(s.accessCodeExpiresAt)}`);
  }
  const blocked = s.loginBlockedUntil && Date.parse(s.loginBlockedUntil) > nowMs;
  lines.push(`  login backoff: ${blocked ? `rate limited until ${when(s.loginBlockedUntil)}` : 'none'}`);
  lines.push(`  last written day: ${s.lastWrittenDay ?? 'none yet'}`);
  return lines.join('\n');
}

/** Exit 0; prints one block (or one JSON array) for the configured accounts. */
export async function run(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseArgs({ args, options: { account: { type: 'string' }, json: { type: 'boolean' } }, strict: true });
  const config = loadConfig(env);
  const logger = createLogger(config.raw.LOG_LEVEL);
  const accounts = config.accounts.filter((a) => !values.account || a.name === values.account);
  const now = Date.now();
  const out: AccountStatus[] = [];
  for (const account of accounts) {
    const key = accountKey(account);
    const set = await new TokenStore(config.raw.STATE_DIR, key, logger).load();
    out.push({
      account: accountDisplay(account, set?.userId),
      timezone: account.timezone,
      userId: set?.userId ?? (account.userId || null),
      region: set?.region ?? null,
      dataHost: set?.dataHost ?? null,
      appTokenSource: set?.appTokenSource ?? null,
      appTokenObtainedAt: iso(set?.appTokenObtainedAt),
      appTokenAgeSeconds: set?.appTokenObtainedAt === undefined ? null : Math.round((now - set.appTokenObtainedAt) / 1000),
      appTokenExpiresAt: iso(set?.appTokenExpiresAt),
      loginTokenExpiresAt: iso(set?.loginTokenExpiresAt),
      accessCodeExpiresAt: iso(set?.accessCodeExpiresAt),
      loginBlockedUntil: iso(set?.loginBlockedUntil),
      lastWrittenDay: await lastWrittenDay(join(config.raw.STATE_DIR, key, 'days')),
    });
  }
  if (values.json) process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  else if (!out.length) process.stdout.write(values.account ? `no account named "${values.account}"\n` : 'no account configured (see README "Configuration")\n');
  else process.stdout.write(`${out.map((s) => human(s, now)).join('\n\n')}\n`);
  return values.account && !out.length ? 2 : 0;
}
