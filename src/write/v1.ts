// InfluxDB 1.x writer: POST /write?db=&rp=&precision=s (gzip) and InfluxQL DELETE on
// POST /query. For servers older than 1.8, which have no /api/v2/write.
// Credentials go as basic auth, never in the URL.
import { scrubSecrets } from '../log.js';
import type { Point } from '../schema/point.js';
import { deliverBatch, writeInBatches } from './batches.js';
import type { FailureDecision } from './classify.js';
import { influxqlDelete, type DeleteSpan } from './delete-query.js';
import { toWriteError, type Target } from './describe.js';
import { createHttpClient, type HttpClient } from './http.js';
import { DEFAULT_RETRY_POLICY, probeWrite, sendWithRetry, type RetryPolicy } from './retry.js';
import type { CommonWriterOptions, EncodedLines, Writer } from './types.js';

export interface V1WriterOptions extends CommonWriterOptions {
  database: string;
  /** Empty = the database's default retention policy. */
  retentionPolicy?: string;
  username?: string;
  password?: string;
}

/** DELETE statements per /query request: one request per day is plenty, but bound it. */
const STATEMENTS_PER_QUERY = 50;

interface QueryResponse {
  results?: { statement_id?: number; error?: string }[];
  error?: string;
}

/** Writer for the InfluxDB 1.x API. */
export class V1Writer implements Writer {
  private readonly http: HttpClient;
  private readonly policy: RetryPolicy;
  private readonly target: Target;
  private readonly writePath: string;

  constructor(private readonly opts: V1WriterOptions) {
    const headers: Record<string, string> = {};
    if (opts.username)
      headers.authorization = `Basic ${Buffer.from(`${opts.username}:${opts.password ?? ''}`).toString('base64')}`;
    this.http = createHttpClient({ url: opts.url, headers, timeoutMs: opts.timeoutMs });
    this.policy = { ...DEFAULT_RETRY_POLICY, ...opts.retry };
    const secrets = opts.password ? [opts.password] : [];
    this.target = {
      api: 1,
      url: scrubSecrets(opts.url, secrets),
      name: opts.database,
      ...(opts.username ? { username: opts.username } : {}),
    };
    const q = new URLSearchParams({ db: opts.database, precision: 's' });
    if (opts.retentionPolicy) q.set('rp', opts.retentionPolicy);
    this.writePath = `/write?${q.toString()}`;
  }

  async check(): Promise<void> {
    // A zero-point write: 1.x resolves the database, then authorises the write, then
    // parses an empty body into zero points and answers 204 (checked on 1.6.7). So it
    // proves existence and write permission without writing anything.
    const { exchange, decision, attempts } = await probeWrite(this.http, this.writePath, this.policy, this.opts.logger);
    if (decision.kind === 'ok') return;
    throw toWriteError(decision, this.target, 'check', exchange.status, attempts);
  }

  async write(data: readonly Point[] | EncodedLines): Promise<void> {
    const send = (body: Buffer) => this.http.request(this.writePath, body, { contentType: 'text/plain; charset=utf-8', gzip: true });
    await writeInBatches(data, this.opts.batchSize, (batch) => deliverBatch(batch, send, this.policy, this.target, this.opts.logger));
  }

  async deleteSpans(user: string, spans: readonly DeleteSpan[]): Promise<void> {
    const statements = spans.map((s) => influxqlDelete(user, s));
    for (let i = 0; i < statements.length; i += STATEMENTS_PER_QUERY) {
      await this.runQuery(statements.slice(i, i + STATEMENTS_PER_QUERY).join('; '));
    }
  }

  async close(): Promise<void> {
    this.http.close();
  }

  /** POST /query; a statement error inside a 200 answer is a failure too. */
  private async runQuery(q: string): Promise<void> {
    const form = new URLSearchParams({ q, db: this.opts.database });
    const { exchange, decision, attempts } = await sendWithRetry(
      () => this.http.request('/query', form.toString(), { contentType: 'application/x-www-form-urlencoded', gzip: false }),
      this.policy,
      this.opts.logger,
      'delete',
    );
    if (decision.kind !== 'ok') throw toWriteError(decision, this.target, 'delete', exchange.status, attempts);
    const res = (exchange.data ?? {}) as QueryResponse;
    const error = res.error ?? res.results?.find((r) => r.error)?.error;
    if (!error) return;
    // 1.x answers 200 with the error inside: `database not found: x`, parse errors, ...
    const failure: FailureDecision = /database not found/i.test(error)
      ? { kind: 'not-found', serverMessage: error }
      : { kind: 'reject', code: 'INFLUX_REJECTED', serverMessage: error };
    throw toWriteError(failure, this.target, 'delete', exchange.status, attempts);
  }
}
