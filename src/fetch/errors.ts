// The client's one error type: a stable `code`, the remote `status`, whether a retry
// can help, the original error as `cause`, and a message with a short, scrubbed excerpt
// of the remote's answer. No secret ever reaches `message`.
import { scrubSecrets } from '../log.js';

export type HuamiErrorCode =
  | 'HUAMI_AUTH_WRONG_PASSWORD'
  | 'HUAMI_ACCOUNT_NOT_REGISTERED'
  | 'HUAMI_LOGIN_RATE_LIMITED'
  | 'HUAMI_LOGIN_FAILED'
  | 'HUAMI_TOKEN_EXPIRED'
  | 'HUAMI_NO_CREDENTIALS'
  | 'HUAMI_SCHEMA_MISMATCH'
  | 'HUAMI_REMOTE_ERROR'
  | 'HUAMI_HTTP'
  | 'HUAMI_RESPONSE_TOO_LARGE'
  | 'HUAMI_NETWORK';

export interface HuamiErrorInit {
  status?: number;
  retryable?: boolean;
  cause?: unknown;
  /** The remote's answer; a scrubbed excerpt of it is appended to the message. */
  body?: string;
  /** Secret values to cut out of the message (tokens, password, access code). */
  secrets?: readonly string[];
  /** A body-level code of the remote (`0106`, `0117`, `error=401` ...), docs/huami-api.md "Body-level error codes". */
  remoteCode?: string;
}

const EXCERPT = 200;

/** An error talking to the Huami cloud; `code` is stable, `message` is safe to log. */
export class HuamiError extends Error {
  override readonly name = 'HuamiError';
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly remoteCode: string | undefined;

  constructor(
    readonly code: HuamiErrorCode,
    message: string,
    init: HuamiErrorInit = {},
  ) {
    const excerpt = init.body ? ` — remote said: ${init.body.replace(/\s+/g, ' ').slice(0, EXCERPT)}` : '';
    super(scrubSecrets(`${message}${excerpt}`, init.secrets ?? []), init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.retryable = init.retryable ?? false;
    this.remoteCode = init.remoteCode;
  }
}
