// The one error type of the writer stage: a stable `code`, the HTTP `status` when there
// was one, the server's own words (`serverMessage`) and whether a later retry can
// succeed (`retryable`). The sync keeps a day unwritten on any WriteError, so nothing is
// lost; a retryable one is tried again on the next run. Messages never carry a secret:
// credentials travel in headers only, and server text is scrubbed of known secrets.

export type WriteErrorCode =
  | 'INFLUX_UNREACHABLE' // connection refused/reset, DNS, timeout: nothing answered
  | 'INFLUX_UNAVAILABLE' // the server answered 429/5xx until the retries ran out
  | 'INFLUX_DB_NOT_FOUND' // database, retention policy (v1) or bucket/org (v2) does not exist: a setting to fix
  | 'INFLUX_UNAUTHORIZED' // 401/403: user/token missing, wrong or without write permission
  | 'INFLUX_FIELD_TYPE_CONFLICT' // 400/422: a field already exists with another type
  | 'INFLUX_TOO_LARGE' // 413 even for a single point
  | 'INFLUX_REJECTED'; // any other refusal (bad line protocol, bad delete predicate, ...)

export interface WriteErrorDetails {
  status?: number;
  serverMessage?: string;
  retryable: boolean;
  /** The configuration variable(s) to fix, when the failure means a wrong setting. */
  setting?: string;
  cause?: unknown;
}

/** A failed write, delete or check; `code` is stable, `serverMessage` is the server's text. */
export class WriteError extends Error {
  override readonly name = 'WriteError';
  readonly status: number | undefined;
  readonly serverMessage: string | undefined;
  readonly retryable: boolean;
  /** The configuration variable(s) to fix, when the failure means a wrong setting (not an outage). */
  readonly setting: string | undefined;

  constructor(
    readonly code: WriteErrorCode,
    message: string,
    details: WriteErrorDetails,
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.status = details.status;
    this.serverMessage = details.serverMessage;
    this.retryable = details.retryable;
    this.setting = details.setting;
  }
}
