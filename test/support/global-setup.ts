// One real InfluxDB 1.6.7 for the whole test run. Tests read its URL with
// `inject('influxUrl')` and create their own database (createTestDatabase) so they
// never see each other's points.
import type { TestProject } from 'vitest/node';
import { startInfluxd, type InfluxProcess } from './influxd.js';

let influx: InfluxProcess | undefined;

export async function setup(project: TestProject): Promise<void> {
  influx = await startInfluxd();
  project.provide('influxUrl', influx.url);
}

export async function teardown(): Promise<void> {
  await influx?.destroy();
}

declare module 'vitest' {
  export interface ProvidedContext {
    influxUrl: string;
  }
}
