// One account's run: credentials, plan, fetch in chunks, decide per day, write in
// groups, advance state only after the writer confirmed.
import type { AccountConfig } from '../config/accounts.js';
import { decodeItem } from '../decode/index.js';
import type { HuamiClient } from '../huami/client.js';
import { accountKey, accountLabel } from '../huami/token-store.js';
import { addDays, todayIn } from './dates.js';
import { describeError, SyncError } from './errors.js';
import { progressOf } from './lifecycle.js';
import { planDays, type Plan } from './planner.js';
import { RawArchive } from './raw-archive.js';
import { runDays } from './run-days.js';
import type { RunPointMeta } from './run-point.js';
import { StateStore, type AccountState, type DayState } from './state.js';
import { emptyResult, type AccountRunResult, type SyncDeps, type SyncOptions } from './types.js';

/** The `user` tag of an account: its name, else the Huami user id (from config, login or the last run). */
export function userTag(account: AccountConfig, client?: Pick<HuamiClient, 'tokenStatus'>, known?: string): string {
  const user = account.name || account.userId || client?.tokenStatus()?.userId || known || '';
  if (!user) throw new SyncError('SYNC_NO_USER', 'the account has no name and the Huami login returned no user id');
  return String(user);
}

/** Run one account; never throws (a failure is in the result). */
export async function syncAccount(deps: SyncDeps, account: AccountConfig, opts: SyncOptions): Promise<{ result: AccountRunResult; meta: RunPointMeta }> {
  const raw = deps.config.raw;
  const startedAt = deps.now().getTime();
  // Before login the label is the name, the configured user id, or the state folder's key;
  // after login the `user` tag (the daemon's credentials check labels accounts the same way).
  const r: AccountRunResult = emptyResult(accountLabel(account), startedAt);
  const meta: RunPointMeta = { user: r.account, timezone: account.timezone };
  let log = deps.logger.child({ account: r.account });
  let client: HuamiClient | undefined;
  let requests0 = 0;
  let store: StateStore | undefined;
  const states = new Map<string, DayState>();
  const today = todayIn(account.timezone, deps.now());
  let plan: Plan | undefined;
  let known: AccountState = { user: '', timezone: account.timezone };
  try {
    // Same directory as the token store (huami/token-store.ts accountKey), known before login.
    store = new StateStore(raw.STATE_DIR, accountKey(account));
    const previous = await store.readAccount();
    if (!account.name && !account.userId && previous?.user) r.account = meta.user = previous.user;
    client = deps.clientFor(account);
    requests0 = client.requestCount;
    await client.ensureCredentials();
    const user = userTag(account, client, previous?.user);
    r.account = meta.user = user;
    log = deps.logger.child({ account: user });
    for (const [d, s] of await store.loadAll()) states.set(d, s);
    meta.lastSuccessAt = previous?.lastSuccessAt;
    r.lastDataAt = previous?.lastDataAt;
    known = { ...previous, user, timezone: account.timezone };
    const archive = new RawArchive(raw.STATE_DIR, accountKey(account));
    const planFor = (skip?: ReadonlySet<string>): Plan => {
      const newest = progressOf(states, known.syncStart, today, known.newestDataDay).newestDataDay;
      const lookback = raw.SYNC_LOOKBACK_DAYS;
      return planDays({
        today, startDate: raw.SYNC_START_DATE, syncStart: known.syncStart, lookbackDays: lookback, chunkDays: raw.HUAMI_CHUNK_DAYS,
        from: opts.from, to: opts.to, states, skip,
        due: { now: deps.now().getTime(), newestDataDay: newest, lastDataAt: r.lastDataAt, recentFrom: previous?.newestDataDay ? addDays(previous.newestDataDay, 1 - lookback) : undefined },
      });
    };
    plan = planFor();
    log.info({ from: plan.from, to: plan.to, requests: plan.ranges.length, reason: plan.reason, force: !!opts.force }, 'sync plan');
    // The ordinary range's start is fixed by the first plain run; explicit ranges never set
    // or move it (the next plain run is exactly what it would have been).
    if (plan.reason !== 'explicit' && !known.syncStart) known.syncStart = plan.start;
    const run = { deps, account, opts, client, store, archive, user, states, result: r, log, known };
    const fetched = await runDays(run, plan.ranges);
    // The band uploaded since some empty days were last looked at: fetch those now, not next run.
    if (plan.reason === 'incremental' && !deps.signal?.aborted) {
      const again = planFor(fetched);
      if (again.ranges.length) {
        log.info({ ranges: again.ranges.length }, 'the band uploaded older days; fetching them too');
        await runDays(run, again.ranges);
      }
    }
  } catch (err) {
    r.ok = false;
    r.error = describeError(err);
    log.error({ code: r.error.code, err: r.error.message }, 'account sync failed');
  }
  if (deps.signal?.aborted) r.aborted = true;
  r.finishedAt = deps.now().getTime();
  r.requests = client ? client.requestCount - requests0 : 0;
  try {
    r.tokenExpiresAt = client?.tokenStatus()?.appTokenExpiresAt ?? undefined;
  } catch {
    /* no token status: leave it out */
  }
  const progress = progressOf(states, plan ? plan.start : known.syncStart, today, known.newestDataDay);
  r.lastWrittenDay = progress.syncedUpTo;
  r.daysBehind = progress.daysBehind;
  r.failedDays = progress.failed.map((s) => ({ date: s.date, code: s.failure?.code ?? '', message: s.failure?.message ?? '', attempts: s.failure?.attempts ?? 0, retryAfter: s.failure?.retryAfter ?? 0 }));
  r.daysFailed = r.failedDays.length;
  if (r.ok) meta.lastSuccessAt = r.finishedAt;
  if (store) {
    try {
      await store.writeAccount({ ...known, user: meta.user, timezone: account.timezone, lastSuccessAt: meta.lastSuccessAt, lastDataAt: r.lastDataAt, newestDataDay: progress.newestDataDay });
      r.archivedDays = (await new RawArchive(raw.STATE_DIR, accountKey(account)).dates()).length;
    } catch (err) {
      log.warn({ err: describeError(err).message }, 'could not save the account state');
    }
  }
  return { result: r, meta };
}

