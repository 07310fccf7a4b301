// FakeData: the ground truth of every fake user, generated lazily per requested day from
// (seed, userId, date, version) and cached, with the hooks tests use to simulate upstream
// changes (override a day, bump its version, move the first/last day with data).
import { generateDayPlan, type DayPlan } from './activity.js';
import { addDays, dayClock, localDate, type DayClock } from './clock.js';
import { deviceFor } from './device.js';
import { Lru } from './lru.js';
import { renderMinutes } from './minutes.js';
import { generateNight, type Night } from './night.js';
import { rngFor } from './rng.js';
import { buildSummary } from './summary.js';
import type { FakeDay, GeneratorSwitches } from './types.js';
import { membersOf, weighInsOf, type FakeMember, type FakeWeighIn } from './weights.js';
import { buildWorkout, overlayWorkoutHr, planWorkoutSlots, type FakeWorkout } from './workouts.js';

export interface FakeDataOptions extends GeneratorSwitches {
  seed: number;
  /** First day with data, YYYY-MM-DD. */
  from: string;
  now: () => Date;
  /** IANA zone of a user (days begin at its local midnight). */
  zoneFor(userId: string): string;
}

/** A workout edit (the app re-uploads it): edit in place; updateTime is bumped. */
export type WorkoutEdit = (w: FakeWorkout) => void;

/** The `source` of the workouts the fake generates. */
export const WORKOUT_SOURCE = 'run.mifit.huami.com';

/** A day mutation: edit `day` in place or return a replacement. */
export type DayOverride = (day: FakeDay) => FakeDay | void;

/** A served day's record, its cached encodings and its workouts. */
export interface DayEntry { day: FakeDay; encoded: Map<string, string>; workouts: FakeWorkout[] }

/** Ground truth per user and day, as the fake server serves it. */
export interface FakeData {
  readonly switches: GeneratorSwitches;
  /** The record band_data.json serves for that day (a copy), or undefined when the day is omitted. */
  day(userId: string, date: string): FakeDay | undefined;
  /** Served records in [from, to], date order. */
  days(userId: string, from: string, to: string): FakeDay[];
  /** Simulate an upstream change: applied to the generated day every time it is served. */
  override(userId: string, date: string, fn: DayOverride): void;
  /** Regenerate a day (and the nights touching it) differently, as after a late band sync. */
  bump(userId: string, date: string): void;
  /** First day with data. */
  setFrom(date: string): void;
  /** Last day with data (undefined = up to today), e.g. a band lost or unpaired. */
  setUntil(date: string | undefined): void;
  /**
   * The band has uploaded nothing since `date` (the phone stayed at home): days from `date` on
   * are absent; with undefined the band syncs again and every day appears at once.
   */
  bandOfflineSince(date: string | undefined): void;
  /** Drop overrides, version bumps and workout edits. */
  reset(): void;
  /** Every uploaded workout of the user (served days, ended before the last sync), newest first; copies. */
  workouts(userId: string): FakeWorkout[];
  /** Edit a workout as a re-upload from the app would (its updateTime moves on). */
  editWorkout(userId: string, trackid: number, fn: WorkoutEdit): void;
  /** The scale's members of the account: the owner (id "-1") and one family member. */
  members(userId: string): FakeMember[];
  /** Every weigh-in of one member up to now, oldest first; copies. */
  weighIns(userId: string, memberId: string): FakeWeighIn[];
}

/** The FakeData implementation; `entry` also hands routes a cache slot for encoded blobs. */
export class FakeDataStore implements FakeData {
  readonly switches: GeneratorSwitches;
  private from: string;
  private until: string | undefined;
  private readonly versions = new Map<string, number>();
  private readonly overrides = new Map<string, DayOverride[]>();
  private readonly records = new Lru<string, DayEntry | null>(128);
  private readonly workoutLists = new Lru<string, FakeWorkout[]>(16);
  private readonly workoutIndex = new WeakMap<FakeWorkout[], Map<string, FakeWorkout>>();
  private readonly workoutEdits = new Map<string, WorkoutEdit[]>();
  private readonly weights = new Lru<string, FakeWeighIn[]>(16);
  private readonly nights = new Lru<string, Night>(256);
  /** Each day's generated workouts before the last-sync cut (shared by records and workoutList; never mutated). */
  private readonly dayWorkoutCache = new Lru<string, readonly FakeWorkout[]>(4096);

  constructor(private readonly opts: FakeDataOptions) {
    this.from = opts.from;
    this.switches = { nightConvention: opts.nightConvention, tzField: opts.tzField, recordWidth: opts.recordWidth, napAnchor: opts.napAnchor };
  }

  day(userId: string, date: string): FakeDay | undefined {
    const e = this.entry(userId, date);
    return e ? structuredClone(e.day) : undefined;
  }

  days(userId: string, from: string, to: string): FakeDay[] {
    const out: FakeDay[] = [];
    for (let d = from; d <= to; d = addDays(d, 1)) {
      const e = this.entry(userId, d);
      if (e) out.push(structuredClone(e.day));
    }
    return out;
  }

  override(userId: string, date: string, fn: DayOverride): void {
    const key = `${userId}|${date}`;
    this.overrides.set(key, [...(this.overrides.get(key) ?? []), fn]);
    this.invalidate();
  }

  bump(userId: string, date: string): void {
    const key = `${userId}|${date}`;
    this.versions.set(key, (this.versions.get(key) ?? 0) + 1);
    this.invalidate();
  }

  setFrom(date: string): void { this.from = date; this.invalidate(); }
  /** First day with data (the health events count baselines from it). */
  firstDay(): string { return this.from; }
  setUntil(date: string | undefined): void { this.until = date; this.invalidate(); }
  bandOfflineSince(date: string | undefined): void { this.setUntil(date === undefined ? undefined : addDays(date, -1)); }
  reset(): void { this.versions.clear(); this.overrides.clear(); this.workoutEdits.clear(); this.invalidate(); }

  workouts(userId: string): FakeWorkout[] {
    return structuredClone(this.workoutList(userId));
  }

  editWorkout(userId: string, trackid: number, fn: WorkoutEdit): void {
    const key = `${userId}|${trackid}`;
    this.workoutEdits.set(key, [...(this.workoutEdits.get(key) ?? []), fn]);
    this.invalidate();
  }

  members(userId: string): FakeMember[] {
    return membersOf(userId);
  }

  weighIns(userId: string, memberId: string): FakeWeighIn[] {
    return structuredClone(this.weighInList(userId, memberId)) as FakeWeighIn[];
  }

  /** The cached weigh-ins (not a copy) of one member up to now, oldest first. */
  weighInList(userId: string, memberId: string): readonly FakeWeighIn[] {
    const member = membersOf(userId).find((m) => m.id === memberId);
    if (!member) return [];
    const zone = this.opts.zoneFor(userId);
    const nowMs = this.opts.now().getTime();
    const today = localDate(nowMs, zone);
    const key = `${userId}|${memberId}|${this.from}|${this.until ?? ''}|${Math.floor(nowMs / 60_000)}`;
    let list = this.weights.get(key);
    if (!list) {
      list = weighInsOf(this.opts.seed, userId, member, zone, this.from, this.until !== undefined && this.until < today ? this.until : today, nowMs / 1000);
      this.weights.set(key, list);
    }
    return list;
  }

  /** The first workout of the cached list with this trackid and source (not a copy). */
  findWorkout(userId: string, trackid: number, source: string): FakeWorkout | undefined {
    const list = this.workoutList(userId);
    let index = this.workoutIndex.get(list);
    if (!index) {
      index = new Map();
      for (const w of list) if (!index.has(`${w.trackid}|${w.source}`)) index.set(`${w.trackid}|${w.source}`, w);
      this.workoutIndex.set(list, index);
    }
    return index.get(`${trackid}|${source}`);
  }

  /** The cached workout list (not a copy), newest first. */
  workoutList(userId: string): FakeWorkout[] {
    const zone = this.opts.zoneFor(userId);
    const nowMs = this.opts.now().getTime();
    const key = `${userId}|${Math.floor((nowMs / 1000 - 60) / 600)}`;
    let list = this.workoutLists.get(key);
    if (list) return list;
    list = [];
    const today = localDate(nowMs, zone);
    const last = this.until !== undefined && this.until < today ? this.until : today;
    const lastSync = Math.floor((nowMs / 1000 - 60) / 600) * 600;
    for (let d = this.from; d <= last; d = addDays(d, 1)) {
      if (!this.exists(userId, d)) continue;
      // The same workouts entry() overlays (only the day's plan is needed, not its minutes).
      for (const w of this.dayWorkouts(userId, d, zone, lastSync)) {
        const edits = this.workoutEdits.get(`${userId}|${w.trackid}`);
        if (!edits?.length) {
          list.push(w); // shared with the day cache: nobody mutates a served workout
          continue;
        }
        const edited = structuredClone(w);
        for (const fn of edits) fn(edited);
        edited.updateTime = Math.max(edited.updateTime, nowMs);
        list.push(edited);
      }
    }
    list.reverse();
    this.workoutLists.set(key, list);
    return list;
  }

  /** The cached served record (not a copy) plus a slot for its encodings; null when omitted. */
  entry(userId: string, date: string): DayEntry | null {
    const zone = this.opts.zoneFor(userId);
    const nowSec = this.opts.now().getTime() / 1000;
    if (date > localDate(nowSec * 1000, zone) || !this.exists(userId, date)) return null; // future days are absent
    // The band syncs every 10 minutes; a record's data ends at its sync (today grows).
    const lastSync = Math.floor((nowSec - 60) / 600) * 600;
    const key = `${userId}|${date}|${lastSync}`;
    const cached = this.records.get(key);
    if (cached !== undefined) return cached;
    const made = this.generate(userId, date, zone, lastSync);
    this.records.set(key, made);
    return made;
  }

  private invalidate(): void {
    this.records.clear();
    this.dayWorkoutCache.clear();
    this.nights.clear();
    this.workoutLists.clear();
  }

  private version(userId: string, date: string): number {
    return this.versions.get(`${userId}|${date}`) ?? 0;
  }

  /** The band recorded something that day (before the today/future check). */
  private exists(userId: string, date: string): boolean {
    if (date < this.from || (this.until !== undefined && date > this.until)) return false;
    return !rngFor(this.opts.seed, userId, `absent|${date}`, this.version(userId, date)).chance(0.04);
  }

  private clock(date: string, zone: string): DayClock {
    return dayClock(date, zone); // memoised in clock.ts
  }

  /** The night from the evening of `evening` to the next morning; versioned by both days. */
  private night(userId: string, evening: string, zone: string): Night {
    const key = `${userId}|${evening}`;
    let n = this.nights.get(key);
    if (n) return n;
    const morning = addDays(evening, 1);
    const version = this.version(userId, evening) * 1000 + this.version(userId, morning);
    const worn = this.exists(userId, evening) && this.exists(userId, morning) && !rngFor(this.opts.seed, userId, `offnight|${evening}`, version).chance(0.05);
    n = generateNight(rngFor(this.opts.seed, userId, `night|${evening}`, version), evening, this.clock(evening, zone).anchor, worn);
    this.nights.set(key, n);
    return n;
  }

  /**
   * The day's workouts that ended by the last sync (the same rule as a day's data cutoff: a
   * complete day's workouts all ended before its natural sync).
   */
  private dayWorkouts(userId: string, date: string, zone: string, lastSync: number, plan?: DayPlan): FakeWorkout[] {
    const v = this.version(userId, date);
    const key = `${userId}|${date}|${v}|${zone}`;
    let all = this.dayWorkoutCache.get(key);
    if (!all) {
      const p = plan ?? generateDayPlan(rngFor(this.opts.seed, userId, `day|${date}`, v));
      const clock = this.clock(date, zone);
      const wrng = rngFor(this.opts.seed, userId, `workouts|${date}`, v);
      all = planWorkoutSlots(wrng, p)
        .map((slot) => buildWorkout(wrng, slot, { userId, clock, plan: p, source: WORKOUT_SOURCE }))
        .filter((w): w is FakeWorkout => w !== undefined);
      this.dayWorkoutCache.set(key, all);
    }
    return all.filter((w) => w.end <= lastSync);
  }

  private generate(userId: string, date: string, zone: string, lastSync: number): DayEntry | null {
    const { seed } = this.opts;
    const v = this.version(userId, date);
    const clock = this.clock(date, zone);
    const prev = this.night(userId, addDays(date, -1), zone);
    const next = this.night(userId, date, zone);
    const wakeDate = this.switches.nightConvention === 'wake-date';
    const owned = wakeDate ? prev : next;
    const lastStage = owned.stages[owned.stages.length - 1];
    const nightEnd = owned.worn && lastStage ? owned.anchor + (lastStage.stop + 1) * 60 : 0;
    const natural = Math.max(clock.nextAnchor, nightEnd) + rngFor(seed, userId, `sync|${date}`, v).int(300, 5400);
    const partial = natural > lastSync;
    const cutoff = partial ? lastSync : Infinity;
    if (cutoff <= clock.anchor) return null; // nothing synced into today's record yet
    const plan: DayPlan = generateDayPlan(rngFor(seed, userId, `day|${date}`, v));
    const minutes = renderMinutes({ clock, plan, nights: [prev, next], cutoff, rng: rngFor(seed, userId, `minutes|${date}`, v), recordWidth: this.switches.recordWidth });
    const device = deviceFor(seed, userId, this.switches.recordWidth);
    // Workouts uploaded by the last sync; their minutes carry the workout's heart rate.
    const workouts = this.dayWorkouts(userId, date, zone, lastSync, plan);
    overlayWorkoutHr(minutes.hr, workouts, clock, cutoff);
    const sync = partial ? lastSync : natural;
    const napAnchor = this.switches.napAnchor === 'sleep-anchor' ? owned.anchor : clock.anchor;
    // A night reports the same resting HR and score whichever record carries it: both
    // come from the night's wake date (its plan's resting HR drives the night's minute HR).
    const wakeDay = addDays(owned.evening, 1);
    const wv = this.version(userId, wakeDay);
    const wakePlan = wakeDay === date ? plan : generateDayPlan(rngFor(seed, userId, `day|${wakeDay}`, wv));
    const nightScores = { rhr: wakePlan.rhr, ss: rngFor(seed, userId, `night-score|${wakeDay}`, wv).int(55, 92) };
    const summary = buildSummary({ clock, plan, minutes, night: owned, napAnchor, nightScores, cutoff, sync, switches: this.switches, device, rng: rngFor(seed, userId, `summary|${date}`, v) });
    let day: FakeDay = { userId, date, timezone: zone, device, summary, data: minutes.data, hr: minutes.hr, cutoff };
    for (const fn of this.overrides.get(`${userId}|${date}`) ?? []) day = fn(day) ?? day;
    return { day, encoded: new Map(), workouts };
  }
}
