// Back-off and Retry-After live in the shared retry module (src/retry); this re-export
// keeps the writer's older import path working for classify.ts.
export { parseRetryAfter, retryDelay, type BackoffOptions as RetryDelayOptions } from '../retry/index.js';
