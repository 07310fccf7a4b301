// A run that fails as a whole (InfluxDB not writable after the writer's retries) reports the
// time it really took: the "FAILED in 0.0 s" after three seconds of retries.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/log.js';
import { runSync } from '../../src/sync/index.js';
import { formatSummary } from '../../src/commands/summary.js';
import { WriteError, type Writer } from '../../src/write/index.js';

describe('whole-run failure timing', () => {
  it('spans the writer check: 3 s of retries read "failed in 3.0 s"', async () => {
    let clock = Date.UTC(2026, 0, 10, 8, 0, 0);
    // InfluxDB cannot be made to take exactly 3 s here; the writer's check stands in for its
    // retries, advancing the run's clock by 3 s before it gives up.
    const writer: Writer = {
      async check() {
        clock += 3000;
        throw new WriteError('INFLUX_UNREACHABLE', 'connect ECONNREFUSED 127.0.0.1:1', { retryable: true });
      },
      write: () => Promise.resolve(),
      deleteSpans: () => Promise.resolve(),
      close: () => Promise.resolve(),
    };
    const config = loadConfig({ DEMO_MODE: 'off', HUAMI_EMAIL: 'a@example.com', HUAMI_PASSWORD: 'pw-1234', ACCOUNT_NAME: 'anna', STATE_DIR: '/nonexistent' });
    const results = await runSync({ config, logger: createLogger('silent'), writer, clientFor: () => { throw new Error('no Huami request expected'); }, now: () => new Date(clock) });
    expect(results).toHaveLength(1);
    expect(results[0]!.finishedAt - results[0]!.startedAt).toBe(3000);
    expect(formatSummary(results).split('\n')[0]).toBe('sync anna: failed in 3.0 s');
  });
});
