// Workouts and weigh-ins of one account (docs/architecture.md "Workouts and weigh-ins").
//
// Workouts: the first run reads every history page; afterwards the newest page is enough,
// with older pages only while a page holds an unknown or changed (re-uploaded) workout. A
// detail is fetched once per version of a workout (new, or its history item changed), kept in
// the raw archive with its history item, and the workout is written like a day: an in-flight
// mark, the old spans deleted (its own track tag only), the points written, and only then its
// state. A detail that fails retryably (a throttled 429 after the transport's retries, a
// network failure) is tried once more at the end of the run, after the others, and otherwise
// stays pending for the next run; the rest goes on. A detail the service refuses for good
// writes the summary alone and is retried on the failed-day schedule.
//
// Weigh-ins: the first run reads every page of every scale member. Afterwards a run spends one
// request on the scale: the newest page of the member checked longest ago, or (once a day) the
// members list or the profile height, so an incremental run with nothing new costs two
// requests (history + scale) on top of the band data. Older pages are read only while the
// newest ones hold nothing but new records. A weigh-in is one point owning one second of its
// member: writing it again is idempotent.
import { DateTime } from 'luxon';
import { createHash } from 'node:crypto';
import type { AccountConfig } from '../config/accounts.js';
import { decodeWorkout, WORKOUT_SPAN_S, type DecodedWorkout } from '../decode/workouts/index.js';
import { localDay } from '../decode/workouts/common.js';
import { decodeWeighIn, memberTag } from '../decode/weight.js';
import type { DaySpan } from '../decode/index.js';
import { HuamiError } from '../fetch/errors.js';
import { familyMembers, historyPage, profileHeight, weightPage, workoutDetail, type HistoryItem, type SportCaller } from '../fetch/sport.js';
import type { Logger } from '../log.js';
import type { Point } from '../schema/point.js';
import { unionSpans } from '../store/state.js';
import { WorkoutStore, type SportState, type WeightPosition, type WorkoutState } from '../store/workouts.js';
import type { LineChunk, Writer } from '../write/index.js';
import { encodeLines } from '../schema/line-protocol.js';
import { describeError, reportWarnings } from './errors.js';
import { nextFailure } from './lifecycle.js';
import { mergeSpans } from './spans.js';
import { oneAhead } from './ahead.js';
import type { AccountRunResult, SyncDeps, SyncOptions } from './types.js';

/** Counters of one run's workouts and weigh-ins (AccountRunResult.workouts). */
export interface WorkoutRunResult {
  /** Workouts seen in the history pages read. */
  seen: number;
  /** Workouts written (new or changed). */
  written: number;
  /** Workouts whose detail could not be fetched yet (tried again by the next run). */
  pending: number;
  /** Workouts written without their samples (the detail was refused); retried later. */
  failed: number;
  weighIns: number;
  points: number;
  /** Huami requests made for workouts and weigh-ins in this run (counted apart from band_data). */
  requests: number;
  /** A sport or scale endpoint failed: what is done is kept, the next run goes on from there. */
  error?: { code: string; message: string };
}

export interface WorkoutsRun {
  deps: Pick<SyncDeps, 'config' | 'writer' | 'now' | 'signal' | 'onProgress'>;
  account: AccountConfig;
  opts: SyncOptions;
  client: SportCaller;
  store: { dir: string };
  user: string;
  result: AccountRunResult;
  log: Logger;
  /** First day of the sync range (YYYY-MM-DD, account zone): older workouts are not read. */
  since?: string | undefined;
  /** What must be confirmed before anything is written or deleted (the event streams' last group). */
  after?: Promise<unknown> | undefined;
}

const DAY_MS = 86_400_000;
/** Workouts per background write while a first run fetches details (docs/architecture.md "Overlap"). */
const STREAM_CHUNK = 25;
/** Workout archives saved in the background at once while the next details are asked. */
const ARCHIVES_AHEAD = 4;
const OWNER = '-1';

/** What a workout owns (docs/metrics.md "Workouts and weigh-ins"): derived from its trackid alone. */
function workoutSpans(trackid: string): DaySpan[] {
  const t = Number(trackid);
  return [
    { measurement: 'workout', start: t, end: t + 1, tags: { track: trackid } },
    { measurement: 'workout_sample', start: t, end: t + WORKOUT_SPAN_S, tags: { track: trackid } },
  ];
}
/** A workout that has (or may have, while a rewrite is in flight) points in InfluxDB. */
const hasPoints = (s: WorkoutState | undefined): s is WorkoutState => !!s && (s.writtenAt !== null || s.spans.length > 0);

/**
 * The old points of many rewritten workouts in few DELETE statements (`sync --force`,
 * `reprocess`): a span that touches nothing of a workout left alone (in `states` with points,
 * not one of `rewritten`, last written under `user`) drops its track tag and is merged with
 * its neighbours (src/sync/spans.ts); one that does keeps its tag. A year of workouts is then
 * one statement per measurement instead of two per workout.
 */
export function trackDeletes(spans: readonly DaySpan[], states: Iterable<WorkoutState>, rewritten: ReadonlySet<string>, user: string): DaySpan[] {
  const untag = (s: DaySpan): DaySpan => {
    const { track: _track, ...rest } = s.tags ?? {};
    return { ...s, tags: rest };
  };
  const blockers: DaySpan[] = [];
  for (const k of states) {
    if (rewritten.has(k.trackid) || !hasPoints(k) || (k.user && k.user !== user)) continue;
    blockers.push(...unionSpans(k.spans, workoutSpans(k.trackid)).map(untag));
  }
  const free: DaySpan[] = [];
  const tagged: DaySpan[] = [];
  for (const s of spans) {
    const u = untag(s);
    if (blockers.some((b) => b.measurement === u.measurement && b.start < u.end && b.end > u.start)) tagged.push(s);
    else free.push(u);
  }
  return [...mergeSpans(free, blockers), ...tagged];
}
const localStart = (trackid: string, zone: string) => localDay(Number(trackid), zone);

const sha = (v: unknown) => createHash('sha256').update(JSON.stringify(v)).digest('hex');

/** Workouts written together: their old spans are deleted, their points written, then their states advance. */
interface Prepared {
  trackid: string;
  decoded: DecodedWorkout;
  hash: string;
  previous: WorkoutState | undefined;
  failure?: WorkoutState['failure'];
}

/** Write a group of decoded workouts (the day batch's protocol: mark, delete, write, confirm). */
async function writeGroup(writer: Writer, ws: WorkoutStore, user: string, group: readonly Prepared[], at: number, deleted = false): Promise<number> {
  const rewrites = deleted ? [] : group.filter((g) => hasPoints(g.previous));
  const deleteOf = (g: Prepared): DaySpan[] => unionSpans(g.previous?.spans ?? [], g.decoded.spans);
  await Promise.all(rewrites.map((g) => ws.writeWorkout({ ...(g.previous as WorkoutState), writtenAt: null, hash: '', spans: deleteOf(g) })));
  const spans = rewrites.flatMap(deleteOf);
  if (spans.length) await writer.deleteSpans(user, spans);
  const points: Point[] = group.flatMap((g) => g.decoded.points);
  if (points.length) await writer.write(points);
  // Points last written under another `user` tag (a renamed account) go once the new ones are confirmed.
  for (const g of rewrites) if (g.previous?.user && g.previous.user !== user && g.previous.spans.length) await writer.deleteSpans(g.previous.user, g.previous.spans);
  await Promise.all(
    group.map((g) =>
      ws.writeWorkout({ trackid: g.trackid, date: g.decoded.date, hash: g.hash, writtenAt: at, spans: g.decoded.spans, points: g.decoded.points.length, user, ...(g.failure ? { failure: g.failure } : {}) }),
    ),
  );
  return points.length;
}

/** Only Huami failures are contained here; a write failure ends the account's run like a day's. */
function isHuami(err: unknown): boolean {
  return err instanceof HuamiError;
}

/** Sync workouts and weigh-ins; sets `result.workouts`. Throws only on an InfluxDB failure. */
export async function syncWorkouts(p: WorkoutsRun): Promise<void> {
  const res: WorkoutRunResult = { seen: 0, written: 0, pending: 0, failed: 0, weighIns: 0, points: 0, requests: 0 };
  p.result.workouts = res;
  const requests0 = p.client.requestCount;
  const ws = new WorkoutStore(p.store.dir);
  const sport = await ws.readSport();
  try {
    await syncTracks(p, ws, sport, res);
    await p.after?.catch(() => undefined);
    if (!p.deps.signal?.aborted) await syncWeighIns(p, ws, sport, res);
  } catch (err) {
    if (!isHuami(err)) throw err;
    res.error = describeError(err);
    p.result.warnings++;
    p.log.warn({ code: res.error.code, err: res.error.message }, 'workouts or weigh-ins not synced this run; the next run goes on from here');
  } finally {
    res.requests = p.client.requestCount - requests0;
    await ws.writeSport(sport);
    p.result.points += res.points;
  }
}

/** A workout whose detail was fetched (or refused), waiting for its write. */
interface Ready {
  it: HistoryItem;
  failure?: WorkoutState['failure'];
  /** Settles once its archive is saved (a failure ends the run before the workout is written). */
  saved: Promise<void>;
}

/** A first run's workout decoded and encoded as soon as its detail came in (streamWorkouts). */
interface Encoded {
  trackid: string;
  date: string;
  hash: string;
  spans: DaySpan[];
  lines: LineChunk;
  failure?: WorkoutState['failure'];
  saved: Promise<void>;
}

/**
 * Write a first run's chunk of encoded workouts: their archives saved, then the points. `written`
 * settles once InfluxDB confirmed them (the next chunk may go then); `done` once their states are
 * saved too.
 */
function writeEncoded(p: WorkoutsRun, ws: WorkoutStore, chunk: readonly Encoded[], res: WorkoutRunResult): { written: Promise<void>; done: Promise<void> } {
  const at = p.deps.now().getTime();
  const count = chunk.reduce((n, e) => n + e.lines.lines, 0);
  const written = (async () => {
    for (const e of chunk) await e.saved;
    if (count) await p.deps.writer.write({ chunks: chunk.map((e) => e.lines), count });
  })();
  const done = written.then(async () => {
    await Promise.all(chunk.map((e) => ws.writeWorkout({ trackid: e.trackid, date: e.date, hash: e.hash, writtenAt: at, spans: e.spans, points: e.lines.lines, user: p.user, ...(e.failure ? { failure: e.failure } : {}) })));
    res.points += count;
    res.written += chunk.length;
  });
  written.catch(() => undefined);
  done.catch(() => undefined);
  return { written, done };
}

/** Delete the old points of every rewritten workout in one go, then write them all in groups. */
async function writeReady(p: WorkoutsRun, ws: WorkoutStore, states: Map<string, WorkoutState>, ready: readonly Ready[], res: WorkoutRunResult): Promise<void> {
  if (!ready.length) return;
  await p.after?.catch(() => undefined);
  for (const r of ready) await r.saved;
  const { deps, user } = p;
  const now = deps.now().getTime();
  const rewrites = ready.map((r) => states.get(r.it.trackid)).filter(hasPoints);
  const spansOf = (s: WorkoutState): DaySpan[] => unionSpans(s.user === user ? s.spans : [], workoutSpans(s.trackid));
  // Marked in flight first: a kill before the writes leaves them to be written again, never half gone.
  await Promise.all(rewrites.map((s) => ws.writeWorkout({ ...s, writtenAt: null, hash: '', spans: spansOf(s) })));
  const all = rewrites.flatMap(spansOf);
  if (all.length) await deps.writer.deleteSpans(user, trackDeletes(all, states.values(), new Set(rewrites.map((r) => r.trackid)), user));
  const groupPoints = deps.config.raw.INFLUX_BATCH_SIZE * 2;
  let group: Prepared[] = [];
  const flush = async (): Promise<void> => {
    if (!group.length) return;
    const g = group;
    group = [];
    res.points += await writeGroup(deps.writer, ws, user, g, now, true);
    res.written += g.length;
  };
  for (const { it, failure } of ready) {
    const kept = await ws.loadRaw(it.trackid);
    const decoded = decodeWorkout(it.raw, kept?.detail, { timeZone: p.account.timezone, user });
    reportWarnings(p.log, decoded.warnings, p.result);
    group.push({ trackid: it.trackid, decoded, hash: sha(it.raw), previous: states.get(it.trackid), ...(failure ? { failure } : {}) });
    if (group.reduce((n, x) => n + x.decoded.points.length, 0) >= groupPoints) await flush();
  }
  await flush();
  // Points last written under another `user` tag (a renamed account) go once the new ones are confirmed.
  for (const s of rewrites) if (s.user && s.user !== user && s.spans.length) await deps.writer.deleteSpans(s.user, s.spans);
  for (const { it } of ready) states.delete(it.trackid);
}

async function syncTracks(p: WorkoutsRun, ws: WorkoutStore, sport: SportState, res: WorkoutRunResult): Promise<void> {
  const { deps, log } = p;
  const now = () => deps.now().getTime();
  const states = await ws.loadAll();
  const force = !!p.opts.force;
  const full = !sport.historyComplete || force;
  const changed = (it: HistoryItem): boolean => {
    const s = states.get(it.trackid);
    return !s || s.hash !== sha(it.raw) || s.writtenAt === null || !!s.pending;
  };
  // History: newest page first; older pages on a full scan, or while a page holds news.
  const items = new Map<string, HistoryItem>();
  // Workouts before the first day of the sync range are not read (a track id is its start, epoch s).
  const since = p.since ? DateTime.fromISO(p.since, { zone: p.account.timezone }).toSeconds() : undefined;
  let before: number | undefined;
  for (;;) {
    const page = await historyPage(p.client, before);
    let news = false;
    let older = false;
    for (const it of page.items) {
      if (since !== undefined && Number(it.trackid) < since) {
        older = true;
        continue;
      }
      if (items.has(it.trackid)) continue; // an inclusive cursor repeats the last item
      items.set(it.trackid, it);
      if (changed(it)) news = true;
    }
    if (older || page.next === undefined || (before !== undefined && page.next >= before) || (!full && !news)) break;
    before = page.next;
  }
  res.seen = items.size;
  for (const t of items.keys()) if (!sport.newestTrackId || Number(t) > Number(sport.newestTrackId)) sport.newestTrackId = t;
  // What to fetch: new or changed items, and pending or failed workouts (their item from the archive when off the pages read).
  const todo: HistoryItem[] = [...items.values()].filter((it) => force || changed(it) || (states.get(it.trackid)?.failure?.retryAfter ?? Infinity) <= now());
  for (const s of states.values()) {
    if (items.has(s.trackid) || !(s.pending || s.writtenAt === null || (s.failure && s.failure.retryAfter <= now()))) continue;
    const kept = await ws.loadRaw(s.trackid);
    if (kept) todo.push({ trackid: s.trackid, source: String(kept.history.source ?? ''), raw: kept.history });
  }
  todo.sort((a, b) => Number(b.trackid) - Number(a.trackid));
  const total = todo.length;
  let done = 0;
  // Fetch first (details go to the raw archive), then delete every rewritten workout's old
  // points at once, then write: InfluxDB 1.6 hides a series that was deleted and written again
  // once another series of its shard is deleted afterwards, so no delete may follow a write.
  let ready: Ready[] = [];
  // Nothing to rewrite (a first run, only new workouts): no delete can follow a write, so the
  // workouts fetched so far are written in the background, one chunk in flight, while the
  // next details come in. With a rewrite among them, every delete goes first (writeReady).
  const streaming = !todo.some((it) => hasPoints(states.get(it.trackid)));
  // Streaming: each workout is decoded and encoded when its detail comes in, and a chunk's
  // write starts once the chunk before it is confirmed, while that chunk's states are saved.
  let encoded: Encoded[] = [];
  let confirmed: Promise<void> | undefined = p.after?.then(
    () => undefined,
    () => undefined,
  );
  const finishing: Promise<void>[] = [];
  const writeChunk = async (): Promise<void> => {
    await confirmed; // its failure is thrown here and nothing more is sent
    const chunk = encoded;
    encoded = [];
    const w = writeEncoded(p, ws, chunk, res);
    confirmed = w.written;
    finishing.push(w.done);
  };
  const settleWrite = async (): Promise<void> => {
    await confirmed;
    for (const f of finishing.splice(0)) await f;
  };
  // Archives being saved: the next detail is asked while the last ones are compressed and
  // written (libuv's pool is shared with the gzip of InfluxDB bodies, so a save can wait there
  // for a while). At most ARCHIVES_AHEAD at once; a workout is written only once its archive is.
  const saving: Promise<void>[] = [];
  const prepare = async (it: HistoryItem, detail: Record<string, unknown> | undefined, failure?: WorkoutState['failure']): Promise<void> => {
    if (saving.length >= ARCHIVES_AHEAD) await saving.shift();
    const saved = ws.saveRaw(it.trackid, { history: it.raw, ...(detail ? { detail } : {}) });
    saved.catch(() => undefined); // awaited (and rethrown) above or by writeReady
    saving.push(saved);
    if (!streaming) {
      // All of a rewrite wait (writeReady): their details are read back from the archive then.
      ready.push({ it, saved, ...(failure ? { failure } : {}) });
      return;
    }
    const decoded = decodeWorkout(it.raw, detail, { timeZone: p.account.timezone, user: p.user });
    reportWarnings(log, decoded.warnings, p.result);
    const bytes = encodeLines(decoded.points);
    encoded.push({ trackid: it.trackid, date: decoded.date, hash: sha(it.raw), spans: decoded.spans, lines: { bytes, lines: decoded.points.length }, saved, ...(failure ? { failure } : {}) });
    if (encoded.length >= STREAM_CHUNK) await writeChunk();
  };
  type Fetched = { detail: Record<string, unknown> } | { err: unknown };
  // An unchanged item whose detail is kept (a rewrite in flight, --force) needs no request; nor
  // does one archived by a run whose write then failed (no state yet, the same history item).
  // The archive's track ids are listed only when an item without a state comes up.
  let archived: Promise<Set<string>> | undefined;
  const fetchDetail = async (it: HistoryItem): Promise<Fetched> => {
    const previous = states.get(it.trackid);
    const hash = sha(it.raw);
    const reusable = previous ? previous.hash === hash && !previous.failure : (await (archived ??= ws.rawTracks().then((t) => new Set(t)))).has(it.trackid);
    const kept = reusable ? await ws.loadRaw(it.trackid) : undefined;
    if (kept?.detail && (previous || sha(kept.history) === hash)) return { detail: kept.detail };
    try {
      return { detail: await workoutDetail(p.client, it.trackid, it.source) };
    } catch (err) {
      return { err };
    }
  };
  const attempt = async (it: HistoryItem, last: boolean, got: Fetched): Promise<boolean> => {
    const previous = states.get(it.trackid);
    if ('detail' in got) {
      await prepare(it, got.detail);
      return true;
    }
    const err = got.err;
    if (!isHuami(err)) throw err;
    const e = err as HuamiError;
    if (e.code === 'HUAMI_TOKEN_EXPIRED' || e.code === 'HUAMI_NO_CREDENTIALS') throw err;
    if (e.retryable && !last) return false;
    if (e.retryable) {
      // Still refused: pending (the old points, if any, stay until the new version is written).
      res.pending++;
      log.warn({ track: it.trackid, code: e.code }, `workout detail not fetched (${e.message}); tried again by the next run`);
      const base: WorkoutState = previous ?? { trackid: it.trackid, date: '', hash: '', writtenAt: null, spans: [], points: 0, user: p.user };
      await ws.saveRaw(it.trackid, { history: it.raw });
      await ws.writeWorkout({ ...base, pending: true });
      return true;
    }
    res.failed++;
    log.warn({ track: it.trackid, code: e.code }, `workout detail refused (${e.message}); the summary is written, the detail tried again later`);
    await prepare(it, undefined, nextFailure(previous?.failure, e.code, e.message, now()));
    return true;
  };
  const deferred: HistoryItem[] = [];
  try {
    // The next detail is asked while this one is archived and written (docs/architecture.md "Overlap").
    for await (const { item: it, answer } of oneAhead(todo, fetchDetail, () => !!deps.signal?.aborted)) {
      if (deps.signal?.aborted) break;
      if (!(await attempt(it, false, answer))) deferred.push(it);
      else deps.onProgress?.({ account: p.user, day: `workout ${it.trackid}`, done: ++done, total });
    }
    // The throttled ones once more, after the rest.
    for (const it of deferred) {
      if (deps.signal?.aborted) break;
      await attempt(it, true, await fetchDetail(it));
      deps.onProgress?.({ account: p.user, day: `workout ${it.trackid}`, done: ++done, total });
    }
  } finally {
    // A chunk in flight is finished either way (a Huami failure keeps what was written); so is every archive being saved.
    await Promise.allSettled([confirmed, ...finishing, ...saving]);
  }
  // The last, shorter chunk.
  if (encoded.length) await writeChunk();
  await settleWrite();
  await writeReady(p, ws, states, ready, res);
  if (full && !deps.signal?.aborted) sport.historyComplete = true;
  if (total) log.info({ seen: res.seen, written: res.written, pending: res.pending, failed: res.failed }, 'workouts synced');
}

type ScaleTask = { kind: 'members' | 'height'; at: number } | { kind: 'member'; id: string; at: number };

async function syncWeighIns(p: WorkoutsRun, ws: WorkoutStore, sport: SportState, res: WorkoutRunResult): Promise<void> {
  const now = p.deps.now().getTime();
  const pos = (sport.weight ??= {});
  await moveWeighIns(p, ws, sport, res);
  // The members list and the profile height: at the first run, then once a day in the rotation below.
  if (!sport.members) {
    sport.members = await familyMembers(p.client);
    sport.membersAt = now;
    sport.heightCm = await profileHeight(p.client);
    sport.heightAt = now;
  }
  const members = [OWNER, ...sport.members.filter((m) => m !== OWNER)];
  // A member never read in full (the first run, a new member): every page now.
  const fresh = members.filter((m) => !pos[m]?.complete);
  for (const m of fresh) await syncMember(p, ws, sport, m, true, res);
  if (fresh.length) return;
  const tasks: ScaleTask[] = members.map((id) => ({ kind: 'member' as const, id, at: pos[id]?.checkedAt ?? 0 }));
  if ((sport.membersAt ?? 0) + DAY_MS <= now) tasks.push({ kind: 'members', at: sport.membersAt ?? 0 });
  if ((sport.heightAt ?? 0) + DAY_MS <= now) tasks.push({ kind: 'height', at: sport.heightAt ?? 0 });
  const task = tasks.sort((a, b) => a.at - b.at)[0];
  if (!task) return;
  if (task.kind === 'members') {
    sport.members = await familyMembers(p.client);
    sport.membersAt = now;
  } else if (task.kind === 'height') {
    sport.heightCm = await profileHeight(p.client);
    sport.heightAt = now;
  } else if (task.kind === 'member') await syncMember(p, ws, sport, task.id, false, res);
}

/** Read a member's pages back to the newest record already written (all of them when `all`), write the new ones. */
async function syncMember(p: WorkoutsRun, ws: WorkoutStore, sport: SportState, member: string, all: boolean, res: WorkoutRunResult): Promise<void> {
  const now = p.deps.now().getTime();
  const pos: WeightPosition = (sport.weight ??= {})[member] ?? {};
  const newest = all ? undefined : pos.newest;
  const fresh: Record<string, unknown>[] = [];
  let toTime = Math.floor(now / 1000);
  for (;;) {
    const page = await weightPage(p.client, member, toTime);
    let reachedKnown = false;
    for (const it of page.items) {
      const t = Number(it.generatedTime);
      if (newest !== undefined && t <= newest) reachedKnown = true;
      else fresh.push(it);
    }
    if (reachedKnown || page.next === undefined) break;
    toTime = page.next;
  }
  const kept = await ws.loadWeighIns(member);
  const byTime = new Map<number, Record<string, unknown>>();
  for (const it of [...kept, ...fresh]) byTime.set(Number(it.generatedTime), it);
  const records = [...byTime.entries()].sort((a, b) => a[0] - b[0]).map(([, it]) => it);
  const written = await writeWeighIns(p, fresh, sport.heightCm);
  res.weighIns += written;
  res.points += written;
  // The archive before the position: a kill in between re-reads and re-writes (idempotently).
  if (fresh.length) await ws.saveWeighIns(member, records);
  const newestNow = records.reduce<number | undefined>((m, it) => Math.max(m ?? 0, Number(it.generatedTime)), undefined);
  sport.weight = { ...sport.weight, [member]: { ...(newestNow !== undefined ? { newest: newestNow } : {}), checkedAt: now, complete: true } };
  if (fresh.length) p.log.info({ member: memberTag(member), weighIns: written }, 'weigh-ins synced');
}

async function writeWeighIns(p: Pick<WorkoutsRun, 'deps' | 'account' | 'user' | 'log' | 'result'>, records: readonly unknown[], heightCm: number | undefined): Promise<number> {
  const points: Point[] = [];
  for (const rec of records) {
    const d = decodeWeighIn(rec, { timeZone: p.account.timezone, user: p.user, ...(heightCm !== undefined ? { heightCm } : {}) });
    reportWarnings(p.log, d.warnings, p.result);
    points.push(...d.points);
  }
  if (points.length) await p.deps.writer.write(points);
  return points.length;
}

/** Every weigh-in of all time, per member (a span for a renamed account's old tag). */
const ALL_TIME = { start: 946_684_800, end: 4_102_444_800 };

/**
 * The weigh-ins were written under another `user` tag (the account was renamed): write every
 * archived one under the current tag, then delete the old tag's (never nowhere, at worst twice).
 */
async function moveWeighIns(p: Pick<WorkoutsRun, 'deps' | 'account' | 'user' | 'log' | 'result'>, ws: WorkoutStore, sport: SportState, res: WorkoutRunResult): Promise<void> {
  const old = sport.weighInUser;
  if (old && old !== p.user) {
    const members = await ws.weightMembers();
    for (const m of members) {
      const n = await writeWeighIns(p, await ws.loadWeighIns(m), sport.heightCm);
      res.weighIns += n;
      res.points += n;
    }
    await p.deps.writer.deleteSpans(old, members.map((m) => ({ measurement: 'weigh_in' as const, ...ALL_TIME, tags: { member: memberTag(m) } })));
  }
  sport.weighInUser = p.user;
}

/** `reprocess`: rewrite every archived workout and weigh-in (no Huami request). */
export async function reprocessWorkouts(p: Omit<WorkoutsRun, 'client' | 'opts'> & { from?: string | undefined; to?: string | undefined }): Promise<void> {
  const res: WorkoutRunResult = { seen: 0, written: 0, pending: 0, failed: 0, weighIns: 0, points: 0, requests: 0 };
  p.result.workouts = res;
  const ws = new WorkoutStore(p.store.dir);
  const sport = await ws.readSport();
  const states = await ws.loadAll();
  const inRange = (d: string): boolean => (!p.from || d >= p.from) && (!p.to || d <= p.to);
  // InfluxDB 1.6 hides a series that was deleted and written again once another series of its
  // shard is deleted afterwards: every delete of the replay goes first, then every write.
  const tracks: { trackid: string; previous: WorkoutState | undefined }[] = [];
  for (const trackid of await ws.rawTracks()) {
    const previous = states.get(trackid);
    if (previous?.pending) continue; // a pending workout's detail is still to come
    const date = previous?.date || localStart(trackid, p.account.timezone);
    if (inRange(date)) tracks.push({ trackid, previous });
  }
  const spansOf = (t: { trackid: string; previous: WorkoutState | undefined }): DaySpan[] => unionSpans(t.previous?.spans ?? [], workoutSpans(t.trackid));
  await Promise.all(tracks.filter((t) => t.previous).map((t) => ws.writeWorkout({ ...(t.previous as WorkoutState), writtenAt: null, hash: '', spans: spansOf(t) })));
  const all = tracks.flatMap(spansOf);
  if (all.length) await p.deps.writer.deleteSpans(p.user, trackDeletes(all, states.values(), new Set(tracks.map((t) => t.trackid)), p.user));
  let group: Prepared[] = [];
  const at = p.deps.now().getTime();
  const flush = async (): Promise<void> => {
    res.points += await writeGroup(p.deps.writer, ws, p.user, group, at, true);
    res.written += group.length;
    group = [];
  };
  for (const { trackid, previous } of tracks) {
    if (p.deps.signal?.aborted) break;
    const kept = await ws.loadRaw(trackid);
    if (!kept) continue;
    const decoded = decodeWorkout(kept.history, kept.detail, { timeZone: p.account.timezone, user: p.user });
    res.seen++;
    reportWarnings(p.log, decoded.warnings, p.result);
    group.push({ trackid, decoded, hash: previous?.hash || sha(kept.history), previous, ...(previous?.failure ? { failure: previous.failure } : {}) });
    if (group.reduce((n, x) => n + x.decoded.points.length, 0) >= p.deps.config.raw.INFLUX_BATCH_SIZE) await flush();
  }
  await flush();
  // A renamed account: the old tag's points go once the new ones are confirmed.
  for (const t of tracks) if (t.previous?.user && t.previous.user !== p.user && t.previous.spans.length) await p.deps.writer.deleteSpans(t.previous.user, t.previous.spans);
  if (sport.weighInUser && sport.weighInUser !== p.user) {
    await moveWeighIns(p, ws, sport, res);
    await ws.writeSport(sport);
    p.result.points += res.points;
    return;
  }
  for (const member of await ws.weightMembers()) {
    const records = (await ws.loadWeighIns(member)).filter((r) => {
      const d = decodeWeighIn(r, { timeZone: p.account.timezone, user: p.user }).date;
      return d === '' || inRange(d);
    });
    const n = await writeWeighIns(p, records, sport.heightCm);
    res.weighIns += n;
    res.points += n;
  }
  sport.weighInUser = p.user;
  await ws.writeSport(sport);
  p.result.points += res.points;
}
