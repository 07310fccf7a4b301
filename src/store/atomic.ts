// Atomic file writes for everything under STATE_DIR: a temp file in the same directory, then a
// rename over the target, so a reader (or a restart after a kill) sees the old or the new
// content, never half a file.
import { chmod, rename, writeFile } from 'node:fs/promises';
import pLimit from 'p-limit';

let tmpCounter = 0;

/**
 * Files being written at once, process-wide. A group of a thousand days saves a thousand
 * state files and archives "at once": without a bound each holds a file descriptor and its
 * buffers until the four libuv threads get to it (EMFILE, and memory outside the V8 heap).
 */
export const FILE_WRITES = 8;
const limit = pLimit(FILE_WRITES);

/** Write `data` to `file` atomically; with `mode`, the file has exactly that mode (umask cannot widen it). */
export function writeFileAtomic(file: string, data: string | Uint8Array, opts: { mode?: number } = {}): Promise<void> {
  return limit(() => writeNow(file, data, opts));
}

async function writeNow(file: string, data: string | Uint8Array, opts: { mode?: number }): Promise<void> {
  const tmp = `${file}.${process.pid}.${++tmpCounter}.tmp`;
  await writeFile(tmp, data, opts.mode === undefined ? {} : { mode: opts.mode });
  // An existing tmp file (a crash between write and rename) could have other bits.
  if (opts.mode !== undefined) await chmod(tmp, opts.mode);
  await rename(tmp, file);
}
