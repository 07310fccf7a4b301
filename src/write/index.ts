// The writer stage: InfluxDB 1.x (/write) or 2.x (/api/v2/write), chosen by
// influxApiVersion(raw). See docs/architecture.md "Writer".
import { influxApiVersion } from '../config/load.js';
import type { RawConfig } from '../config/schema.js';
import type { Logger } from '../log.js';
import type { Writer } from './types.js';
import { V1Writer } from './v1.js';
import { V2Writer } from './v2.js';

export type { Writer, DeleteSpan, CommonWriterOptions } from './types.js';
export { WriteError, type WriteErrorCode } from './errors.js';
export { V1Writer, type V1WriterOptions } from './v1.js';
export { V2Writer, type V2WriterOptions } from './v2.js';
export { classify, type Decision, type Exchange } from './classify.js';
export { retryDelay, parseRetryAfter } from '../retry/index.js';

/** The writer the configuration asks for (INFLUX_API_VERSION, or what is configured). */
export function createWriter(raw: RawConfig, logger: Logger, opts: { signal?: AbortSignal } = {}): Writer {
  const common = {
    // INFLUX_MAX_RETRIES bounds the retries; a shutdown signal ends them at once (the day stays pending).
    retry: { maxRetries: raw.INFLUX_MAX_RETRIES, ...(opts.signal ? { signal: opts.signal } : {}) },
    url: raw.INFLUX_URL,
    batchSize: raw.INFLUX_BATCH_SIZE,
    timeoutMs: raw.INFLUX_TIMEOUT_MS,
    logger: logger.child({ stage: 'write' }),
  };
  if (influxApiVersion(raw) === 2) {
    return new V2Writer({ ...common, token: raw.INFLUX_TOKEN, org: raw.INFLUX_ORG, bucket: raw.INFLUX_BUCKET });
  }
  return new V1Writer({
    ...common,
    database: raw.INFLUX_DATABASE,
    retentionPolicy: raw.INFLUX_RETENTION_POLICY,
    username: raw.INFLUX_USERNAME,
    password: raw.INFLUX_PASSWORD,
  });
}
