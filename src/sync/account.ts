// One account's run: credentials, plan, fetch in chunks, decide per day, write in
// groups, advance state only after the writer confirmed.
import type { AccountConfig } from '../config/accounts.js';
import type { HuamiClient } from '../fetch/client.js';
import { accountDisplay, accountKey } from '../store/identity.js';
import { resolveIdentity, type AccountIdentity } from '../store/identity.js';
import { addDays, todayIn } from './dates.js';
import { describeError, endRun, recordFailure, SyncError } from './errors.js';
import { progressOf } from './lifecycle.js';
import { planDays, type Plan } from './planner.js';
import { RawArchive } from '../store/raw-archive.js';
import { runDays } from './run-days.js';
import { syncEvents } from './events.js';
import { syncWorkouts } from './workouts.js';
import type { RunPointMeta } from './run-point.js';
import { StateStore, type AccountState, type DayState } from '../store/state.js';
import { emptyResult, type AccountRunResult, type SyncDeps, type SyncOptions } from './types.js';

/** The `user` tag of an account: its name, else the Huami user id (configured, from the login, or recorded at the first login). */
export function userTag(account: AccountConfig, client?: Pick<HuamiClient, 'tokenStatus'>, known?: string): string {
  const user = account.name || account.userId || client?.tokenStatus()?.userId || known || '';
  if (!user) throw new SyncError('SYNC_NO_USER', 'the account has no name and the Huami login returned no user id');
  return String(user);
}

/** Run one account; never throws (a failure is in the result). `id`: its identity, when the caller resolved it. */
export async function syncAccount(deps: SyncDeps, account: AccountConfig, opts: SyncOptions, id?: AccountIdentity): Promise<{ result: AccountRunResult; meta: RunPointMeta }> {
  const raw = deps.config.raw;
  const startedAt = deps.now().getTime();
  // One identity from the first line on (src/store/identity.ts): the label when it is known
  // from configuration or an earlier login, else the masked e-mail, marked unidentified so
  // that no metric or sync_run point carries it; the key of the result never changes.
  const r: AccountRunResult = { ...emptyResult(id?.display ?? accountDisplay(account), startedAt), key: id?.key ?? accountKey(account) };
  const meta: RunPointMeta = { user: r.account, timezone: account.timezone };
  let log = deps.logger.child({ account: r.account });
  let client: HuamiClient | undefined;
  let requests0 = 0;
  let store: StateStore | undefined;
  let known: AccountIdentity | undefined = id;
  const states = new Map<string, DayState>();
  const today = todayIn(account.timezone, deps.now());
  let plan: Plan | undefined;
  let facts: AccountState = { user: '', timezone: account.timezone };
  try {
    known ??= await resolveIdentity(raw.STATE_DIR, account);
    r.account = meta.user = known.display;
    if (!known.label) r.unidentified = true;
    log = deps.logger.child({ account: r.account });
    store = new StateStore(raw.STATE_DIR, known.key);
    const previous = await store.readAccount();
    // Known before the login, so a failed login does not lose them from the account state.
    meta.lastSuccessAt = previous?.lastSuccessAt;
    r.lastDataAt = previous?.lastDataAt;
    client = deps.clientFor(account);
    requests0 = client.requestCount;
    await client.ensureCredentials();
    const user = userTag(account, client, known.userId);
    r.account = meta.user = user;
    delete r.unidentified;
    log = deps.logger.child({ account: user });
    for (const [d, s] of await store.loadAll()) states.set(d, s);
    facts = { ...previous, user, timezone: account.timezone };
    const archive = new RawArchive(raw.STATE_DIR, known.key);
    const planFor = (skip?: ReadonlySet<string>): Plan => {
      const newest = progressOf(states, facts.syncStart, today, facts.newestDataDay).newestDataDay;
      const lookback = raw.SYNC_LOOKBACK_DAYS;
      return planDays({
        today, startDate: raw.SYNC_START_DATE, syncStart: facts.syncStart, lookbackDays: lookback, chunkDays: raw.HUAMI_CHUNK_DAYS,
        from: opts.from, to: opts.to, states, skip,
        due: { now: deps.now().getTime(), newestDataDay: newest, lastDataAt: r.lastDataAt, recentFrom: previous?.newestDataDay ? addDays(previous.newestDataDay, 1 - lookback) : undefined },
      });
    };
    plan = planFor();
    log.info({ from: plan.from, to: plan.to, requests: plan.ranges.length, reason: plan.reason, force: !!opts.force }, 'sync plan');
    // The ordinary range's start is fixed by the first plain run; explicit ranges never set
    // or move it (the next plain run is exactly what it would have been).
    if (plan.reason !== 'explicit' && !facts.syncStart) facts.syncStart = plan.start;
    const run = { deps, account, opts, client, store, archive, user, states, result: r, log, known: facts, key: known.key, progress: { done: 0, total: 0 } };
    const fetched = await runDays(run, plan.ranges);
    // The band uploaded since some empty days were last looked at: fetch those now, not next run.
    if (plan.reason === 'incremental' && !deps.signal?.aborted) {
      const again = planFor(fetched);
      if (again.ranges.length) {
        log.info({ ranges: again.ranges.length }, 'the band uploaded older days; fetching them too');
        await runDays(run, again.ranges);
      }
    }
    // The workouts start while the event streams' last day states are still being saved; their
    // first write waits for the events' last points to be confirmed.
    const events = raw.SYNC_EVENTS && !deps.signal?.aborted ? await syncEvents(run, previous?.newestDataDay) : undefined;
    try {
      if (raw.SYNC_WORKOUTS && !deps.signal?.aborted) await syncWorkouts({ ...run, since: opts.from ?? facts.syncStart, after: events?.confirmed });
    } finally {
      await events?.done;
    }
  } catch (err) {
    recordFailure(r, err, log, 'account sync failed');
  }
  endRun(r, deps);
  r.requests = client ? client.requestCount - requests0 : 0;
  try {
    r.tokenExpiresAt = client?.tokenStatus()?.appTokenExpiresAt ?? undefined;
  } catch {
    /* no token status: leave it out */
  }
  const progress = progressOf(states, plan ? plan.start : facts.syncStart, today, facts.newestDataDay);
  r.lastWrittenDay = progress.syncedUpTo;
  r.daysBehind = progress.daysBehind;
  // Failed days of the event streams were added by syncEvents (their message names the stream).
  r.failedDays = [...progress.failed.map((s) => ({ date: s.date, code: s.failure?.code ?? '', message: s.failure?.message ?? '', attempts: s.failure?.attempts ?? 0, retryAfter: s.failure?.retryAfter ?? 0 })), ...r.failedDays];
  r.daysFailed = r.failedDays.length;
  if (r.ok) meta.lastSuccessAt = r.finishedAt;
  if (store && !r.unidentified) {
    try {
      const userId = clientUserId(client) ?? known?.userId;
      await store.writeAccount({ ...facts, user: meta.user, ...(userId ? { userId } : {}), timezone: account.timezone, lastSuccessAt: meta.lastSuccessAt, lastDataAt: r.lastDataAt, newestDataDay: progress.newestDataDay });
      r.archivedDays = (await new RawArchive(raw.STATE_DIR, r.key ?? accountKey(account)).dates()).length;
    } catch (err) {
      log.warn({ err: describeError(err).message }, 'could not save the account state');
    }
  }
  return { result: r, meta };
}

function clientUserId(client: HuamiClient | undefined): string | undefined {
  try {
    return client?.tokenStatus()?.userId || undefined;
  } catch {
    return undefined;
  }
}

