// The bench's yardstick: the same line protocol the sync wrote, regenerated from the raw
// archive into a file, then posted straight to /write in the same batch size (gzip, as
// the v1 writer sends it) and timed. Only the posting is timed.
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { decodeItem } from '../decode/index.js';
import { toLines } from '../schema/line-protocol.js';
import type { RawArchive } from '../store/raw-archive.js';

const gzipAsync = promisify(gzip);

/** Decode every archived day into `file` as line protocol; returns the number of lines. */
export async function archiveToLineProtocol(archive: RawArchive, file: string, opts: { timeZone: string; user: string }): Promise<number> {
  const out = createWriteStream(file);
  let lines = 0;
  for (const date of await archive.dates()) {
    for (const item of (await archive.load(date)) ?? []) {
      const day = decodeItem(item, opts);
      if (!day.points.length) continue;
      lines += day.points.length;
      if (!out.write(`${toLines(day.points)}\n`)) await once(out, 'drain');
    }
  }
  out.end();
  await once(out, 'finish');
  return lines;
}

/** POST the file's lines to `${url}/write?db=` in batches of `batchSize`; returns elapsed ms. */
export async function postLineProtocol(file: string, url: string, db: string, batchSize: number): Promise<number> {
  const started = performance.now();
  let batch: string[] = [];
  const send = async (): Promise<void> => {
    const body = await gzipAsync(batch.join('\n'));
    batch = [];
    const res = await fetch(`${url}/write?db=${encodeURIComponent(db)}&precision=s`, { method: 'POST', body, headers: { 'content-encoding': 'gzip', 'content-type': 'text/plain; charset=utf-8' } });
    if (res.status !== 204) throw new Error(`direct write failed: ${res.status} ${await res.text()}`);
  };
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (!line) continue;
    batch.push(line);
    if (batch.length >= batchSize) await send();
  }
  if (batch.length) await send();
  return performance.now() - started;
}
