// One real InfluxDB 1.6.7 for the whole test run. Tests read its URL with
// `inject('influxUrl')` and create their own database (createTestDatabase) so they
// never see each other's points.
import type { TestProject } from 'vitest/node';
import { ensureBuilt } from './daemon-cli.js';
import { startInfluxd, type InfluxProcess } from './influxd.js';
import { clearLogArchive } from './log-archive.js';

let influx: InfluxProcess | undefined;

export async function setup(project: TestProject): Promise<void> {
  clearLogArchive();
  // Integration tests run the built CLI (dist/): build once here when src/ is newer, before
  // the test files start in parallel (their own ensureBuilt() calls then find it done).
  ensureBuilt();
  influx = await startInfluxd();
  project.provide('influxUrl', influx.url);
}

export async function teardown(): Promise<void> {
  await influx?.destroy();
  // scripts/run-tests.mjs checks the archived CLI logs for secrets after the run.
}

declare module 'vitest' {
  export interface ProvidedContext {
    influxUrl: string;
  }
}
