// One real InfluxDB 1.6.7 for the whole test run. Tests read its URL with
// `inject('influxUrl')` and create their own database (createTestDatabase) so they
// never see each other's points.
import type { TestProject } from 'vitest/node';
import { startInfluxd, type InfluxProcess } from './influxd.js';
import { clearLogArchive } from './log-archive.js';

let influx: InfluxProcess | undefined;

export async function setup(project: TestProject): Promise<void> {
  clearLogArchive();
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
