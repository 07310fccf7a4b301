import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Tests are split by what they touch: test/unit (pure), test/integration (real InfluxDB,
// the fake Huami server over real HTTP, the built CLI). The global setup starts one
// real InfluxDB 1.6.7 process for the whole run and tells tests where it is.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most test files wait on child processes (the CLI, influxd) and HTTP, not on this CPU:
    // two files per core instead of vitest's default of cores − 1 (one file at a time on
    // two cores). Every file has its own databases, state dirs and ports, so files never
    // see each other. VITEST_MAX_WORKERS overrides it.
    maxWorkers: Math.max(2, availableParallelism() * 2),
    reporters: ['default', ['json', { outputFile: 'test-output/vitest.json' }]],
  },
});
