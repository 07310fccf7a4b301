import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/log.js';
import { DEFAULT_RETRY_POLICY, sendWithRetry } from '../../src/write/retry.js';

const logger = createLogger('silent');
const refused = async () => ({ errorCode: 'ECONNREFUSED' });
afterEach(() => {
  vi.useRealTimers();
});

describe('write retries and shutdown', () => {
  it('stops retrying as soon as the shutdown signal aborts, returning the retryable outcome', async () => {
    vi.useFakeTimers(); // the policy's sleep and the abort below run on the fake clock
    const ctl = new AbortController();
    let sends = 0;
    const t0 = Date.now();
    setTimeout(() => ctl.abort(), 50);
    const pending = sendWithRetry(
      async () => {
        sends++;
        return refused();
      },
      { ...DEFAULT_RETRY_POLICY, baseDelayMs: 10_000, signal: ctl.signal },
      logger,
      'test',
    );
    let settled = false;
    void pending.then(() => (settled = true));
    // vi.waitFor moves the fake clock by its interval on each try: 1 s at most, far below the 10 s wait.
    await vi.waitFor(() => expect(settled).toBe(true), { timeout: 1_000, interval: 10 });
    const r = await pending;
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(r.decision.kind).toBe('retry-after');
    expect(sends).toBeLessThanOrEqual(2);
  });

  it('without a signal it retries up to maxRetries', async () => {
    let sends = 0;
    const r = await sendWithRetry(
      async () => {
        sends++;
        return refused();
      },
      { ...DEFAULT_RETRY_POLICY, maxRetries: 3, sleep: async () => undefined },
      logger,
      'test',
    );
    expect(sends).toBe(4);
    expect(r.attempts).toBe(4);
  });
});
