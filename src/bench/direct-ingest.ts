// The bench's yardstick: the same line protocol the sync wrote, regenerated from the account's
// raw archive into a file, then posted straight to /write in the same batch size (gzip, as the
// v1 writer sends it) and timed. Only the posting is timed.
//
// Every stream the sync writes is regenerated, with the decoder and options (time zone, `user`
// tag) the sync uses for it: band_data (decodeItem per archived item), each health-event stream
// (eventDayDecoder per archived day, src/sync/events.ts), workouts (decodeWorkout of the archived
// history item and detail, src/sync/workouts.ts) and weigh-ins (decodeWeighIn of every archived
// record with the profile height). The archive is read one day, workout or member at a time and
// written out as it goes: nothing of the whole history is held in memory.
//
// The posting is strictly sequential, one batch confirmed before the next is read and sent:
// the floor of ONE writer. The sync is not faster by concurrency either: its writer keeps one
// request in flight (it serialises the next batch meanwhile, src/write/batches.ts) and its
// day pipeline one write group (src/sync/batch.ts GroupPipeline).
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { decodeItem } from '../decode/index.js';
import { decodeWeighIn } from '../decode/weight.js';
import { decodeWorkout } from '../decode/workouts/index.js';
import { toLines } from '../schema/line-protocol.js';
import type { Point } from '../schema/point.js';
import { RawArchive } from '../store/raw-archive.js';
import { WorkoutStore } from '../store/workouts.js';
import { eventDayDecoder, EVENT_STREAMS, streamFolder } from '../sync/events.js';

const gzipAsync = promisify(gzip);

/** Where the sync kept an account's raw answers and how it decoded them. */
export interface ArchiveSource {
  stateDir: string;
  /** The account's folder under STATE_DIR (src/store/identity.ts accountKey). */
  key: string;
  /** The account's zone and `user` tag, as the sync used them. */
  timeZone: string;
  user: string;
}

/** Lines regenerated per stream, in the order written; `total` is their sum. */
export interface LineCounts {
  band_data: number;
  /** Per event type (src/sync/events.ts EVENT_STREAMS). */
  events: Record<string, number>;
  workouts: number;
  weighIns: number;
  total: number;
}

/** Decode every stream the sync archived into `file` as line protocol; returns the lines per stream. */
export async function archiveToLineProtocol(src: ArchiveSource, file: string): Promise<LineCounts> {
  const opts = { timeZone: src.timeZone, user: src.user };
  const out = createWriteStream(file);
  const counts: LineCounts = { band_data: 0, events: {}, workouts: 0, weighIns: 0, total: 0 };
  const emit = async (points: readonly Point[]): Promise<number> => {
    if (points.length) await writeOut(out, `${toLines(points)}\n`);
    return points.length;
  };

  // band_data: one decoded day per archived item (src/sync/run-days.ts).
  const band = new RawArchive(src.stateDir, src.key);
  for (const date of await band.dates()) {
    for (const item of (await band.load(date)) ?? []) counts.band_data += await emit(decodeItem(item, opts).points);
  }
  // Health events: a day's items decoded together (one item per date wins).
  for (const s of EVENT_STREAMS) {
    const archive = new RawArchive(src.stateDir, src.key, streamFolder(s));
    const decodeDay = eventDayDecoder(s.eventType);
    let n = 0;
    for (const date of await archive.dates()) n += await emit(decodeDay((await archive.load(date)) ?? [], opts).points);
    counts.events[s.eventType] = n;
  }
  // Workouts: a pending one (its detail still to come) is archived but not written yet.
  const ws = new WorkoutStore(join(src.stateDir, src.key));
  const states = await ws.loadAll();
  for (const trackid of await ws.rawTracks()) {
    if (states.get(trackid)?.pending) continue;
    const kept = await ws.loadRaw(trackid);
    if (kept) counts.workouts += await emit(decodeWorkout(kept.history, kept.detail, opts).points);
  }
  // Weigh-ins: every archived record of every member, with the profile height the sync knew.
  const { heightCm } = await ws.readSport();
  for (const member of await ws.weightMembers()) {
    for (const rec of await ws.loadWeighIns(member)) counts.weighIns += await emit(decodeWeighIn(rec, { ...opts, ...(heightCm !== undefined ? { heightCm } : {}) }).points);
  }

  out.end();
  await once(out, 'finish');
  counts.total = counts.band_data + Object.values(counts.events).reduce((a, b) => a + b, 0) + counts.workouts + counts.weighIns;
  return counts;
}

async function writeOut(out: WriteStream, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

/** POST the file's lines to `${url}/write?db=` in batches of `batchSize`, one after the other; returns elapsed ms. */
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
