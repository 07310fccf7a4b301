// Streams points to InfluxDB in batches: one batch of line protocol exists at a time
// (plus the next one, serialised while the current one is in flight), never one giant
// string for years of minute points. A 413 halves the batch and sends each half.
// Serialisation goes only through toLine (src/schema/line-protocol.ts), so a field's
// type never flips.
import type { Logger } from '../log.js';
import { toLine } from '../schema/line-protocol.js';
import type { Point } from '../schema/point.js';
import type { Exchange } from './classify.js';
import { toWriteError, type Target } from './describe.js';
import { sendWithRetry, type RetryPolicy } from './retry.js';

/** Sends one body of line protocol (the v1 or v2 write endpoint). */
export type SendBody = (body: string) => Promise<Exchange>;

/** Line protocol of points[from, to). */
export function serialise(points: readonly Point[], from: number, to: number): string[] {
  const lines: string[] = new Array<string>(Math.max(0, Math.min(to, points.length) - from));
  for (let i = from; i < to && i < points.length; i++) lines[i - from] = toLine(points[i]!);
  return lines;
}

/** Deliver one batch; on 413 split it in halves (recursively, first half first). Rejects with WriteError. */
export async function deliverBatch(
  lines: readonly string[],
  send: SendBody,
  policy: RetryPolicy,
  target: Target,
  logger: Logger,
): Promise<void> {
  const stack: (readonly string[])[] = [lines];
  while (stack.length > 0) {
    const part = stack.pop()!;
    if (part.length === 0) continue;
    const { exchange, decision, attempts } = await sendWithRetry(() => send(part.join('\n')), policy, logger, 'write');
    if (decision.kind === 'ok') continue;
    if (decision.kind === 'split' && part.length > 1) {
      const mid = Math.ceil(part.length / 2);
      logger.warn({ lines: part.length, status: exchange.status }, 'InfluxDB batch too large, splitting in halves');
      stack.push(part.slice(mid), part.slice(0, mid));
      continue;
    }
    throw toWriteError(decision, target, 'write', exchange.status, attempts);
  }
}

/** Points serialised between two yields to the event loop (a few hundred µs of work). */
const SLICE = 500;
const yieldToIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** serialise(), in slices with a turn of the event loop before each, so I/O keeps moving. */
async function serialiseYielding(points: readonly Point[], from: number, to: number): Promise<string[]> {
  const end = Math.min(to, points.length);
  const lines: string[] = new Array<string>(Math.max(0, end - from));
  for (let i = from; i < end; i += SLICE) {
    await yieldToIo();
    const stop = Math.min(end, i + SLICE);
    for (let j = i; j < stop; j++) lines[j - from] = toLine(points[j]!);
  }
  return lines;
}

/**
 * Write all points in batches of `batchSize`, in order; resolves once every batch is
 * confirmed (2xx). The next batch is serialised while the current one is in flight.
 */
export async function writeInBatches(
  points: readonly Point[],
  batchSize: number,
  deliver: (lines: readonly string[]) => Promise<void>,
): Promise<void> {
  const size = Math.max(1, batchSize);
  let next = serialise(points, 0, size);
  for (let from = 0; from < points.length; from += size) {
    const inFlight = deliver(next);
    // Handled below; this only keeps a rejection during serialisation from counting as unhandled.
    inFlight.catch(() => undefined);
    // Serialise the following batch while the server works on this one, in slices: the
    // request itself still needs the event loop (gzip callback, socket write, response),
    // and one synchronous 5,000-point serialisation would hold it back until done. If
    // serialising throws (schema violation), wait for the in-flight batch first so no
    // request is orphaned.
    let following: string[] = [];
    let serialiseError: unknown;
    try {
      following = await serialiseYielding(points, from + size, from + 2 * size);
    } catch (err) {
      serialiseError = err;
    }
    await inFlight;
    if (serialiseError !== undefined) throw serialiseError;
    next = following;
  }
}
