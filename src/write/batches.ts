// Streams line protocol to InfluxDB in batches of `batchSize` lines: one batch exists as a
// request body at a time (plus the next one, prepared while the current one is in flight),
// never one giant body for years of minute points. A 413 halves the batch and sends each half.
// Serialisation goes only through encodeLines (src/schema/line-protocol.ts), so a field's
// type never flips. The writer takes points (encoded here, batch by batch) or lines the
// caller encoded ahead (src/sync/batch.ts encodes each day as it is decoded).
import type { Logger } from '../log.js';
import { withEncodedLines } from '../schema/line-protocol.js';
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

/**
 * Bodies of batches, reused: a backfill sends thousands of half-megabyte bodies, and a fresh
 * buffer each (outside the V8 heap, freed only once the garbage collector finds its handle
 * dead) let ~60 MB of them pile up between two full collections. A write holds at most two
 * (the batch in flight and the next one); a few are kept for the next writes.
 */
const spare: Buffer[] = [];
const SPARE_MAX = 4;
const SPARE_BYTES = 2 ** 21;

/** A batch being filled: a spare buffer, grown when needed. */
class BatchBody {
  private buf: Buffer;
  length = 0;
  lines = 0;

  constructor(size: number) {
    const s = spare.pop();
    this.buf = s && s.length >= size ? s : Buffer.allocUnsafeSlow(Math.max(size, 64 * 1024));
    if (s && this.buf !== s) spare.push(s);
  }

  append(bytes: Uint8Array, lines: number): void {
    if (this.length + bytes.length > this.buf.length) {
      const next = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.length + bytes.length));
      this.buf.copy(next, 0, 0, this.length);
      this.buf = next;
    }
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
    this.lines += lines;
  }

  get chunk(): LineChunk {
    return { bytes: this.buf.subarray(0, this.length), lines: this.lines };
  }

  /** Give the buffer back once nothing reads the batch any more. */
  release(): void {
    if (spare.length < SPARE_MAX && this.buf.length <= SPARE_BYTES) spare.push(this.buf);
    this.length = 0;
    this.lines = 0;
  }
}

/** Bytes a line takes, roughly, to size a new body. */
const LINE_BYTES = 110;

/** points[from, to) as one batch, encoded in slices with a turn of the event loop before each, so I/O keeps moving. */
async function encodeYielding(points: readonly Point[], from: number, to: number): Promise<BatchBody> {
  const end = Math.min(to, points.length);
  const body = new BatchBody((end - from) * LINE_BYTES);
  for (let i = from; i < end; i += SLICE) {
    await yieldToIo();
    const stop = Math.min(end, i + SLICE);
    withEncodedLines(points, i, stop, (bytes) => body.append(bytes, stop - i));
  }
  return body;
}

/** Batches of `size` lines (the last one shorter) out of encoded chunks, in order; a chunk may span batches. */
function* bodiesOf(chunks: readonly LineChunk[], size: number): Generator<BatchBody> {
  let body: BatchBody | undefined;
  for (const c of chunks) {
    let pos = 0;
    let left = c.lines;
    while (left > 0) {
      body ??= new BatchBody(size * LINE_BYTES);
      const take = Math.min(left, size - body.lines);
      const end = take === left ? c.bytes.length : afterLines(c.bytes, pos, take);
      body.append(c.bytes.subarray(pos, end), take);
      left -= take;
      pos = end;
      if (body.lines === size) {
        yield body;
        body = undefined;
      }
    }
  }
  if (body) yield body;
}

/** Batches of `size` lines out of encoded chunks, each in a buffer of its own. */
export function* batchesOf(chunks: readonly LineChunk[], size: number): Generator<LineChunk> {
  for (const body of bodiesOf(chunks, size)) yield { bytes: Buffer.from(body.chunk.bytes), lines: body.lines };
}

/** Whether a write's data is points (else lines encoded ahead). */
export const isPoints = (data: readonly Point[] | EncodedLines): data is readonly Point[] => Array.isArray(data);

/** The batches of `data`: points are encoded one batch ahead of its delivery, encoded lines are cut into batches. */
async function* batches(data: readonly Point[] | EncodedLines, size: number): AsyncGenerator<BatchBody> {
  if (!isPoints(data)) {
    yield* bodiesOf(data.chunks, size);
    return;
  }
  for (let from = 0; from < data.length; from += size) yield await encodeYielding(data, from, from + size);
}

/**
 * Write `data` in batches of `batchSize` lines, in order; resolves once every batch is
 * confirmed (2xx). The next batch is prepared while the current one is in flight. A batch's
 * bytes are reused once its `deliver` settled: `deliver` must not keep them.
 */
export async function writeInBatches(data: readonly Point[] | EncodedLines, batchSize: number, deliver: (batch: LineChunk) => Promise<void>): Promise<void> {
  const it = batches(data, Math.max(1, batchSize));
  let next = await it.next();
  while (!next.done) {
    const body = next.value;
    const inFlight = deliver(body.chunk);
    // Handled below; this only keeps a rejection while preparing the next batch from counting as unhandled.
    inFlight.catch(() => undefined);
    // Prepare the following batch while the server works on this one (points are encoded in
    // slices: the request itself still needs the event loop for its gzip callback, socket
    // write and response). If encoding throws (schema violation), wait for the in-flight
    // batch first so no request is orphaned.
    let following: IteratorResult<BatchBody, void> = { done: true, value: undefined };
    let prepareError: unknown;
    try {
      following = await it.next();
    } catch (err) {
      prepareError = err;
    }
    try {
      await inFlight;
    } finally {
      body.release();
    }
    if (prepareError !== undefined) throw prepareError;
    next = following;
  }
}
