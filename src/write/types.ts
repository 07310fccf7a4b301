// The writer contract (docs/architecture.md "Writer") and the options both writers share.
import type { Logger } from '../log.js';
import type { Point } from '../schema/point.js';
import type { DeleteSpan } from './delete-query.js';
import type { RetryPolicy } from './retry.js';

export type { DeleteSpan };

/** Lines of line protocol as UTF-8 bytes (encodeLines, src/schema/line-protocol.ts), each ending in '\n'. */
export interface LineChunk {
  bytes: Buffer;
  /** How many lines `bytes` holds. */
  lines: number;
}

/** Lines encoded ahead of the write, in order: what the sync hands over instead of point objects. */
export interface EncodedLines {
  chunks: readonly LineChunk[];
  /** Lines of all chunks together. */
  count: number;
}

/** Writes points to InfluxDB and deletes a day's spans; every failure is a WriteError. */
export interface Writer {
  /** Database/bucket exists and is writable, else WriteError. Call before any Huami request. */
  check(): Promise<void>;
  /** Points or encoded lines, batched (batch size), gzip-compressed; resolves once every batch is confirmed. */
  write(data: readonly Point[] | EncodedLines): Promise<void>;
  /** Delete the points of `user` in each span (measurement, [start, end), extra tags). */
  deleteSpans(user: string, spans: readonly DeleteSpan[]): Promise<void>;
  /** Release the connections. */
  close(): Promise<void>;
}

export interface CommonWriterOptions {
  url: string;
  batchSize: number;
  timeoutMs: number;
  logger: Logger;
  /** Overrides of the retry policy (tests shorten the delays). */
  retry?: Partial<RetryPolicy>;
}
