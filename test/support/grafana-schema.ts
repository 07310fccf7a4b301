// Grafana's Dashboard JSON Schema, generated from @grafana/schema (pinned to the Grafana
// release in compose) with ts-json-schema-generator: the package ships TypeScript types only.
// Generation takes about a second; the result is cached under
// test-output/ per package version.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createGenerator } from 'ts-json-schema-generator';

const require = createRequire(import.meta.url);
const ROOT = join(import.meta.dirname, '..', '..');

/** Installed @grafana/schema version (e.g. 12.4.11). */
export function grafanaSchemaVersion(): string {
  return (JSON.parse(readFileSync(require.resolve('@grafana/schema/package.json'), 'utf8')) as { version: string }).version;
}

/** JSON Schema of the classic (v1, schemaVersion 4x) dashboard: raw/dashboard/x/types.gen `Dashboard`. */
export function dashboardJsonSchema(): Record<string, unknown> {
  const version = grafanaSchemaVersion();
  const cache = join(ROOT, 'test-output', `grafana-dashboard-schema-${version}.json`);
  if (existsSync(cache)) return JSON.parse(readFileSync(cache, 'utf8')) as Record<string, unknown>;
  const pkg = dirname(require.resolve('@grafana/schema/package.json'));
  const schema = createGenerator({
    path: join(pkg, 'dist', 'types', 'raw', 'dashboard', 'x', 'types.gen.d.ts'),
    type: 'Dashboard',
    skipTypeCheck: true,
    additionalProperties: false,
  }).createSchema('Dashboard') as Record<string, unknown>;
  mkdirSync(dirname(cache), { recursive: true });
  writeFileSync(cache, JSON.stringify(schema));
  return schema;
}
