// Back-off, Retry-After, transient network errors and cancellation for every HTTP client of
// the project (the Huami client, the InfluxDB writer). Each client keeps only its own
// classifier of answers (src/fetch/outcome.ts, src/write/classify.ts). See
// docs/architecture.md "Writer".
export { retryDelay, parseRetryAfter, headerValue, type BackoffOptions } from './delay.js';
export { isTransientNetworkError } from './transient.js';
export { retrying, wait, type Step, type RetryLoopOptions, type Retried } from './loop.js';
