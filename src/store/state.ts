// Per-account sync state: the day states of a stream packed by month,
// STATE_DIR/<account>/days/<YYYY-MM>.json (band_data; other streams under
// STATE_DIR/<account>/<stream>/days/), one JSON object keyed by date, and account.json; every
// file written atomically (temp file + rename) so a kill never leaves half a file. One file per
// month instead of one per day: a 10-year backfill of five streams saved 18,000 small files, and
// on a small disk each cost more CPU than its data (docs/architecture.md "Sync").
// A day is done when `writtenAt` is set; a state with `writtenAt: null` is a day whose
// rewrite began (its old points may already be deleted) and whose `spans` must be
// deleted again before the next write. States are checked with zod when read: an entry that
// is not of the shape below is an interrupted rewrite with unknown spans (fetched again); a
// missing entry is a day never fetched, and so are the days of a month file that is not JSON.
// Day files of older versions (<YYYY-MM-DD>.json) are still read; the first write of their
// month takes them into the month file and removes them.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { DaySpan } from '../decode/index.js';
import { MEASUREMENTS, type MeasurementName } from '../schema/measurements.js';
import { writeFileAtomic } from './atomic.js';

export interface DayState {
  date: string;
  /** Epoch ms of the fetch whose payload was written. */
  fetchedAt: number | null;
  /** sha256 of the day's raw items (JSON); null while a rewrite is in flight. */
  hash: string | null;
  /** Epoch ms when the writer confirmed the points; null = not done. */
  writtenAt: number | null;
  /** Time ranges the day's points own in InfluxDB (deleted before a rewrite). */
  spans: DaySpan[];
  points: number;
  /** `user` tag the points were written with. */
  user: string;
  /** Epoch ms of the last fetch that covered this day (whatever it found). */
  checkedAt?: number;
  /** Fetches in a row that found no item for this day. */
  emptyChecks?: number;
  /**
   * Of those, the fetches made while a later day already had data: the band had uploaded
   * past this day, so its emptiness was not "not uploaded yet" (docs/architecture.md "Day life cycle").
   */
  confirmedEmpty?: number;
  /** Of those, the fetches made while a later day had data, whatever else the answer held. */
  behindChecks?: number;
  /** Newest day with band data known when this day was last checked. */
  newestAtCheck?: string;
  /** Set while the day is failed: why, how often it was tried, and when it is tried again. */
  failure?: DayFailure;
}

export interface DayFailure {
  code: string;
  message: string;
  attempts: number;
  /** Epoch ms of the first failure. */
  since: number;
  /** Epoch ms after which an ordinary run tries the day again. */
  retryAfter: number;
}

/** Account-level facts kept between runs (for sync_run and the daemon). */
export interface AccountState {
  /** `user` tag of the last run. */
  user: string;
  /** Huami user id, recorded at the first login: the label of an unnamed account from then on. */
  userId?: string;
  timezone: string;
  lastSuccessAt?: number;
  /** Newest band sync time seen (`sync` of the newest day), epoch ms. */
  lastDataAt?: number;
  /** Newest day for which Huami has returned band data (YYYY-MM-DD). */
  newestDataDay?: string;
  /** First day of the ordinary range (set by the first backfill; explicit ranges never move it). */
  syncStart?: string;
  /** Per health-event stream (its eventType): what the event sync has learned (src/sync/events.ts). */
  events?: Record<string, StreamFacts>;
}

/** What one event stream of an account has shown so far. */
export interface StreamFacts {
  /** Newest day for which the stream has returned an item; absent while it never has (a band without the feature). */
  newestDataDay?: string;
  /** Epoch ms of the last request of a stream that has never returned an item (probed at most once a day). */
  probedAt?: number;
}

const MEASUREMENT_NAMES = Object.keys(MEASUREMENTS) as [MeasurementName, ...MeasurementName[]];

const DaySpanSchema = z.object({
  measurement: z.enum(MEASUREMENT_NAMES),
  start: z.number(),
  end: z.number(),
  tags: z.record(z.string(), z.string()).optional(),
}) satisfies z.ZodType<DaySpan>;

/**
 * A day state (an entry of a month file keyed by its date, or an older version's day file named
 * after it). A field that is absent (written by an older version, or by hand) reads as unknown: not written, no spans, no points, no tag, and a hash ('') that
 * matches no fetch, so the day is rewritten when it is fetched again.
 */
const DayFileSchema = z.object({
  fetchedAt: z.number().nullable().default(null),
  hash: z.string().nullable().default(''),
  writtenAt: z.number().nullable().default(null),
  spans: z.array(DaySpanSchema).default([]),
  points: z.number().default(0),
  user: z.string().default(''),
  checkedAt: z.number().optional(),
  emptyChecks: z.number().optional(),
  confirmedEmpty: z.number().optional(),
  behindChecks: z.number().optional(),
  newestAtCheck: z.string().optional(),
  failure: z
    .object({ code: z.string(), message: z.string(), attempts: z.number(), since: z.number(), retryAfter: z.number() })
    .optional(),
}) satisfies z.ZodType<Omit<DayState, 'date'>, unknown>;

/** account.json: a field of the wrong type is dropped (the fact is re-learned), the others are kept. */
const AccountFileSchema = z.object({
  user: z.string().catch(''),
  userId: z.string().optional().catch(undefined),
  timezone: z.string().catch(''),
  lastSuccessAt: z.number().optional().catch(undefined),
  lastDataAt: z.number().optional().catch(undefined),
  newestDataDay: z.string().optional().catch(undefined),
  syncStart: z.string().optional().catch(undefined),
  events: z
    .record(z.string(), z.object({ newestDataDay: z.string().optional().catch(undefined), probedAt: z.number().optional().catch(undefined) }).catch({}))
    .optional()
    .catch(undefined),
}) satisfies z.ZodType<AccountState, unknown>;

/** The file's text; undefined when it does not exist (any other read error is thrown). */
async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** `schema`'s reading of a JSON text; undefined when the text is not JSON or not of that shape. */
function parseJson<T>(text: string, schema: z.ZodType<T, unknown>): T | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

const DAY_FILE = /^(\d{4}-\d{2}-\d{2})\.json$/;
const MONTH_FILE = /^(\d{4}-\d{2})\.json$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A month's day states as this store holds them while it writes that month. */
interface Month {
  /** JSON text of each day's state, by date. */
  entries: Map<string, string>;
  /** The month file and the older day files read (entries filled). */
  loaded: Promise<void>;
  /** Day files of older versions taken into this month, removed once the month file is in place. */
  legacy: string[];
  /** The write that takes the entries set from now on (it starts on the next turn of the event loop). */
  next?: Promise<void>;
  /** The last write started: writes of one month run one at a time, in order. */
  tail?: Promise<void>;
  /** writeDay calls between taking this month and scheduling its write (it stays held until they are done). */
  users: number;
}

/**
 * The state directory of one account: day states of one stream and the account file. The
 * band_data stream (no `stream`) keeps `days/`; another stream keeps `<stream>/days/`
 * (e.g. `events/all_day_stress/days/`), each with its own day life cycle.
 */
export class StateStore {
  readonly dir: string;
  readonly daysDir: string;
  private ready = false;
  /**
   * The in-flight marks this store wrote last, by date: a rewrite marks its days once before
   * a whole window is cleared (src/sync/batch.ts clearDays) and again before its group
   * deletes; the second mark, when it says the same, is already on disk.
   */
  private readonly marks = new Map<string, string>();
  /** Months being written; a month is let go once its last write is done (memory stays small in a backfill). */
  private readonly months = new Map<string, Month>();
  /** Dates of day files of older versions not yet taken into a month file (listed once). */
  private legacyDates: Promise<Set<string>> | undefined;

  constructor(stateDir: string, accountKey: string, stream?: string) {
    this.dir = join(stateDir, accountKey);
    this.daysDir = stream ? join(this.dir, stream, 'days') : join(this.dir, 'days');
  }

  private async ensureDirs(): Promise<void> {
    if (this.ready) return;
    await mkdir(this.daysDir, { recursive: true });
    this.ready = true;
  }

  private async names(): Promise<string[]> {
    try {
      return (await readdir(this.daysDir)).sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  /** Every day state of the account; an entry that cannot be read counts as an in-flight rewrite with unknown spans. */
  async loadAll(): Promise<Map<string, DayState>> {
    const values = new Map<string, unknown>();
    const legacy: string[] = [];
    for (const name of await this.names()) {
      const month = MONTH_FILE.exec(name)?.[1];
      if (month) for (const [date, value] of readMonth(await readIfExists(join(this.daysDir, name)), month)) values.set(date, value);
      const date = DAY_FILE.exec(name)?.[1];
      if (date) legacy.push(date);
    }
    // A day file of an older version counts only where its month file has no entry for it.
    for (const date of legacy) if (!values.has(date)) values.set(date, await this.readLegacy(date));
    // Entries set by this store whose write is still to come.
    for (const m of this.months.values()) for (const [date, text] of m.entries) values.set(date, JSON.parse(text));
    const out = new Map<string, DayState>();
    for (const date of [...values.keys()].sort()) out.set(date, dayOf(values.get(date), date) ?? emptyDirty(date));
    return out;
  }

  /** An older version's day file as JSON; undefined when it is missing or not JSON. */
  private async readLegacy(date: string): Promise<unknown> {
    const text = await readIfExists(join(this.daysDir, `${date}.json`));
    return text === undefined ? undefined : parseJson(text, z.unknown());
  }

  /** One day's state, or undefined when there is none (or its entry is not a valid day state). */
  async readDay(date: string): Promise<DayState | undefined> {
    const month = date.slice(0, 7);
    const held = this.months.get(month)?.entries.get(date);
    if (held !== undefined) return dayOf(JSON.parse(held), date);
    const entries = readMonth(await readIfExists(join(this.daysDir, `${month}.json`)), month);
    return dayOf(entries.has(date) ? entries.get(date) : await this.readLegacy(date), date);
  }

  /** Resolves once a month file holding this state (or a later one of the day) is in place. */
  async writeDay(state: DayState): Promise<void> {
    const text = JSON.stringify(state);
    const mark = state.writtenAt === null;
    if (mark && this.marks.get(state.date) === text) return;
    this.marks.delete(state.date);
    await this.put(state.date, text);
    if (mark) this.marks.set(state.date, text);
  }

  private async put(date: string, text: string): Promise<void> {
    const key = date.slice(0, 7);
    let m = this.months.get(key);
    if (!m) {
      const fresh: Month = { entries: new Map(), legacy: [], loaded: Promise.resolve(), users: 0 };
      fresh.loaded = this.loadMonth(key, fresh);
      this.months.set(key, fresh);
      m = fresh;
    }
    m.users++;
    try {
      try {
        await m.loaded;
      } catch (err) {
        if (this.months.get(key) === m && !m.tail) this.months.delete(key); // read again by the next call
        throw err;
      }
      m.entries.set(date, text);
      return this.schedule(key, m);
    } finally {
      m.users--;
    }
  }

  /** The month file's entries, then the older day files of that month it lacks (not JSON: an interrupted rewrite). */
  private async loadMonth(key: string, m: Month): Promise<void> {
    for (const [date, value] of readMonth(await readIfExists(join(this.daysDir, `${key}.json`)), key)) m.entries.set(date, JSON.stringify(value));
    this.legacyDates ??= this.names().then((names) => new Set(names.map((n) => DAY_FILE.exec(n)?.[1]).filter((d): d is string => d !== undefined)));
    const legacy = await this.legacyDates;
    for (const date of [...legacy].filter((d) => d.startsWith(`${key}-`))) {
      legacy.delete(date);
      m.legacy.push(date);
      if (m.entries.has(date)) continue;
      const text = await readIfExists(join(this.daysDir, `${date}.json`));
      if (text === undefined) continue;
      const value = parseJson(text, z.unknown());
      m.entries.set(date, JSON.stringify(value === undefined ? emptyDirty(date) : value));
    }
  }

  /**
   * Write the month with every entry set until its write starts: the days of one group (set
   * in the same turn of the event loop) share one file write, and a write asked for while
   * one is running follows it with everything set meanwhile.
   */
  private schedule(key: string, m: Month): Promise<void> {
    if (m.next) return m.next;
    const before = m.tail;
    const write = (async (): Promise<void> => {
      await before?.catch(() => undefined);
      await new Promise((resolve) => setImmediate(resolve));
      // Only this write can be `next` now (schedule() starts one only when there is none):
      // entries set from here on go into a write of their own.
      m.next = undefined;
      await this.ensureDirs();
      const body = [...m.entries.keys()].sort().map((date) => `${JSON.stringify(date)}:${m.entries.get(date) as string}`);
      await writeFileAtomic(join(this.daysDir, `${key}.json`), `{\n${body.join(',\n')}\n}\n`);
      // The month file holds them now: a kill before this leaves both, and the month file wins.
      const legacy = m.legacy.splice(0);
      for (const date of legacy) await unlink(join(this.daysDir, `${date}.json`)).catch(() => undefined);
    })();
    m.next = write;
    m.tail = write;
    const release = (): void => {
      if (m.tail === write && !m.next && m.users === 0 && this.months.get(key) === m) this.months.delete(key);
    };
    write.then(release, release);
    return write;
  }

  /** account.json, or undefined when there is none (or it is not a JSON object). */
  async readAccount(): Promise<AccountState | undefined> {
    const text = await readIfExists(join(this.dir, 'account.json'));
    return text === undefined ? undefined : parseJson(text, AccountFileSchema);
  }

  async writeAccount(state: AccountState): Promise<void> {
    await this.ensureDirs();
    await writeFileAtomic(join(this.dir, 'account.json'), `${JSON.stringify(state)}\n`);
  }
}

/**
 * The dates with a state under `daysDir` (month files and older day files), sorted: for tools
 * and tests that watch a running sync from outside (src/bench/shutdown.ts).
 */
export function recordedDatesSync(daysDir: string): string[] {
  if (!existsSync(daysDir)) return [];
  const dates = new Set<string>();
  for (const name of readdirSync(daysDir)) {
    const month = MONTH_FILE.exec(name)?.[1];
    if (month) {
      let text: string | undefined;
      try {
        text = readFileSync(join(daysDir, name), 'utf8');
      } catch {
        continue; // replaced between the listing and the read
      }
      for (const date of readMonth(text, month).keys()) dates.add(date);
    }
    const date = DAY_FILE.exec(name)?.[1];
    if (date) dates.add(date);
  }
  return [...dates].sort();
}

/** The entries of a month file by date, as parsed JSON; none when it is missing or not a JSON object (its days read as never fetched). */
function readMonth(text: string | undefined, month: string): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const value = text === undefined ? undefined : parseJson(text, z.unknown());
  if (!value || typeof value !== 'object' || Array.isArray(value)) return out;
  for (const [date, entry] of Object.entries(value)) if (DATE.test(date) && date.startsWith(`${month}-`)) out.set(date, entry);
  return out;
}

/** A day state read through DayFileSchema; undefined when it is not of that shape. */
function dayOf(value: unknown, date: string): DayState | undefined {
  const parsed = DayFileSchema.safeParse(value);
  return parsed.success ? { ...parsed.data, date } : undefined;
}

function emptyDirty(date: string): DayState {
  return { date, fetchedAt: null, hash: null, writtenAt: null, spans: [], points: 0, user: '' };
}

/** Spans of `a` and `b` without exact duplicates (the delete set of a rewrite). */
export function unionSpans(a: readonly DaySpan[], b: readonly DaySpan[]): DaySpan[] {
  const seen = new Set<string>();
  const out: DaySpan[] = [];
  for (const s of [...a, ...b]) {
    const key = JSON.stringify([s.measurement, s.start, s.end, Object.entries(s.tags ?? {}).sort()]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(s);
  }
  return out;
}
