// The writer stage: InfluxDB 1.x (/write) or 2.x (/api/v2/write), chosen by the options'
// apiVersion (writerOptions() builds them from the configuration). See docs/architecture.md "Writer".
import type { Logger } from '../log.js';
import type { Writer } from './types.js';
import { V1Writer } from './v1.js';
import { V2Writer } from './v2.js';

export type { Writer, DeleteSpan, CommonWriterOptions, EncodedLines, LineChunk } from './types.js';
export { WriteError, type WriteErrorCode } from './errors.js';
export { V1Writer, type V1WriterOptions } from './v1.js';
export { V2Writer, type V2WriterOptions } from './v2.js';
export { classify, type Decision, type Exchange } from './classify.js';
export { retryDelay, parseRetryAfter } from '../retry/index.js';
export { writerOptions } from './from-config.js';

interface Connection {
  url: string;
  batchSize: number;
  timeoutMs: number;
  /** Retries of a write before it rejects (INFLUX_MAX_RETRIES). */
  maxRetries: number;
}

/** What the writer needs: where InfluxDB is, which API, database or bucket, credentials, batching. */
export type WriterOptions =
  | (Connection & { apiVersion: 1; database: string; retentionPolicy: string; username: string; password: string })
  | (Connection & { apiVersion: 2; token: string; org: string; bucket: string });

/** The writer for `o.apiVersion`; `signal` (the daemon's shutdown) ends its retries at once. */
export function createWriter(o: WriterOptions, logger: Logger, opts: { signal?: AbortSignal } = {}): Writer {
  const common = {
    // maxRetries bounds the retries; a shutdown signal ends them at once (the day stays pending).
    retry: { maxRetries: o.maxRetries, ...(opts.signal ? { signal: opts.signal } : {}) },
    url: o.url,
    batchSize: o.batchSize,
    timeoutMs: o.timeoutMs,
    logger: logger.child({ stage: 'write' }),
  };
  if (o.apiVersion === 2) return new V2Writer({ ...common, token: o.token, org: o.org, bucket: o.bucket });
  return new V1Writer({ ...common, database: o.database, retentionPolicy: o.retentionPolicy, username: o.username, password: o.password });
}
