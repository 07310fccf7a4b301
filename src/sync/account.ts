// One account's run: credentials, plan, fetch in chunks, decide per day, write in
// groups, advance state only after the writer confirmed (issue 4, style.md #10).
import type { AccountConfig } from '../config/accounts.js';
import { decodeItem } from '../decode/index.js';
import type { HuamiClient } from '../huami/client.js';
import { accountDisplay, accountKey } from '../huami/token-store.js';
import { resolveIdentity, type AccountIdentity } from '../store/account-dir.js';
import type { Point } from '../schema/point.js';
import { DayBatch, type FlushResult } from './batch.js';
import { addDays, chunkRange, dateRange, daysBetween, todayIn } from './dates.js';
import { decideDay, groupByDate } from './day.js';
import { describeError, SyncError } from './errors.js';
import { firstPending, planDays, type Plan } from './planner.js';
import { RawArchive } from './raw-archive.js';
import type { RunPointMeta } from './run-point.js';
import { StateStore, type DayState } from './state.js';
import { emptyResult, type AccountRunResult, type SyncDeps, type SyncOptions } from './types.js';

/** The `user` tag of an account: its name, else the Huami user id (configured, from the login, or recorded at the first login). */
export function userTag(account: AccountConfig, client?: Pick<HuamiClient, 'tokenStatus'>, known?: string): string {
  const user = account.name || account.userId || client?.tokenStatus()?.userId || known || '';
  if (!user) throw new SyncError('SYNC_NO_USER', 'the account has no name and the Huami login returned no user id');
  return String(user);
}

/** End of the contiguous run of done days (the cursor), if any. */
export function lastDoneDay(states: ReadonlyMap<string, DayState>, today: string): string | undefined {
  const earliest = [...states.keys()].sort()[0];
  if (!earliest) return undefined;
  const next = firstPending(earliest, today, doneView(states));
  return next > earliest ? addDays(next, -1) : undefined;
}

const doneView = (states: ReadonlyMap<string, DayState>): Map<string, { done: boolean }> =>
  new Map([...states].map(([d, s]) => [d, { done: s.writtenAt != null }]));

/** Newest band sync (`activity_daily.band_sync_s`) among a day's points, epoch ms. */
function newestBandSync(points: readonly Point[]): number | undefined {
  let max: number | undefined;
  for (const p of points) {
    const v = p.measurement === 'activity_daily' ? p.fields.band_sync_s : undefined;
    if (typeof v === 'number' && (max === undefined || v > max)) max = v;
  }
  return max === undefined ? undefined : max * 1000;
}

/** Run one account; never throws (a failure is in the result). `id`: its identity, when the caller resolved it. */
export async function syncAccount(deps: SyncDeps, account: AccountConfig, opts: SyncOptions, id?: AccountIdentity): Promise<{ result: AccountRunResult; meta: RunPointMeta }> {
  const raw = deps.config.raw;
  const startedAt = deps.now().getTime();
  // One identity from the first line on (store/account-dir.ts): the label when it is known
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
    plan = planDays({ today, startDate: raw.SYNC_START_DATE, lookbackDays: raw.SYNC_LOOKBACK_DAYS, from: opts.from, to: opts.to, states: doneView(states) });
    log.info({ from: plan.from, to: plan.to, reason: plan.reason, force: !!opts.force }, 'sync plan');
    await runPlan({ deps, account, opts, client, store, user, plan, states, result: r, log });
  } catch (err) {
    r.ok = false;
    r.error = describeError(err);
    log.error({ code: r.error.code, err: r.error.message }, 'account sync failed');
  }
  r.finishedAt = deps.now().getTime();
  r.requests = client ? client.requestCount - requests0 : 0;
  try {
    r.tokenExpiresAt = client?.tokenStatus()?.appTokenExpiresAt ?? undefined;
  } catch {
    /* no token status: leave it out */
  }
  r.lastWrittenDay = lastDoneDay(states, today);
  r.daysBehind = r.lastWrittenDay ? Math.max(0, daysBetween(r.lastWrittenDay, today)) : plan ? Math.max(0, daysBetween(plan.from, today) + 1) : 0;
  if (r.ok) meta.lastSuccessAt = r.finishedAt;
  if (store && !r.unidentified) {
    try {
      const userId = clientUserId(client) ?? known?.userId;
      await store.writeAccount({ user: meta.user, ...(userId ? { userId } : {}), timezone: account.timezone, lastSuccessAt: meta.lastSuccessAt, lastDataAt: r.lastDataAt });
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

interface PlanRun {
  deps: SyncDeps;
  account: AccountConfig;
  opts: SyncOptions;
  client: HuamiClient;
  store: StateStore;
  user: string;
  plan: Plan;
  states: Map<string, DayState>;
  result: AccountRunResult;
  log: SyncDeps['logger'];
}

async function runPlan(p: PlanRun): Promise<void> {
  const { deps, plan, result: r } = p;
  const raw = deps.config.raw;
  if (plan.from > plan.to) return;
  const total = daysBetween(plan.from, plan.to) + 1;
  const queryType = raw.SYNC_DETAIL ? 'detail' : 'summary'; // detail items carry the summary too (§4.2)
  // Groups of a few write batches: fewer part-filled requests, and one group is written
  // while the next is fetched and decoded (at most one in flight, so the days are still
  // recorded in order and a failed group stops the run before the next one is sent).
  const groupPoints = raw.INFLUX_BATCH_SIZE * GROUP_BATCHES;
  const batch = new DayBatch();
  const target = { writer: deps.writer, store: p.store, archive: new RawArchive(raw.STATE_DIR, accountKey(p.account)), user: p.user, now: () => deps.now().getTime() };
  const bandSync = new Map<string, number>();
  let inflight: Promise<FlushResult> | undefined;
  let writeFailed = false;
  const settle = async (): Promise<void> => {
    const pending = inflight;
    inflight = undefined;
    if (!pending) return;
    const f = await pending.catch((err: unknown) => {
      writeFailed = true;
      throw err;
    });
    r.daysWritten += f.daysWritten;
    r.points += f.points;
    for (const s of f.written) {
      p.states.set(s.date, s);
      const seen = bandSync.get(s.date);
      if (seen !== undefined && (r.lastDataAt === undefined || seen > r.lastDataAt)) r.lastDataAt = seen;
      bandSync.delete(s.date);
    }
    if (f.written.length) p.log.debug({ days: f.written.length, points: f.points }, 'days written');
  };
  const startFlush = async (): Promise<void> => {
    await settle();
    if (batch.length === 0) return;
    inflight = batch.flush(target);
    inflight.catch(() => undefined); // awaited (and rethrown) by the next settle()
  };
  let done = 0;
  try {
    for (const chunk of chunkRange(plan.from, plan.to, raw.HUAMI_CHUNK_DAYS)) {
      if (deps.signal?.aborted) break;
      const items = await p.client.getBandData(chunk.from, chunk.to, queryType);
      const fetchedAt = deps.now().getTime();
      const byDate = groupByDate(items);
      p.log.info({ from: chunk.from, to: chunk.to, days: byDate.size }, 'fetched band data');
      for (const date of dateRange(chunk.from, chunk.to)) {
        if (deps.signal?.aborted) break;
        r.daysFetched++;
        const decision = decideDay({ date, items: byDate.get(date) ?? [], previous: p.states.get(date), fetchedAt, force: !!p.opts.force, timeZone: p.account.timezone, user: p.user, decode: decodeItem });
        if (decision.kind === 'vanished') {
          r.warnings++;
          p.log.warn({ day: date }, 'Huami no longer returns this day; its written points are kept');
        } else if (decision.kind === 'write') {
          const w = decision.work;
          r.warnings += w.warnings.length;
          // Issue 3: a warning names the day and the problem; users need to see it.
          for (const warn of w.warnings) p.log.warn({ day: warn.day, code: warn.code }, warn.message);
          const seen = newestBandSync(w.points);
          if (seen !== undefined) bandSync.set(date, seen);
          batch.add(w);
          if (batch.size >= groupPoints) await startFlush();
          // Let the in-flight write's body and answer through between days: decoding a
          // group in one go would hold the event loop and serialise write and decode.
          else if (inflight) await new Promise((resolve) => setImmediate(resolve));
        }
        deps.onProgress?.({ account: p.user, day: date, done: ++done, total });
      }
    }
  } catch (err) {
    // A Huami failure: the days prepared before it are still good, so write them first.
    // A write failure: InfluxDB just refused or did not answer; trying again would only
    // repeat the retries, and those days stay pending for the next run anyway.
    await settle().catch(() => undefined);
    if (!writeFailed) {
      await startFlush().catch(() => undefined);
      await settle().catch(() => undefined);
    }
    throw err;
  }
  await startFlush();
  await settle();
  if (deps.signal?.aborted) p.log.info({ done, total }, 'sync stopped between days');
}

/** Write batches per group of days handed to the writer at once. */
const GROUP_BATCHES = 2;
