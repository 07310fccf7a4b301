// Workout and weigh-in state of one account under STATE_DIR/<account>/ (docs/architecture.md
// "Workouts and weigh-ins"), read through zod schemas like the day files:
//   workouts/<trackid>.json      one state per workout (the history item's hash, written spans,
//                                a pending detail or a failure with its retry time)
//   raw-workouts/<trackid>.json.gz  the raw history item and detail (for `reprocess`, `export-gpx`)
//   raw-weight/<member>.json.gz  every weight record of a scale member seen so far
//   sport.json                   history fully scanned, newest trackid, members, height, per-member
//                                weight position and when each was last checked
// A workout file with `writtenAt: null` is a rewrite in flight whose `spans` must be deleted again.
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { z } from 'zod';
import type { DaySpan } from '../decode/index.js';
import { MEASUREMENTS, type MeasurementName } from '../schema/measurements.js';
import { writeFileAtomic } from './atomic.js';
import { ARCHIVE_GZIP } from './raw-archive.js';
import type { DayFailure } from './state.js';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

export interface WorkoutState {
  trackid: string;
  /** Local start date in the account zone. */
  date: string;
  /** sha256 of the history item (it changes when the workout is edited and re-uploaded). */
  hash: string;
  /** Epoch ms when the points were confirmed; null = not written (pending, or a rewrite in flight). */
  writtenAt: number | null;
  spans: DaySpan[];
  points: number;
  user: string;
  /** The detail could not be fetched yet (throttled, network): fetched again by the next run. */
  pending?: boolean;
  /** The last detail call failed for good (e.g. an unknown track): summary written, detail retried on this schedule. */
  failure?: DayFailure;
}

export interface WeightPosition {
  /** Newest generatedTime written (epoch s). */
  newest?: number;
  /** Epoch ms of the last check of this member's newest page. */
  checkedAt?: number;
  /** Every page back to the first record was read once. */
  complete?: boolean;
}

export interface SportState {
  /** Every history page was read once (afterwards the newest page is enough). */
  historyComplete?: boolean;
  newestTrackId?: string;
  /** Family member ids of the scale (the owner "-1" is always checked) and when they were fetched. */
  members?: string[];
  membersAt?: number;
  heightCm?: number;
  heightAt?: number;
  weight?: Record<string, WeightPosition>;
  /** The `user` tag the weigh-ins were written with (a renamed account moves them). */
  weighInUser?: string;
}

const MEASUREMENT_NAMES = Object.keys(MEASUREMENTS) as [MeasurementName, ...MeasurementName[]];
const SpanSchema = z.object({ measurement: z.enum(MEASUREMENT_NAMES), start: z.number(), end: z.number(), tags: z.record(z.string(), z.string()).optional() });
const FailureSchema = z.object({ code: z.string(), message: z.string(), attempts: z.number(), since: z.number(), retryAfter: z.number() });

const WorkoutFileSchema = z.object({
  trackid: z.string(),
  date: z.string().default(''),
  hash: z.string().default(''),
  writtenAt: z.number().nullable().default(null),
  spans: z.array(SpanSchema).default([]),
  points: z.number().default(0),
  user: z.string().default(''),
  pending: z.boolean().optional(),
  failure: FailureSchema.optional(),
}) satisfies z.ZodType<WorkoutState, unknown>;

/** sport.json: a field of the wrong type is dropped (re-learned: a full scan), the others kept. */
const SportFileSchema = z.object({
  historyComplete: z.boolean().optional().catch(undefined),
  newestTrackId: z.string().optional().catch(undefined),
  members: z.array(z.string()).optional().catch(undefined),
  membersAt: z.number().optional().catch(undefined),
  heightCm: z.number().optional().catch(undefined),
  heightAt: z.number().optional().catch(undefined),
  weight: z
    .record(z.string(), z.object({ newest: z.number().optional(), checkedAt: z.number().optional(), complete: z.boolean().optional() }))
    .optional()
    .catch(undefined),
  weighInUser: z.string().optional().catch(undefined),
}) satisfies z.ZodType<SportState, unknown>;

export interface ArchivedWorkout {
  history: Record<string, unknown>;
  /** The detail's `data`; absent while it could not be fetched. */
  detail?: Record<string, unknown>;
}

async function readIfExists(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function parseJson<T>(text: string, schema: z.ZodType<T, unknown>): T | undefined {
  try {
    const r = schema.safeParse(JSON.parse(text));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

const TRACK_FILE = /^(\d+)\.json$/;
const TRACK_RAW = /^(\d+)\.json\.gz$/;
/** A member id as a file name ("-1" and digits; anything else is encoded). */
const memberFile = (m: string) => `${encodeURIComponent(m)}.json.gz`;

/** Workout states, their raw archive and the weigh-in archive of one account. */
export class WorkoutStore {
  readonly dir: string;
  private readonly made = new Set<string>();

  /** `accountDir`: STATE_DIR/<account key> (StateStore.dir). */
  constructor(accountDir: string) {
    this.dir = accountDir;
  }

  private async sub(name: string): Promise<string> {
    const d = join(this.dir, name);
    if (!this.made.has(name)) {
      await mkdir(d, { recursive: true });
      this.made.add(name);
    }
    return d;
  }

  async readSport(): Promise<SportState> {
    const b = await readIfExists(join(this.dir, 'sport.json'));
    return (b && parseJson(b.toString('utf8'), SportFileSchema)) ?? {};
  }

  async writeSport(s: SportState): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeFileAtomic(join(this.dir, 'sport.json'), `${JSON.stringify(s)}\n`);
  }

  /** Every workout state by trackid; an unreadable file is a rewrite in flight with unknown spans (its own trackid spans). */
  async loadAll(): Promise<Map<string, WorkoutState>> {
    const out = new Map<string, WorkoutState>();
    let names: string[];
    try {
      names = await readdir(join(this.dir, 'workouts'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return out;
      throw err;
    }
    for (const name of names) {
      const trackid = TRACK_FILE.exec(name)?.[1];
      if (!trackid) continue;
      const b = await readIfExists(join(this.dir, 'workouts', name));
      const s = b && parseJson(b.toString('utf8'), WorkoutFileSchema);
      out.set(trackid, s ? { ...s, trackid } : { trackid, date: '', hash: '', writtenAt: null, spans: [], points: 0, user: '' });
    }
    return out;
  }

  async writeWorkout(s: WorkoutState): Promise<void> {
    await writeFileAtomic(join(await this.sub('workouts'), `${s.trackid}.json`), `${JSON.stringify(s)}\n`);
  }

  async saveRaw(trackid: string, w: ArchivedWorkout): Promise<void> {
    await writeFileAtomic(join(await this.sub('raw-workouts'), `${trackid}.json.gz`), await gzipAsync(JSON.stringify(w), ARCHIVE_GZIP));
  }

  async loadRaw(trackid: string): Promise<ArchivedWorkout | undefined> {
    const b = await readIfExists(join(this.dir, 'raw-workouts', `${trackid}.json.gz`));
    return b && (JSON.parse((await gunzipAsync(b)).toString('utf8')) as ArchivedWorkout);
  }

  /** Track ids with an archived workout, ascending. */
  async rawTracks(): Promise<string[]> {
    try {
      return (await readdir(join(this.dir, 'raw-workouts'))).map((n) => TRACK_RAW.exec(n)?.[1]).filter((t): t is string => t !== undefined).sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  /** Every kept weight record of a member (raw items, oldest first). */
  async loadWeighIns(member: string): Promise<Record<string, unknown>[]> {
    const b = await readIfExists(join(this.dir, 'raw-weight', memberFile(member)));
    return b ? (JSON.parse((await gunzipAsync(b)).toString('utf8')) as Record<string, unknown>[]) : [];
  }

  async saveWeighIns(member: string, records: readonly Record<string, unknown>[]): Promise<void> {
    await writeFileAtomic(join(await this.sub('raw-weight'), memberFile(member)), await gzipAsync(JSON.stringify(records), ARCHIVE_GZIP));
  }

  /** Members with kept weight records. */
  async weightMembers(): Promise<string[]> {
    try {
      return (await readdir(join(this.dir, 'raw-weight'))).filter((n) => n.endsWith('.json.gz')).map((n) => decodeURIComponent(n.slice(0, -'.json.gz'.length)));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }
}
