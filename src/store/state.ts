// Per-account, per-day sync state: STATE_DIR/<account>/days/<YYYY-MM-DD>.json (band_data;
// other streams under STATE_DIR/<account>/<stream>/days/), written
// atomically (temp file + rename) so a kill never leaves half a file.
// A day is done when `writtenAt` is set; a file with `writtenAt: null` is a day whose
// rewrite began (its old points may already be deleted) and whose `spans` must be
// deleted again before the next write. Both files are checked with zod when read: a day
// file that is not valid JSON or not of the shape below is an interrupted rewrite with
// unknown spans (fetched again); a missing file is a day never fetched.
import { mkdir, readdir, readFile } from 'node:fs/promises';
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
 * A day file (the date is its name). A field that is absent (a file an older version wrote, or one
 * written by hand) reads as unknown: not written, no spans, no points, no tag, and a hash ('') that
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

  constructor(stateDir: string, accountKey: string, stream?: string) {
    this.dir = join(stateDir, accountKey);
    this.daysDir = stream ? join(this.dir, stream, 'days') : join(this.dir, 'days');
  }

  private async ensureDirs(): Promise<void> {
    if (this.ready) return;
    await mkdir(this.daysDir, { recursive: true });
    this.ready = true;
  }

  /** Every day state of the account; unreadable files count as in-flight rewrites with unknown spans. */
  async loadAll(): Promise<Map<string, DayState>> {
    const out = new Map<string, DayState>();
    let names: string[];
    try {
      names = await readdir(this.daysDir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return out;
      throw err;
    }
    for (const name of names.sort()) {
      const date = DAY_FILE.exec(name)?.[1];
      if (!date) continue;
      out.set(date, (await this.readDay(date)) ?? emptyDirty(date));
    }
    return out;
  }

  /** One day's state, or undefined when there is none (or it is not a valid day file). */
  async readDay(date: string): Promise<DayState | undefined> {
    const text = await readIfExists(join(this.daysDir, `${date}.json`));
    const s = text === undefined ? undefined : parseJson(text, DayFileSchema);
    return s && { ...s, date };
  }

  async writeDay(state: DayState): Promise<void> {
    const text = `${JSON.stringify(state)}\n`;
    const mark = state.writtenAt === null;
    if (mark && this.marks.get(state.date) === text) return;
    this.marks.delete(state.date);
    await this.ensureDirs();
    await writeFileAtomic(join(this.daysDir, `${state.date}.json`), text);
    if (mark) this.marks.set(state.date, text);
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
