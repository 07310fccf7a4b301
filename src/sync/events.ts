// The health events of one account (docs/architecture.md "Streams"): stress, PAI, SpO₂ and
// readiness, each event type a stream with its own day life cycle (src/sync/lifecycle.ts) under
// STATE_DIR/<account>/events/<type>/days/ and its raw answers under raw/events/<type>/. One
// request per stream covers its due days and the look-back window (paged only when an answer
// holds `limit` items); a day is rewritten by deleting its old ∪ new spans (src/sync/batch.ts).
// A stream that has never returned an item (a band without the feature) is asked again at most
// once a day, with one request.
import { DateTime } from 'luxon';
import type { AccountConfig } from '../config/accounts.js';
import { decodeItem } from '../decode/index.js';
import { decodeEvents } from '../decode/events/index.js';
import type { HuamiClient } from '../fetch/client.js';
import { checkEventItem, type EventsAnswer } from '../fetch/schemas.js';
import { RawArchive } from '../store/raw-archive.js';
import { StateStore, type AccountState, type DayState, type StreamFacts } from '../store/state.js';
import { clearDays, DayBatch, GroupPipeline, type BatchTarget, type FlushResult } from './batch.js';
import { addDays, daysBetween, dateRange, minDate } from './dates.js';
import { decideDay, failedDay, rewritesInPlace, type DayDecoder, type DayWork } from './day.js';
import { describeError, recordFailure, reportWarnings } from './errors.js';
import { oneAhead, windows } from './ahead.js';
import { isDue, progressOf, type DueContext } from './lifecycle.js';
import { coverDates, ordinaryStart } from './planner.js';
import type { AccountRunResult, FailedDay, SyncDeps, SyncOptions } from './types.js';

/** One health-event stream: what is asked for, and its folder under the account's state. */
export interface EventStream {
  eventType: string;
  subType?: string;
  /** Asked through GET /v2/users/me/events (readiness). */
  v2?: boolean;
  /** Short name in logs and failed-day messages. */
  label: string;
  /**
   * Days per request when more than EVENT_RANGE_DAYS: a stream of about one item a day fits a
   * longer range in one page (the service pages at about 200 items), so a backfill asks it
   * fewer times.
   */
  rangeDays?: number;
}

/** The streams synced, in order (docs/huami-api.md "Events request"); blood_oxygen comes in one request for all its subtypes. */
export const EVENT_STREAMS: readonly EventStream[] = [
  { eventType: 'all_day_stress', label: 'stress' },
  { eventType: 'PaiHealthInfo', label: 'PAI', rangeDays: 180 },
  { eventType: 'blood_oxygen', label: 'SpO2' },
  // Readiness: one score a night, some nights twice.
  { eventType: 'readiness', subType: 'watch_score', v2: true, label: 'readiness', rangeDays: 150 },
];

/** The state folder of a stream (relative to the account's; the raw archive adds `raw/` in front). */
export const streamFolder = (s: EventStream): string => `events/${s.eventType}`;

/** Days per request at most: a year of stress stays a few MB and SpO₂ rarely needs a second page. */
export const EVENT_RANGE_DAYS = 60;
/** Look-back of the event streams at least (PAI is computed a day or two late; readiness is re-sent). */
export const EVENT_MIN_LOOKBACK_DAYS = 4;
/** A stream that never returned an item is asked again at most this often. */
export const PROBE_INTERVAL_MS = 24 * 3_600_000;
const TOO_LARGE = 'HUAMI_RESPONSE_TOO_LARGE';
const GROUP_BATCHES = 2;
/**
 * Days a group holds at most, whatever its points (one answer's worth). A day waiting in a group
 * keeps its raw items (for the archive) and its encoded lines: PAI or readiness (about one point
 * a day) otherwise gathered ten years into one group before its first write, the largest memory
 * of a 10-year backfill and 4.5 s (PAI), 2.5 s (readiness) and 3.7 s (SpO₂'s first 10,000
 * points) with no write in flight.
 */
export const GROUP_DAYS = EVENT_RANGE_DAYS;
/** Days of a stream whose answers a forced run gathers before clearing their old points at once (a year: a few MB of stress). */
export const FORCE_WINDOW_DAYS = 366;

/** What the event streams did in one run (AccountRunResult.events). */
export interface EventsRunResult {
  requests: number;
  daysFetched: number;
  daysWritten: number;
  daysUnchanged: number;
  /** Event days in the failed state after this run (also in the result's daysFailed/failedDays). */
  daysFailed: number;
  points: number;
  /** Streams skipped because they have never returned an item and were asked less than a day ago. */
  skipped: string[];
}

export interface EventsRun {
  deps: SyncDeps;
  account: AccountConfig;
  opts: SyncOptions;
  client: HuamiClient;
  user: string;
  result: AccountRunResult;
  log: SyncDeps['logger'];
  /** Account facts (syncStart, per-stream facts in `events`); saved by the caller. */
  known: AccountState;
  /** The account's state folder under STATE_DIR. */
  key: string;
  /** How far the band_data progress got (done = total at its end): event days are added to its bar. */
  progress?: { done: number; total: number };
}

/** One day's items decoded together (one item per date wins: docs/metrics.md "Health events"). */
export function eventDayDecoder(eventType: string): DayDecoder {
  return (items, opts) => {
    const r = decodeEvents(eventType, items, opts);
    return { points: r.days.flatMap((d) => d.points), spans: r.days.flatMap((d) => d.spans), warnings: r.warnings };
  };
}

/** The local date that owns an event item (docs/metrics.md "Health events"), or undefined when it cannot be placed. */
export function ownerDateOf(eventType: string, item: unknown, timeZone: string): string | undefined {
  return decodeEvents(eventType, [item], { timeZone, user: '' }).days[0]?.date;
}

/** [local midnight of `from`, local midnight after `to`) in epoch ms, the end inclusive. */
function windowMs(from: string, to: string, zone: string): { fromMs: number; toMs: number } {
  const start = DateTime.fromISO(from, { zone }).startOf('day');
  const end = DateTime.fromISO(addDays(to, 1), { zone }).startOf('day');
  return { fromMs: start.toMillis(), toMs: end.toMillis() - 1 };
}

const localDate = (ms: number, zone: string): string | undefined => DateTime.fromMillis(ms, { zone }).toISODate() ?? undefined;

/** The failed days of every event stream of an account, the stream named in the message. */
export async function readEventFailures(stateDir: string, key: string): Promise<FailedDay[]> {
  const out: FailedDay[] = [];
  for (const s of EVENT_STREAMS) out.push(...failuresOf(s, await new StateStore(stateDir, key, streamFolder(s)).loadAll()));
  return out;
}

function failuresOf(s: EventStream, states: ReadonlyMap<string, DayState>): FailedDay[] {
  return [...states.values()]
    .filter((d) => d.failure)
    .map((d) => ({ date: d.date, code: d.failure?.code ?? '', message: `${s.label} (${s.eventType}): ${d.failure?.message ?? ''}`, attempts: d.failure?.attempts ?? 0, retryAfter: d.failure?.retryAfter ?? 0 }));
}

interface StreamPlan {
  stream: EventStream;
  store: StateStore;
  archive: RawArchive;
  states: Map<string, DayState>;
  facts: StreamFacts;
  ranges: { from: string; to: string }[];
  /** Only the newest range is asked (a stream that never returned an item): the rest follows if it has items. */
  probe: boolean;
  /** The stream's last group being written (set when runStream returns or throws). */
  tail?: Promise<void>;
  /** Settles once that group's points are confirmed (its day states may still be being saved). */
  confirmed?: Promise<void>;
}

/** What syncEvents leaves running when it returns: the last stream's last group. */
export interface EventsTail {
  /** Its points confirmed: InfluxDB may take the next write. */
  confirmed: Promise<void>;
  /** Every stream finished and reported (day states saved, failures recorded); never rejects. */
  done: Promise<void>;
}

/** The dates one stream fetches in this run, or undefined when it is skipped (a band-only probe not due). */
function planStream(run: EventsRun, stream: EventStream, facts: StreamFacts, states: ReadonlyMap<string, DayState>, today: string, bandNewestBefore: string | undefined): { ranges: { from: string; to: string }[]; probe: boolean } | undefined {
  const rangeDays = stream.rangeDays ?? EVENT_RANGE_DAYS;
  const raw = run.deps.config.raw;
  const now = run.deps.now().getTime();
  const to = minDate(run.opts.to ?? today, today);
  if (run.opts.from) return { ranges: coverDates(dateRange(run.opts.from, to), rangeDays), probe: false };
  // Never an item: after the first backfill only one request a day, for the newest range.
  const never = !facts.newestDataDay;
  if (never && facts.probedAt !== undefined && now - facts.probedAt < PROBE_INTERVAL_MS) return undefined;
  const start = ordinaryStart({ startDate: raw.SYNC_START_DATE, syncStart: run.known.syncStart, today });
  const lookback = Math.max(raw.SYNC_LOOKBACK_DAYS, EVENT_MIN_LOOKBACK_DAYS);
  const windowFrom = addDays(today, 1 - lookback);
  // Days the band has uploaded since the last run (a phone that stayed at home came back):
  // their events came with them, so those days are asked again whatever their re-check wait.
  const bandNewest = run.known.newestDataDay;
  const uploadedFrom = bandNewest && bandNewestBefore && bandNewest > bandNewestBefore ? addDays(bandNewestBefore, 1 - lookback) : undefined;
  const due: DueContext = { now, newestDataDay: progressOf(states, start, today, facts.newestDataDay).newestDataDay, lastDataAt: undefined };
  const dates: string[] = [];
  for (let d = start; d <= to; d = addDays(d, 1)) {
    const s = states.get(d);
    const uploaded = uploadedFrom !== undefined && d >= uploadedFrom && d <= bandNewest! && (!s || s.points === 0 || !!s.failure);
    if (d >= windowFrom || uploaded || isDue(s, due)) dates.push(d);
  }
  const ranges = coverDates(dates, rangeDays);
  return { ranges, probe: never && facts.probedAt !== undefined };
}

/**
 * Sync every event stream of an account after its band_data (same user tag, writer, progress
 * bar and result). A Huami failure of one stream is the account's error but does not stop the
 * other streams; a malformed item fails its own day only.
 */
export async function syncEvents(run: EventsRun, bandNewestBefore: string | undefined): Promise<EventsTail> {
  const { deps, result: r } = run;
  const raw = deps.config.raw;
  const today = DateTime.fromJSDate(deps.now(), { zone: run.account.timezone }).toISODate() as string;
  const ev: EventsRunResult = { requests: 0, daysFetched: 0, daysWritten: 0, daysUnchanged: 0, daysFailed: 0, points: 0, skipped: [] };
  r.events = ev;
  run.known.events ??= {};
  const plans: StreamPlan[] = [];
  const failures: FailedDay[] = [];
  for (const stream of EVENT_STREAMS) {
    const folder = streamFolder(stream);
    const store = new StateStore(raw.STATE_DIR, run.key, folder);
    const states = await store.loadAll();
    const facts: StreamFacts = { ...run.known.events[stream.eventType] };
    const plan = planStream(run, stream, facts, states, today, bandNewestBefore);
    if (!plan) {
      ev.skipped.push(stream.eventType);
      failures.push(...failuresOf(stream, states));
      continue;
    }
    plans.push({ stream, store, archive: new RawArchive(raw.STATE_DIR, run.key, folder), states, facts, ...plan });
  }
  const base = run.progress ?? { done: 0, total: 0 };
  // A probe asks the newest range only (coverDates lists ranges oldest first).
  const total = base.total + plans.reduce((n, p) => n + countDays(p.probe ? p.ranges.slice(-1) : p.ranges), 0);
  const tick = { done: base.done, total };
  const requests0 = run.client.requestCount;
  if (ev.skipped.length) run.log.debug({ streams: ev.skipped }, 'event streams without any item so far; asked again at most once a day');
  // A stream's last group is written while the next stream asks for its first answers; the next
  // stream sends nothing before its points are confirmed (one write in flight, no delete after a
  // write); the streams' day states are their own, so they need not be saved before.
  let previous: Promise<void> | undefined;
  const ends: Promise<void>[] = [];
  for (const p of plans) {
    if (deps.signal?.aborted) break;
    let failed: { err: unknown } | undefined;
    try {
      await runStream(run, p, ev, tick, previous);
    } catch (err) {
      failed = { err };
    }
    const tail = p.tail ?? Promise.resolve();
    previous = (p.confirmed ?? tail).catch(() => undefined);
    ends.push(
      tail.then(
        () => undefined,
        (err: unknown) => {
          failed = { err }; // a write failure wins over the Huami failure that ended the stream
        },
      ).then(() => {
        if (failed) recordFailure(r, failed.err, run.log.child({ stream: p.stream.eventType }), `${p.stream.label} events failed`);
        run.known.events![p.stream.eventType] = p.facts;
        failures.push(...failuresOf(p.stream, p.states));
      }),
    );
  }
  ev.requests = run.client.requestCount - requests0;
  const done = Promise.all(ends).then(() => {
    ev.daysFailed = failures.length;
    r.failedDays.push(...failures);
    run.log.info({ requests: ev.requests, daysWritten: ev.daysWritten, daysFailed: ev.daysFailed, skipped: ev.skipped.length }, 'health events synced');
  });
  return { confirmed: previous ?? Promise.resolve(), done };
}

const countDays = (ranges: readonly { from: string; to: string }[]): number => ranges.reduce((n, g) => n + daysBetween(g.from, g.to) + 1, 0);

/** One window; an answer over HUAMI_MAX_RESPONSE_MB is asked again as two halves, down to one day. */
async function fetchWindow(run: EventsRun, s: EventStream, from: string, to: string, budget: { refreshed: boolean }): Promise<EventsAnswer & { tooLarge: { date: string; message: string }[] }> {
  const zone = run.account.timezone;
  const { fromMs, toMs } = windowMs(from, to, zone);
  try {
    const a = await run.client.fetchEvents(s.eventType, fromMs, toMs, { timeZone: zone, ...(s.subType ? { subType: s.subType } : {}), ...(s.v2 ? { v2: true } : {}) }, budget);
    return { items: a.items, invalid: a.invalid, tooLarge: [] };
  } catch (err) {
    if ((err as { code?: string }).code !== TOO_LARGE) throw err;
    if (from === to) return { items: [], invalid: [], tooLarge: [{ date: from, message: (err as Error).message }] };
    const half = Math.floor((daysBetween(from, to) + 1) / 2);
    const a = await fetchWindow(run, s, from, addDays(from, half - 1), budget);
    const b = await fetchWindow(run, s, addDays(from, half), to, budget);
    return { items: [...a.items, ...b.items], invalid: [...a.invalid, ...b.invalid], tooLarge: [...a.tooLarge, ...b.tooLarge] };
  }
}

async function runStream(run: EventsRun, p: StreamPlan, ev: EventsRunResult, tick: { done: number; total: number }, after?: Promise<unknown>): Promise<void> {
  const { deps, result: r } = run;
  const zone = run.account.timezone;
  const s = p.stream;
  const log = run.log.child({ stream: s.eventType });
  const decodeDay = eventDayDecoder(s.eventType);
  const batch = new DayBatch();
  // The stream's day states bound how far its deletes are merged (src/sync/spans.ts): each
  // stream owns its own measurements.
  const target: BatchTarget & { states: Map<string, DayState> } = { writer: deps.writer, store: p.store, archive: p.archive, user: run.user, now: () => deps.now().getTime(), states: p.states };
  const budget = { refreshed: false };
  const groupPoints = deps.config.raw.INFLUX_BATCH_SIZE * GROUP_BATCHES;
  const settle = (f: FlushResult): void => {
    ev.daysWritten += f.daysWritten;
    ev.points += f.points;
    r.points += f.points;
    for (const st of [...f.written, ...f.failed]) {
      p.states.set(st.date, st);
      if (st.failure) log.warn({ day: st.date, code: st.failure.code }, `${s.label} day failed: ${st.failure.message}`);
    }
  };
  // One group is written while the next is fetched and decoded (src/sync/batch.ts GroupPipeline).
  const pipe = new GroupPipeline(batch, target, settle, after);
  const hadItemsBefore = !!p.facts.newestDataDay;
  let asked = false;
  try {
    // Newest range first: the newest day with items is known before an older empty day is judged.
    // A stream that never had an item is probed with its newest range only; an item there
    // means it has the feature now, and its remaining days follow in this same run. Otherwise
    // the next range is asked while this one is decoded and written (src/sync/ahead.ts).
    const stop = (): boolean => !!deps.signal?.aborted || (asked && p.probe && !p.facts.newestDataDay);
    const newestFirst = [...p.ranges].sort((a, b) => b.from.localeCompare(a.from));
    const fetch = (g: { from: string; to: string }): ReturnType<typeof fetchWindow> => {
      asked = true;
      return fetchWindow(run, s, g.from, g.to, budget);
    };
    // One answer placed on its owning days; the stream's newest day with items updated from it.
    const prepare = (range: { from: string; to: string }, answer: Awaited<ReturnType<typeof fetchWindow>>) => {
      const fetchedAt = deps.now().getTime();
      const byDate = new Map<string, unknown[]>();
      for (const item of answer.items) {
        const date = ownerDateOf(s.eventType, item, zone);
        if (!date || date < range.from || date > range.to) {
          // Asked again with the window of its own date; nothing of it is lost.
          if (!date) r.warnings++;
          log.debug({ date, from: range.from, to: range.to }, 'event item outside the asked days (or without a date); left to its own window');
          continue;
        }
        const list = byDate.get(date) ?? [];
        list.push(item);
        byDate.set(date, list);
      }
      const invalid = new Map<string, { items: unknown[]; message: string }>();
      for (const bad of answer.invalid) {
        const date = bad.timestamp === undefined ? undefined : localDate(bad.timestamp, zone);
        if (!date || date < range.from || date > range.to) {
          r.warnings++;
          log.warn({ from: range.from, to: range.to, index: bad.index }, `${s.label} event item cannot be placed on a day: ${bad.message}`);
          continue;
        }
        const e = invalid.get(date) ?? { items: [], message: bad.message };
        e.items.push(bad.item);
        invalid.set(date, e);
      }
      for (const d of [...byDate.keys(), ...invalid.keys()]) if (!p.facts.newestDataDay || d > p.facts.newestDataDay) p.facts.newestDataDay = d;
      log.info({ from: range.from, to: range.to, days: byDate.size, items: answer.items.length, invalid: answer.invalid.length }, `fetched ${s.label} events`);
      const tooLarge = new Map(answer.tooLarge.map((t) => [t.date, t.message]));
      const answerHadItems = answer.items.length + answer.invalid.length > 0;
      return { range, fetchedAt, byDate, invalid, tooLarge, answerHadItems };
    };
    // A forced run (not a probe) gathers a window of answers and clears the old points of all
    // their days at once (one DELETE per measurement), then writes them; otherwise each range
    // is its own window.
    const cap = run.opts.force && !p.probe ? FORCE_WINDOW_DAYS : 1;
    for await (const window of windows(oneAhead(newestFirst, fetch, stop), (x) => daysBetween(x.item.from, x.item.to) + 1, cap)) {
      if (deps.signal?.aborted) break;
      const prepared = window.map(({ item, answer }) => prepare(item, answer));
      // The days that replace points they already have: old spans deleted now as merged
      // ranges (src/sync/batch.ts clearDays), not span by span.
      const clear = p.facts.newestDataDay ? prepared.flatMap(({ range, byDate, invalid, tooLarge }) => dateRange(range.from, range.to).filter((d) => !invalid.has(d) && !tooLarge.has(d) && rewritesInPlace(byDate.get(d) ?? [], p.states.get(d), run.user, !!run.opts.force))) : [];
      if (clear.length > 1) {
        await pipe.writeRest();
        await clearDays(target, clear);
      }
      for (const { range, fetchedAt, byDate, invalid, tooLarge, answerHadItems } of prepared) {
        for (const date of dateRange(range.from, range.to)) {
          ev.daysFetched++;
          tick.done++;
          deps.onProgress?.({ account: run.user, day: date, done: Math.min(tick.done, tick.total), total: tick.total });
          // A stream that has never returned an item keeps no day state: its days stay "never
          // fetched", so the first item found brings the whole range in.
          if (!p.facts.newestDataDay) continue;
          const items = byDate.get(date) ?? [];
          const previous = p.states.get(date);
          const bad = invalid.get(date);
          const big = tooLarge.get(date);
          let work: DayWork | undefined;
          if (bad || big) {
            work = failedDay(date, [...items, ...(bad?.items ?? [])], previous, fetchedAt, bad ? 'HUAMI_SCHEMA_MISMATCH' : TOO_LARGE, `${s.label} (${s.eventType}): ${bad?.message ?? big ?? ''}`);
          } else {
            let decision: ReturnType<typeof decideDay>;
            try {
              decision = decideDay({ date, items, newest: p.facts.newestDataDay, answerHadItems, previous, fetchedAt, force: !!run.opts.force, timeZone: zone, user: run.user, decode: decodeItem, decodeDay });
            } catch (err) {
              decision = { kind: 'write', work: failedDay(date, items, previous, fetchedAt, 'DECODE_FAILED', `${s.label} (${s.eventType}): ${(err as Error).message}`) };
            }
            if (decision.kind === 'unchanged') ev.daysUnchanged++;
            else if (decision.kind === 'write') work = decision.work;
          }
          if (!work) continue;
          reportWarnings(log, work.warnings, r);
          batch.add(work);
          if (batch.size >= groupPoints || batch.length >= GROUP_DAYS) await pipe.start();
          else await pipe.yieldToWrite();
        }
      }
    }
  } finally {
    // The days prepared before a Huami failure are still good: they are written while the next
    // stream starts (syncEvents awaits it; a write failure wins).
    const started = pipe.start();
    p.confirmed = started.then(
      () => pipe.confirmedInflight(),
      () => undefined,
    );
    p.tail = started.then(() => pipe.settle());
    p.tail.catch(() => undefined);
    if (!p.facts.newestDataDay && asked) p.facts.probedAt = deps.now().getTime();
    if (p.facts.newestDataDay) delete p.facts.probedAt;
    if (!hadItemsBefore && p.facts.newestDataDay) log.info({ newest: p.facts.newestDataDay }, `${s.label} events found for the first time`);
  }
}

/** `reprocess` of the event streams: re-decode their raw archive in [from, to] and rewrite those days. */
export async function reprocessEvents(deps: Omit<SyncDeps, 'clientFor'>, account: AccountConfig, key: string, user: string, opts: Omit<SyncOptions, 'force'>, r: AccountRunResult): Promise<void> {
  const raw = deps.config.raw;
  const inRange = (d: string): boolean => (!opts.from || d >= opts.from) && (!opts.to || d <= opts.to);
  const failures: FailedDay[] = [];
  const ev: EventsRunResult = { requests: 0, daysFetched: 0, daysWritten: 0, daysUnchanged: 0, daysFailed: 0, points: 0, skipped: [] };
  r.events = ev;
  for (const s of EVENT_STREAMS) {
    if (deps.signal?.aborted) break;
    const folder = streamFolder(s);
    const store = new StateStore(raw.STATE_DIR, key, folder);
    const archive = new RawArchive(raw.STATE_DIR, key, folder);
    const states = await store.loadAll();
    const decodeDay = eventDayDecoder(s.eventType);
    const batch = new DayBatch();
    const target: BatchTarget & { states: Map<string, DayState> } = { writer: deps.writer, store, archive: undefined, user, now: () => deps.now().getTime(), states };
    const flush = async (): Promise<void> => {
      const f = await batch.flush(target).done;
      ev.daysWritten += f.daysWritten;
      ev.points += f.points;
      r.points += f.points;
      for (const st of [...f.written, ...f.failed]) states.set(st.date, st);
    };
    const badOf = (items: readonly unknown[]) => items.map((it, i) => checkEventItem(it, i, s.eventType)).find((c): c is { message: string; timestamp: number | undefined } => 'message' in c);
    const dates = (await archive.dates()).filter(inRange);
    // Every replayable day's old spans first, as merged ranges (src/sync/batch.ts clearDays).
    const clear: string[] = [];
    for (const date of dates) {
      const items = (await archive.load(date)) ?? [];
      if (!badOf(items) && rewritesInPlace(items, states.get(date), user, true)) clear.push(date);
    }
    if (clear.length > 1 && !deps.signal?.aborted) await clearDays(target, clear);
    for (const date of dates) {
      if (deps.signal?.aborted) break;
      const items = (await archive.load(date)) ?? [];
      const previous = states.get(date);
      const fetchedAt = previous?.fetchedAt ?? r.startedAt;
      const bad = badOf(items);
      if (bad) batch.add(failedDay(date, items, previous, fetchedAt, 'HUAMI_SCHEMA_MISMATCH', `${s.label} (${s.eventType}): ${bad.message}`));
      else {
        let decision: ReturnType<typeof decideDay>;
        try {
          decision = decideDay({ date, items, previous, fetchedAt, force: true, timeZone: account.timezone, user, decode: decodeItem, decodeDay });
        } catch (err) {
          decision = { kind: 'write', work: failedDay(date, items, previous, fetchedAt, 'DECODE_FAILED', `${s.label} (${s.eventType}): ${describeError(err).message}`) };
        }
        if (decision.kind === 'write') {
          reportWarnings(undefined, decision.work.warnings, r);
          batch.add(decision.work);
        }
      }
      ev.daysFetched++;
      if (batch.size >= raw.INFLUX_BATCH_SIZE || batch.length >= GROUP_DAYS) await flush();
    }
    await flush();
    failures.push(...failuresOf(s, new Map([...states].filter(([d]) => inRange(d)))));
  }
  ev.daysFailed = failures.length;
  r.failedDays.push(...failures);
  r.daysFailed = r.failedDays.length;
}
