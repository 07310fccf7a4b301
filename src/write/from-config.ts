// Writer options from the validated configuration: the one place that reads the INFLUX_*
// settings, so the writer stage itself never sees the raw configuration.
import { influxApiVersion } from '../config/load.js';
import type { RawConfig } from '../config/schema.js';
import type { WriterOptions } from './index.js';

/** INFLUX_* settings as the writer's options (INFLUX_API_VERSION, or what is configured). */
export function writerOptions(raw: RawConfig): WriterOptions {
  const common = { url: raw.INFLUX_URL, batchSize: raw.INFLUX_BATCH_SIZE, timeoutMs: raw.INFLUX_TIMEOUT_MS, maxRetries: raw.INFLUX_MAX_RETRIES };
  if (influxApiVersion(raw) === 2) return { ...common, apiVersion: 2, token: raw.INFLUX_TOKEN, org: raw.INFLUX_ORG, bucket: raw.INFLUX_BUCKET };
  return {
    ...common,
    apiVersion: 1,
    database: raw.INFLUX_DATABASE,
    retentionPolicy: raw.INFLUX_RETENTION_POLICY,
    username: raw.INFLUX_USERNAME,
    password: raw.INFLUX_PASSWORD,
  };
}
