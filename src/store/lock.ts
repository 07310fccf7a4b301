// One run per state directory: `sync`, `reprocess` and the daemon hold a lock on STATE_DIR for
// their whole run (the daemon for its lifetime), so two processes never advance the same day
// states or tokens at once. The lock is proper-lockfile's: a directory made atomically with
// mkdir whose mtime the holder refreshes; a lock nobody refreshes for STALE_MS is taken over.
// Next to it a small JSON file names the holder (pid, host, command, since) for the message.
import { readFile, mkdir, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { writeFileAtomic } from './atomic.js';

/** Who holds the lock (the info file next to it). */
export interface LockHolder {
  pid: number;
  host: string;
  command: string;
  /** ISO time the lock was taken. */
  since: string;
}

/** Another process holds STATE_DIR: the message names it and the way out. */
export class StateLockedError extends Error {
  override readonly name = 'StateLockedError';
  readonly code = 'STATE_LOCKED';
  constructor(
    message: string,
    readonly holder: LockHolder | undefined,
  ) {
    super(message);
  }
}

export interface StateLock {
  readonly holder: LockHolder;
  /** Give the lock back (idempotent). */
  release(): Promise<void>;
}

/** A lock whose holder stopped refreshing it this long ago is stale (proper-lockfile's default). */
export const STALE_MS = 10_000;
const LOCK_DIR = '.mifit-sync.lock';
const INFO_FILE = '.mifit-sync.lock.json';

export interface LockOptions {
  /** What the holder runs, for the message of a refused run (e.g. "sync --from 2025-01-01"). */
  command: string;
  /** The lock was lost (its directory removed or taken over): the run must stop. Default: throw. */
  onCompromised?(err: Error): void;
  staleMs?: number;
}

/** Whether a process with this pid is running on this host (EPERM: it is, as another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readHolder(stateDir: string): Promise<LockHolder | undefined> {
  try {
    const h = JSON.parse(await readFile(join(stateDir, INFO_FILE), 'utf8')) as Partial<LockHolder>;
    if (typeof h.pid !== 'number' || typeof h.host !== 'string') return undefined;
    return { pid: h.pid, host: h.host, command: String(h.command ?? '?'), since: String(h.since ?? '?') };
  } catch {
    return undefined;
  }
}

/** The holder is known to be gone: it ran on this host and its pid is not running (or is ours: a restarted container). */
const holderGone = (h: LockHolder | undefined): boolean => h !== undefined && h.host === hostname() && (h.pid === process.pid || !alive(h.pid));

function describeHolder(h: LockHolder | undefined): string {
  if (!h) return 'another mifit-sync process (it has not written who it is)';
  return `pid ${h.pid} on host ${h.host} ("mifit-sync ${h.command}"), since ${h.since}`;
}

/**
 * Take the lock on `stateDir` or throw StateLockedError naming the holder. A lock left by a
 * killed process (its pid is gone, or nobody refreshes it) is taken over once it is stale,
 * through proper-lockfile's own stale check; a live holder is refused at once.
 */
export async function lockStateDir(stateDir: string, o: LockOptions): Promise<StateLock> {
  const stale = o.staleMs ?? STALE_MS;
  await mkdir(stateDir, { recursive: true });
  const base = { realpath: false, stale, lockfilePath: join(stateDir, LOCK_DIR), ...(o.onCompromised ? { onCompromised: o.onCompromised } : {}) };
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(stateDir, base);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
    const holder = await readHolder(stateDir);
    // A holder that is running (or that we cannot check) is refused at once; one that is
    // gone has stopped refreshing the lock, so waiting for it to turn stale is enough.
    if (!holderGone(holder) && holder !== undefined) throw locked(stateDir, holder, stale);
    try {
      const step = 500;
      release = await lockfile.lock(stateDir, { ...base, retries: { retries: Math.ceil(stale / step) + 4, factor: 1, minTimeout: step, maxTimeout: step } });
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code !== 'ELOCKED') throw again;
      throw locked(stateDir, await readHolder(stateDir), stale);
    }
  }
  const holder: LockHolder = { pid: process.pid, host: hostname(), command: o.command, since: new Date().toISOString() };
  try {
    await writeFileAtomic(join(stateDir, INFO_FILE), `${JSON.stringify(holder)}\n`);
  } catch (err) {
    await release().catch(() => undefined);
    throw err;
  }
  let released: Promise<void> | undefined;
  return {
    holder,
    release: () =>
      (released ??= (async () => {
        const current = await readHolder(stateDir);
        if (current?.pid === holder.pid && current.since === holder.since) await rm(join(stateDir, INFO_FILE), { force: true });
        // A compromised lock is no longer ours to remove.
        await release().catch((err: NodeJS.ErrnoException) => {
          if (err.code !== 'ERELEASED' && err.code !== 'ENOTACQUIRED') throw err;
        });
      })()),
  };
}

function locked(stateDir: string, holder: LockHolder | undefined, staleMs: number): StateLockedError {
  return new StateLockedError(
    `STATE_DIR ${stateDir} is in use by ${describeHolder(holder)}. One run per state directory: wait for it to finish or stop it, then try again (a lock left by a killed process is taken over ${Math.round(staleMs / 1000)} s after it stopped).`,
    holder,
  );
}

/** Run `fn` holding the lock on `stateDir`; the lock is released however `fn` ends. */
export async function withStateLock<T>(stateDir: string, command: string, fn: () => Promise<T>): Promise<T> {
  const lock = await lockStateDir(stateDir, {
    command,
    // Another process took the state over: stop before this run writes another day state.
    onCompromised: (err) => {
      process.stderr.write(`mifit-sync: [STATE_LOCK_LOST] the lock on STATE_DIR ${stateDir} was lost (${err.message}); stopping. Days not confirmed stay pending.\n`);
      process.exit(1);
    },
  });
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}
