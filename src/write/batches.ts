// Streams line protocol to InfluxDB in batches of `batchSize` lines: one batch exists as a
// request body at a time (plus the next one, prepared while the current one is in flight),
// never one giant body for years of minute points. A 413 halves the batch and sends each half.
// Serialisation goes only through encodeLines (src/schema/line-protocol.ts), so a field's
// type never flips. The writer takes points (encoded here, batch by batch) or lines the
// caller encoded ahead (src/sync/batch.ts encodes each day as it is decoded).
import type { Logger } from '../log.js';
import { encodeLines } from '../schema/line-protocol.js';
import type { Point } from '../schema/point.js';
import type { Exchange } from './classify.js';
import { toWriteError, type Target } from './describe.js';
import { sendWithRetry, type RetryPolicy } from './retry.js';
import type { EncodedLines, LineChunk } from './types.js';

/** Sends one body of line protocol (the v1 or v2 write endpoint). */
export type SendBody = (body: Buffer) => Promise<Exchange>;

const NEWLINE = 0x0a;

/** The byte offset just past the `n`-th line starting at `from` in `bytes` (lines end in '\n'). */
function afterLines(bytes: Buffer, from: number, n: number): number {
  let pos = from;
  for (let i = 0; i < n; i++) {
    const nl = bytes.indexOf(NEWLINE, pos);
    if (nl < 0) return bytes.length;
    pos = nl + 1;
  }
  return pos;
}

/** A batch as one body: its lines joined by '\n', without the last line's newline. */
const bodyOf = (batch: LineChunk): Buffer => (batch.bytes[batch.bytes.length - 1] === NEWLINE ? batch.bytes.subarray(0, batch.bytes.length - 1) : batch.bytes);

/** Deliver one batch; on 413 split it in halves (recursively, first half first). Rejects with WriteError. */
export async function deliverBatch(batch: LineChunk, send: SendBody, policy: RetryPolicy, target: Target, logger: Logger): Promise<void> {
  const stack: LineChunk[] = [batch];
  while (stack.length > 0) {
    const part = stack.pop()!;
    if (part.lines === 0) continue;
    const { exchange, decision, attempts } = await sendWithRetry(() => send(bodyOf(part)), policy, logger, 'write');
    if (decision.kind === 'ok') continue;
    if (decision.kind === 'split' && part.lines > 1) {
      const mid = Math.ceil(part.lines / 2);
      const cut = afterLines(part.bytes, 0, mid);
      logger.warn({ lines: part.lines, status: exchange.status }, 'InfluxDB batch too large, splitting in halves');
      stack.push({ bytes: part.bytes.subarray(cut), lines: part.lines - mid }, { bytes: part.bytes.subarray(0, cut), lines: mid });
      continue;
    }
    throw toWriteError(decision, target, 'write', exchange.status, attempts);
  }
}

/** Points encoded between two yields to the event loop (a few hundred µs of work). */
const SLICE = 500;
const yieldToIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** points[from, to) as one batch, encoded in slices with a turn of the event loop before each, so I/O keeps moving. */
async function encodeYielding(points: readonly Point[], from: number, to: number): Promise<LineChunk> {
  const end = Math.min(to, points.length);
  const parts: Buffer[] = [];
  for (let i = from; i < end; i += SLICE) {
    await yieldToIo();
    parts.push(encodeLines(points, i, Math.min(end, i + SLICE)));
  }
  return { bytes: parts.length === 1 ? parts[0]! : Buffer.concat(parts), lines: Math.max(0, end - from) };
}

/** Batches of `size` lines (the last one shorter) out of encoded chunks, in order; a chunk may span batches. */
export function* batchesOf(chunks: readonly LineChunk[], size: number): Generator<LineChunk> {
  let parts: Buffer[] = [];
  let n = 0;
  for (const c of chunks) {
    let pos = 0;
    let left = c.lines;
    while (left > 0) {
      const take = Math.min(left, size - n);
      const end = take === left ? c.bytes.length : afterLines(c.bytes, pos, take);
      parts.push(c.bytes.subarray(pos, end));
      n += take;
      left -= take;
      pos = end;
      if (n === size) {
        yield { bytes: parts.length === 1 ? parts[0]! : Buffer.concat(parts), lines: n };
        parts = [];
        n = 0;
      }
    }
  }
  if (n > 0) yield { bytes: parts.length === 1 ? parts[0]! : Buffer.concat(parts), lines: n };
}

/** Whether a write's data is points (else lines encoded ahead). */
export const isPoints = (data: readonly Point[] | EncodedLines): data is readonly Point[] => Array.isArray(data);

/** The batches of `data`: points are encoded one batch ahead of its delivery, encoded lines are cut into batches. */
async function* batches(data: readonly Point[] | EncodedLines, size: number): AsyncGenerator<LineChunk> {
  if (!isPoints(data)) {
    yield* batchesOf(data.chunks, size);
    return;
  }
  for (let from = 0; from < data.length; from += size) yield await encodeYielding(data, from, from + size);
}


/**
 * Write `data` in batches of `batchSize` lines, in order; resolves once every batch is
 * confirmed (2xx). The next batch is prepared while the current one is in flight.
 */
export async function writeInBatches(data: readonly Point[] | EncodedLines, batchSize: number, deliver: (batch: LineChunk) => Promise<void>): Promise<void> {
  const it = batches(data, Math.max(1, batchSize));
  let next = await it.next();
  while (!next.done) {
    const inFlight = deliver(next.value);
    // Handled below; this only keeps a rejection while preparing the next batch from counting as unhandled.
    inFlight.catch(() => undefined);
    // Prepare the following batch while the server works on this one (points are encoded in
    // slices: the request itself still needs the event loop for its gzip callback, socket
    // write and response). If encoding throws (schema violation), wait for the in-flight
    // batch first so no request is orphaned.
    let following: IteratorResult<LineChunk, void> = { done: true, value: undefined };
    let prepareError: unknown;
    try {
      following = await it.next();
    } catch (err) {
      prepareError = err;
    }
    await inFlight;
    if (prepareError !== undefined) throw prepareError;
    next = following;
  }
}
