// Raw items kept per account, stream and day (band_data: STATE_DIR/<account>/raw/<date>.json.gz;
// another stream: STATE_DIR/<account>/raw/<stream>/<date>.json.gz, e.g. raw/events/all_day_stress/), so `reprocess` can re-decode after a decoder fix without asking Huami again.
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import pLimit from 'p-limit';
import { writeFileAtomic } from './atomic.js';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);
const RAW_FILE = /^(\d{4}-\d{2}-\d{2})\.json\.gz$/;
/**
 * Days compressed at once, process-wide. Each gzip holds ~300 kB of zlib state outside the V8
 * heap: a 10-year stream saved as one group (PAI is one point a day) started 3,653 of them at
 * once and peaked at 930 MB RSS; libuv runs four at a time anyway.
 */
const gzipLimit = pLimit(4);
/**
 * zlib settings of every archive file (raw days, workouts, weigh-ins). Level 1: a backfill
 * compresses every answer it archives, and at the default level 6 that took about as much CPU
 * as decoding them; the files are about a fifth larger.
 */
export const ARCHIVE_GZIP = { level: 1 } as const;

/** The raw archive of one account. */
export class RawArchive {
  readonly dir: string;
  private ready = false;

  constructor(stateDir: string, accountKey: string, stream?: string) {
    this.dir = stream ? join(stateDir, accountKey, 'raw', stream) : join(stateDir, accountKey, 'raw');
  }

  /** Keep the items of one day (gzip, atomic). */
  async save(date: string, items: readonly unknown[]): Promise<void> {
    if (!this.ready) {
      await mkdir(this.dir, { recursive: true });
      this.ready = true;
    }
    const body = await gzipLimit(() => gzipAsync(JSON.stringify(items), ARCHIVE_GZIP));
    await writeFileAtomic(join(this.dir, `${date}.json.gz`), body);
  }

  /** The kept items of one day, or undefined when none were kept. */
  async load(date: string): Promise<unknown[] | undefined> {
    try {
      return JSON.parse((await gunzipAsync(await readFile(join(this.dir, `${date}.json.gz`)))).toString('utf8')) as unknown[];
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  /** Dates with kept items, ascending. */
  async dates(): Promise<string[]> {
    try {
      return (await readdir(this.dir))
        .map((n) => RAW_FILE.exec(n)?.[1])
        .filter((d): d is string => d !== undefined)
        .sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }
}
