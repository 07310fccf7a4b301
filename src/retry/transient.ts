// Network failures that go away by themselves: a server restarting or not up yet, a flaky
// link, a body cut off half way. One list for the Huami client and the writer; anything
// else without an answer (TLS certificate, bad URL) will not fix itself and is not retried.

const TRANSIENT_NETWORK_ERRORS: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND', // compose: a service name resolves only once its container runs; a DNS hiccup on the real hosts
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'ERR_STREAM_PREMATURE_CLOSE',
  'ERR_HTTP_CONTENT_LENGTH_MISMATCH', // got: the body ended before its Content-Length (a truncated answer)
  'RequestTimedOutError', // @influxdata/influxdb-client: socket idle longer than the timeout
  'AbortError', // @influxdata/influxdb-client: the response was cut off
]);

/** Whether a request that got no (complete) answer with this error code is worth another attempt. */
export function isTransientNetworkError(code: string | undefined): boolean {
  return code !== undefined && TRANSIENT_NETWORK_ERRORS.has(code);
}
