// `reprocess`: re-decode the raw archive and rewrite those days (delete old ∪ new spans,
// then write) after a decoder fix, without a single Huami request.
import type { AccountConfig } from '../config/accounts.js';
import { decodeItem } from '../decode/index.js';
import type { AccountIdentity } from '../store/identity.js';
import { userTag } from './account.js';
import { clearDays, DayBatch, GroupPipeline, type BatchTarget } from './batch.js';
import { decideDay, failedDay, rewritesInPlace } from './day.js';
import { checkBandDataItem } from '../fetch/schemas.js';
import { endRun, recordFailure, reportWarnings } from './errors.js';
import { RawArchive } from '../store/raw-archive.js';
import { StateStore, type DayState } from '../store/state.js';
import { selectIdentified } from './select.js';
import { reprocessEvents } from './events.js';
import { reprocessWorkouts } from './workouts.js';
import { emptyResult, type AccountRunResult, type SyncDeps, type SyncOptions } from './types.js';

export type ReprocessDeps = Omit<SyncDeps, 'clientFor'>;

/** Rewrite the archived days of every selected account in [from, to]; one result per account. */
export async function runReprocess(deps: ReprocessDeps, opts: Omit<SyncOptions, 'force'> = {}): Promise<AccountRunResult[]> {
  const accounts = await selectIdentified(deps.config, opts.account, deps.logger);
  await deps.writer.check();
  const results: AccountRunResult[] = [];
  for (const { account, id } of accounts) {
    if (deps.signal?.aborted) break;
    results.push(await reprocessAccount(deps, account, id, opts));
  }
  return results;
}

async function reprocessAccount(deps: ReprocessDeps, account: AccountConfig, id: AccountIdentity, opts: SyncOptions): Promise<AccountRunResult> {
  const startedAt = deps.now().getTime();
  const r: AccountRunResult = { ...emptyResult(id.display, startedAt), key: id.key };
  const log = deps.logger.child({ account: r.account, job: 'reprocess' });
  try {
    const store = new StateStore(deps.config.raw.STATE_DIR, id.key);
    const archive = new RawArchive(deps.config.raw.STATE_DIR, id.key);
    // The current label: a renamed account's days are rewritten under its new `user` tag
    // (their old points, under the tag each day's state names, are deleted: sync/batch.ts).
    const user = userTag(account, undefined, id.userId);
    r.account = user;
    const states = await store.loadAll();
    const inRange = (d: string): boolean => (!opts.from || d >= opts.from) && (!opts.to || d <= opts.to);
    const dates = (await archive.dates()).filter(inRange);
    const kept = new Set(dates);
    // Days that hold points (or failed) but whose raw answer is gone cannot be replayed: say so.
    r.notReplayed = [...states.values()]
      .filter((s) => inRange(s.date) && !kept.has(s.date) && (s.points > 0 || s.failure))
      .map((s) => ({ date: s.date, reason: 'raw archive file missing (the next sync of this day writes it again: sync --from DAY --to DAY)' }))
      .sort((x, y) => x.date.localeCompare(y.date));
    if (r.notReplayed.length) log.warn({ days: r.notReplayed.length, first: r.notReplayed[0]?.date }, 'some days cannot be replayed: their raw archive file is missing');
    const batch = new DayBatch();
    const target: BatchTarget & { states: Map<string, DayState> } = { writer: deps.writer, store, archive: undefined, user, now: () => deps.now().getTime(), states };
    const validItems = async (date: string): Promise<{ items: unknown[]; bad?: string }> => {
      const items = (await archive.load(date)) ?? [];
      const bad = items.map((it, i) => checkBandDataItem(it, i)).find((c): c is { message: string } => 'message' in c);
      return bad ? { items, bad: bad.message } : { items };
    };
    // Every replayable day's old spans go first, as one merged range per measurement and
    // tag set (src/sync/batch.ts clearDays); a day whose archive no longer validates keeps
    // its points. The archive is read again below rather than held in memory.
    const clear: string[] = [];
    for (const date of dates) {
      if (deps.signal?.aborted) break;
      const { items, bad } = await validItems(date);
      if (!bad && rewritesInPlace(items, states.get(date), user, true)) clear.push(date);
    }
    if (clear.length > 1 && !deps.signal?.aborted) await clearDays(target, clear);
    // One group is written while the next is decoded, as in sync.
    const pipe = new GroupPipeline(batch, target, (f) => {
      r.daysWritten += f.daysWritten;
      r.points += f.points;
      for (const s of [...f.written, ...f.failed]) states.set(s.date, s);
    });
    let done = 0;
    try {
      for (const date of dates) {
        if (deps.signal?.aborted) break;
        const { items, bad } = await validItems(date);
        const previous = states.get(date);
        const fetchedAt = previous?.fetchedAt ?? startedAt;
        if (bad) {
          batch.add(failedDay(date, items, previous, fetchedAt, 'HUAMI_SCHEMA_MISMATCH', bad));
        } else {
          let decision: ReturnType<typeof decideDay>;
          try {
            decision = decideDay({ date, items, previous, fetchedAt, force: true, timeZone: account.timezone, user, decode: decodeItem });
          } catch (err) {
            decision = { kind: 'write', work: failedDay(date, items, previous, fetchedAt, 'DECODE_FAILED', (err as Error).message) };
          }
          if (decision.kind === 'write') {
            reportWarnings(undefined, decision.work.warnings, r);
            batch.add(decision.work);
          }
        }
        if (batch.size >= deps.config.raw.INFLUX_BATCH_SIZE * 2) await pipe.start();
        else await pipe.yieldToWrite();
        done++;
        deps.onProgress?.({ account: user, day: date, done, total: dates.length });
      }
      await pipe.writeRest();
    } catch (err) {
      await pipe.settle().catch(() => undefined);
      throw err;
    }
    if (!deps.signal?.aborted) await reprocessWorkouts({ deps, account, store, user, result: r, log, from: opts.from, to: opts.to });
    r.daysFetched = done;
    const failed = [...states.values()].filter((s) => s.failure && inRange(s.date));
    r.failedDays = failed.map((s) => ({ date: s.date, code: s.failure?.code ?? '', message: s.failure?.message ?? '', attempts: s.failure?.attempts ?? 0, retryAfter: s.failure?.retryAfter ?? 0 }));
    r.daysFailed = failed.length;
    r.archivedDays = kept.size;
    await reprocessEvents(deps, account, id.key, user, opts, r);
    log.info({ days: dates.length, daysWritten: r.daysWritten, points: r.points, notReplayed: r.notReplayed.length }, 'reprocessed');
  } catch (err) {
    recordFailure(r, err, log, 'reprocess failed');
  }
  endRun(r, deps);
  return r;
}
