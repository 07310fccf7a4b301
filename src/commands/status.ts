// `mifit-sync status [--account NAME] [--json]`: token age and expiry, login backoff, where
// each account stands (synced up to, days behind, days per state, failed days, raw archive),
// read from STATE_DIR without any network call.
// Times read as the status page shows them: local time in the account's zone with its
// offset and how long ago / from now; --json keeps ISO 8601 UTC plus the zone.
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load.js';
import { accountDisplay, accountKey } from '../store/identity.js';
import { TokenStore } from '../store/tokens.js';
import { createLogger } from '../log.js';
import { formatWhen } from '../daemon/page.js';
import { readStanding } from '../sync/standing.js';

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
  /** "Synced up to": the newest day the band uploaded, once no earlier day is pending (null before any). */
  lastWrittenDay: string | null;
  daysBehind: number;
  /** Days per state: written, no-data, pending, failed. */
  days: Record<string, number>;
  /** Failed days with their reason; retryAfter as ISO 8601 UTC. */
  failedDays: { date: string; code: string; message: string; attempts: number; retryAfter: string | null }[];
  archivedDays: number;
}

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

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
  lines.push(`  synced up to:  ${s.lastWrittenDay ? `${s.lastWrittenDay} (the band's newest upload; ${s.daysBehind} ${s.daysBehind === 1 ? 'day' : 'days'} behind)` : 'none yet'}`);
  lines.push(`  days:          ${s.days.written ?? 0} written, ${s.days['no-data'] ?? 0} no data, ${s.days.pending ?? 0} pending, ${s.days.failed ?? 0} failed; ${s.archivedDays} in the raw archive`);
  for (const f of s.failedDays) lines.push(`  failed day:    ${f.date} [${f.code}] ${f.message} (attempt ${f.attempts}, next try ${when(f.retryAfter)})`);
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
    const standing = await readStanding(config.raw.STATE_DIR, key, account.timezone, new Date(now));
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
      lastWrittenDay: standing.syncedUpTo ?? null,
      daysBehind: standing.daysBehind,
      days: standing.days,
      failedDays: standing.failedDays.map((f) => ({ ...f, retryAfter: iso(f.retryAfter || undefined) })),
      archivedDays: standing.archivedDays,
    });
  }
  if (values.json) process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  else if (!out.length) process.stdout.write(values.account ? `no account named "${values.account}"\n` : 'no account configured (see README "Configuration")\n');
  else process.stdout.write(`${out.map((s) => human(s, now)).join('\n\n')}\n`);
  return values.account && !out.length ? 2 : 0;
}
