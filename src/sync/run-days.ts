// Fetch, decide and write the planned ranges of one account (docs/architecture.md "Sync"):
// one request per range; a malformed item fails its own day only; an answer too large is
// fetched again as two halves down to one day; days are written in groups and a day's state
// advances only after the writer confirmed its group.
import type { AccountConfig } from '../config/accounts.js';
import { decodeItem } from '../decode/index.js';
import type { HuamiClient } from '../fetch/client.js';
import { oneAhead, windows } from './ahead.js';
import type { BandDataAnswer } from '../fetch/schemas.js';
import { clearDays, DayBatch, GroupPipeline, type BatchTarget } from './batch.js';
import { addDays, dateRange, daysBetween } from './dates.js';
import { decideDay, failedDay, groupByDate, rewritesInPlace } from './day.js';
import { reportWarnings } from './errors.js';
import type { RawArchive } from '../store/raw-archive.js';
import type { AccountState, DayState, StateStore } from '../store/state.js';
import type { AccountRunResult, SyncDeps, SyncOptions } from './types.js';
import type { Point } from '../schema/point.js';

export interface DaysRun {
  deps: SyncDeps;
  account: AccountConfig;
  opts: SyncOptions;
  client: HuamiClient;
  store: StateStore;
  archive: RawArchive;
  user: string;
  states: Map<string, DayState>;
  result: AccountRunResult;
  log: SyncDeps['logger'];
  /** Account facts updated as the run learns them (newest day with data). */
  known: AccountState;
  /** The progress reported last (the event streams add their days to the same bar). */
  progress?: { done: number; total: number };
}

/** Newest band sync (`activity_daily.band_sync_s`) among a day's points, epoch ms. */
function newestBandSync(points: readonly Point[]): number | undefined {
  let max: number | undefined;
  for (const p of points) {
    const v = p.measurement === 'activity_daily' ? p.fields.band_sync_s : undefined;
    if (typeof v === 'number' && (max === undefined || v > max)) max = v;
  }
  return max === undefined ? undefined : max * 1000;
}

/** Write batches per group of days handed to the writer at once. */
const GROUP_BATCHES = 2;
/**
 * Days of band data whose answers a forced run gathers before clearing their old points at
 * once: a few ranges of HUAMI_CHUNK_DAYS, so that only a few answers are held at a time.
 */
export const FORCE_WINDOW_DAYS = 120;
const TOO_LARGE = 'HUAMI_RESPONSE_TOO_LARGE';

interface RangeAnswer extends BandDataAnswer {
  /** Days whose answer was still too large on its own. */
  tooLarge: { date: string; message: string }[];
}

/** One range; an answer over HUAMI_MAX_RESPONSE_MB is fetched again as two halves, down to single days. */
async function fetchRange(client: HuamiClient, from: string, to: string, queryType: 'summary' | 'detail', log: SyncDeps['logger'], budget: { refreshed: boolean }): Promise<RangeAnswer> {
  try {
    return { ...(await client.fetchBandData(from, to, queryType, budget)), tooLarge: [] };
  } catch (err) {
    if ((err as { code?: string }).code !== TOO_LARGE) throw err;
    const message = (err as Error).message;
    if (from === to) return { items: [], invalid: [], tooLarge: [{ date: from, message }] };
    const half = Math.floor((daysBetween(from, to) + 1) / 2);
    log.warn({ from, to }, 'answer too large; fetching the range as two halves');
    const a = await fetchRange(client, from, addDays(from, half - 1), queryType, log, budget);
    const b = await fetchRange(client, addDays(from, half), to, queryType, log, budget);
    return { items: [...a.items, ...b.items], invalid: [...a.invalid, ...b.invalid], tooLarge: [...a.tooLarge, ...b.tooLarge] };
  }
}

/** Fetch and write `ranges` in order; resolves with the dates fetched. Throws on a Huami or write failure (after saving the prepared days). */
export async function runDays(p: DaysRun, ranges: readonly { from: string; to: string }[]): Promise<Set<string>> {
  const { deps, result: r } = p;
  const raw = deps.config.raw;
  const fetchedDates = new Set<string>();
  if (ranges.length === 0) return fetchedDates;
  const total = ranges.reduce((n, g) => n + daysBetween(g.from, g.to) + 1, 0);
  const queryType = raw.SYNC_DETAIL ? 'detail' : 'summary'; // detail items carry the summary too
  const groupPoints = raw.INFLUX_BATCH_SIZE * GROUP_BATCHES;
  const batch = new DayBatch();
  const target: BatchTarget & { states: Map<string, DayState> } = { writer: deps.writer, store: p.store, archive: p.archive, user: p.user, now: () => deps.now().getTime(), states: p.states };
  const archived = new Set(await p.archive.dates());
  // One app-token refresh for the whole download, not one per range.
  const budget = { refreshed: false };
  const bandSync = new Map<string, number>();
  // Groups of a few write batches: one group is written while the next is fetched and decoded.
  const pipe = new GroupPipeline(batch, target, (f) => {
    r.daysWritten += f.daysWritten;
    r.points += f.points;
    for (const s of [...f.written, ...f.failed]) {
      p.states.set(s.date, s);
      if (s.failure) p.log.warn({ day: s.date, code: s.failure.code, attempts: s.failure.attempts }, `day failed: ${s.failure.message}`);
      const seen = bandSync.get(s.date);
      if (seen !== undefined && !s.failure && (r.lastDataAt === undefined || seen > r.lastDataAt)) r.lastDataAt = seen;
      bandSync.delete(s.date);
    }
    if (f.written.length) p.log.debug({ days: f.written.length, points: f.points }, 'days written');
  });
  // One answer placed on its days; the account's newest day with data updated from it.
  const prepare = (range: { from: string; to: string }, answer: RangeAnswer) => {
    const fetchedAt = deps.now().getTime();
    const byDate = groupByDate(answer.items);
    const invalidByDate = new Map<string, { items: unknown[]; message: string }>();
    for (const bad of answer.invalid) {
      if (!bad.date || bad.date < range.from || bad.date > range.to) {
        r.warnings++;
        p.log.warn({ from: range.from, to: range.to, index: bad.index }, `band_data item cannot be placed on a day: ${bad.message}`);
        continue;
      }
      const e = invalidByDate.get(bad.date) ?? { items: [], message: bad.message };
      e.items.push(bad.item);
      invalidByDate.set(bad.date, e);
    }
    // The newest day with band data, as far as this answer tells.
    for (const d of [...byDate.keys(), ...invalidByDate.keys(), ...answer.tooLarge.map((t) => t.date)]) {
      if (d <= range.to && (!p.known.newestDataDay || d > p.known.newestDataDay)) p.known.newestDataDay = d;
    }
    p.log.info({ from: range.from, to: range.to, days: byDate.size, invalid: answer.invalid.length, tooLarge: answer.tooLarge.length }, 'fetched band data');
    return { range, answer, fetchedAt, byDate, invalidByDate, tooLarge: new Map(answer.tooLarge.map((t) => [t.date, t.message])) };
  };
  let done = 0;
  try {
    // Newest range first: the newest upload is known before any older empty day is judged,
    // and a long backfill shows recent days first. Nothing depends on writing days in order.
    // The next range is asked while this one is decoded and written (src/sync/ahead.ts).
    const newestFirst = [...ranges].sort((a, b) => b.from.localeCompare(a.from));
    const answers = oneAhead(newestFirst, (g) => fetchRange(p.client, g.from, g.to, queryType, p.log, budget), () => !!deps.signal?.aborted);
    // A forced run rewrites nearly every day: the answers of a window of ranges are gathered
    // first and the old points of all their days cleared at once (one DELETE per measurement
    // and tag set), then written. Otherwise each range is its own window.
    const cap = p.opts.force ? FORCE_WINDOW_DAYS : 1;
    for await (const window of windows(answers, (a) => daysBetween(a.item.from, a.item.to) + 1, cap)) {
      if (deps.signal?.aborted) break;
      const prepared = window.map(({ item: range, answer }) => prepare(range, answer));
      // The days of these answers that replace points they already have: their old spans are
      // deleted now, as whole ranges, instead of group by group. After the group in flight
      // is recorded, so that its days' spans bound the ranges.
      const clear = prepared.flatMap((a) => dateRange(a.range.from, a.range.to).filter((d) => !a.invalidByDate.has(d) && !a.tooLarge.has(d) && rewritesInPlace(a.byDate.get(d) ?? [], p.states.get(d), p.user, !!p.opts.force)));
      if (clear.length > 1) {
        await pipe.settle();
        await clearDays(target, clear);
      }
      for (const { range, answer, fetchedAt, byDate, invalidByDate, tooLarge } of prepared) {
        if (deps.signal?.aborted) break;
        for (const date of dateRange(range.from, range.to)) {
          if (deps.signal?.aborted) break;
          fetchedDates.add(date);
          r.daysFetched++;
          const previous = p.states.get(date);
          const items = byDate.get(date) ?? [];
          const bad = invalidByDate.get(date);
          const big = tooLarge.get(date);
          if (bad || big) {
            const code = bad ? 'HUAMI_SCHEMA_MISMATCH' : TOO_LARGE;
            batch.add(failedDay(date, [...items, ...(bad?.items ?? [])], previous, fetchedAt, code, bad?.message ?? big ?? ''));
          } else {
            let decision: ReturnType<typeof decideDay>;
            try {
              decision = decideDay({ date, items, newest: p.known.newestDataDay, answerHadItems: answer.items.length + answer.invalid.length > 0, previous, fetchedAt, force: !!p.opts.force, timeZone: p.account.timezone, user: p.user, decode: decodeItem });
            } catch (err) {
              // The decoder is meant to be total; should it throw anyway, only this day fails.
              decision = { kind: 'write', work: failedDay(date, items, previous, fetchedAt, 'DECODE_FAILED', (err as Error).message) };
            }
            if (decision.kind === 'vanished') {
              r.warnings++;
              p.log.warn({ day: date }, 'Huami no longer returns this day; its written points are kept');
            } else if (decision.kind === 'unchanged') {
              r.daysUnchanged++;
              // A deleted archive file is written again by the next fetch of its day.
              if (!archived.has(date)) {
                await p.archive.save(date, items);
                archived.add(date);
              }
            } else {
              const w = decision.work;
              if (w.outcome.kind === 'empty') r.daysNoData++;
              else if (w.outcome.kind === 'data' && w.points.length === 0 && w.deleteSpans.length === 0) r.daysUnchanged++;
              reportWarnings(p.log, w.warnings, r);
              const seen = newestBandSync(w.points);
              if (seen !== undefined) bandSync.set(date, seen);
              batch.add(w);
            }
          }
          if (batch.size >= groupPoints) await pipe.start();
          else await pipe.yieldToWrite();
          done++;
          deps.onProgress?.({ account: p.user, day: date, done, total });
          if (p.progress) Object.assign(p.progress, { done, total });
        }
      }
    }
  } catch (err) {
    // A Huami failure: the days prepared before it are still good, so write them first.
    // A write failure: InfluxDB just refused or did not answer; trying again would only
    // repeat the retries, and those days stay pending for the next run anyway.
    await pipe.settle().catch(() => undefined);
    if (!pipe.failed) await pipe.writeRest().catch(() => undefined);
    throw err;
  }
  await pipe.writeRest();
  if (deps.signal?.aborted) {
    r.aborted = true;
    p.log.info({ done, total }, 'sync stopped between days');
  }
  return fetchedDates;
}
