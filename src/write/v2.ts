// InfluxDB 2.x writer: POST /api/v2/write?org=&bucket=&precision=s (gzip) through
// @influxdata/influxdb-client's transport, and POST /api/v2/delete. Serves InfluxDB 2.x,
// 3.x, Cloud and 1.8+ (bucket "db/rp", token "user:password"); VictoriaMetrics accepts
// the writes but has no /api/v2/delete.
import { scrubSecrets } from '../log.js';
import type { Point } from '../schema/point.js';
import { deliverBatch, writeInBatches } from './batches.js';
import { v2DeleteBody, type DeleteSpan } from './delete-query.js';
import { toWriteError, type Target } from './describe.js';
import { createHttpClient, type HttpClient } from './http.js';
import { DEFAULT_RETRY_POLICY, probeWrite, sendWithRetry, type RetryPolicy } from './retry.js';
import type { CommonWriterOptions, EncodedLines, Writer } from './types.js';

export interface V2WriterOptions extends CommonWriterOptions {
  token: string;
  org: string;
  bucket: string;
}

/** Writer for the InfluxDB 2.x write API (and everything that speaks it). */
export class V2Writer implements Writer {
  private readonly http: HttpClient;
  private readonly policy: RetryPolicy;
  private readonly target: Target;
  private readonly writePath: string;
  private readonly deletePath: string;

  constructor(private readonly opts: V2WriterOptions) {
    this.http = createHttpClient({ url: opts.url, token: opts.token, timeoutMs: opts.timeoutMs });
    this.policy = { ...DEFAULT_RETRY_POLICY, ...opts.retry };
    this.target = { api: 2, url: scrubSecrets(opts.url, [opts.token]), name: opts.bucket, ...(opts.org ? { org: opts.org } : {}) };
    const q = new URLSearchParams({ org: opts.org, bucket: opts.bucket });
    this.deletePath = `/api/v2/delete?${q.toString()}`;
    q.set('precision', 's');
    this.writePath = `/api/v2/write?${q.toString()}`;
  }

  async check(): Promise<void> {
    // A zero-length write. 2.x resolves org and bucket and authorises the token before it
    // reads the body, then answers 400 "writing requires points" (influxdb
    // http/write_handler.go); 1.8 and VictoriaMetrics answer 204. So 2xx, or a 400/422
    // that is not about org or bucket (2.x: "Please provide either orgID or org"), means:
    // reachable, bucket exists, token may write.
    const { exchange, decision, attempts } = await probeWrite(this.http, this.writePath, this.policy, this.opts.logger);
    if (decision.kind === 'ok') return;
    const aboutBody = !/\b(org|orgID|organization|bucket)\b/i.test(decision.serverMessage);
    if (decision.kind === 'reject' && (exchange.status === 400 || exchange.status === 422) && aboutBody) return;
    throw toWriteError(decision, this.target, 'check', exchange.status, attempts);
  }

  async write(data: readonly Point[] | EncodedLines): Promise<void> {
    const send = (body: Buffer) => this.http.request(this.writePath, body, { contentType: 'text/plain; charset=utf-8', gzip: true });
    await writeInBatches(data, this.opts.batchSize, (batch) => deliverBatch(batch, send, this.policy, this.target, this.opts.logger));
  }

  async deleteSpans(user: string, spans: readonly DeleteSpan[]): Promise<void> {
    // One request per span: the 2.x predicate language has no OR across measurements.
    for (const span of spans) {
      const body = JSON.stringify(v2DeleteBody(user, span));
      const { exchange, decision, attempts } = await sendWithRetry(
        () => this.http.request(this.deletePath, body, { contentType: 'application/json', gzip: false }),
        this.policy,
        this.opts.logger,
        'delete',
      );
      if (decision.kind !== 'ok') throw toWriteError(decision, this.target, 'delete', exchange.status, attempts);
    }
  }

  async close(): Promise<void> {
    this.http.close();
  }
}
