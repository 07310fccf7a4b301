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
    reporters: ['default', ['json', { outputFile: 'test-output/vitest.json' }]],
  },
});
