// Writes grafana/dashboards/*.json from the generator modules. `node grafana/generator/build.ts`
// (Node 24 strips the types). A unit test fails when the committed JSON is not what this produces.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { activity } from './activity.ts';
import { body } from './body.ts';
import { heart } from './heart.ts';
import type { Json } from './lib.ts';
import { overview } from './overview.ts';
import { sleep } from './sleep.ts';
import { stressRecovery } from './stress.ts';
import { syncHealth } from './sync.ts';
import { workouts } from './workouts.ts';

/** File name → dashboard JSON, in the order of the issue. */
export function buildDashboards(): Record<string, Json> {
  return {
    'overview.json': overview(),
    'sleep.json': sleep(),
    'activity.json': activity(),
    'heart.json': heart(),
    'stress-recovery.json': stressRecovery(),
    'sync-health.json': syncHealth(),
    'workouts.json': workouts(),
    'body.json': body(),
  };
}

/** Serialised exactly as committed (2-space JSON, trailing newline). */
export function serialise(d: Json): string {
  return `${JSON.stringify(d, null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'dashboards');
  for (const [file, d] of Object.entries(buildDashboards())) writeFileSync(join(out, file), serialise(d));
  console.log(`wrote ${Object.keys(buildDashboards()).length} dashboards to ${out}`);
}
