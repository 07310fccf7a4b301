// Reads the provisioned Grafana files as Grafana would see them and lists every query in them.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const GRAFANA_DIR = join(import.meta.dirname, '..', '..', 'grafana');
export const DASHBOARD_DIR = join(GRAFANA_DIR, 'dashboards');
export const PROVISIONING_DIR = join(GRAFANA_DIR, 'provisioning');

export type Json = Record<string, any>;

/** Every dashboard JSON file: file name and parsed content. */
export function loadDashboards(): { file: string; json: Json }[] {
  return readdirSync(DASHBOARD_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, json: JSON.parse(readFileSync(join(DASHBOARD_DIR, file), 'utf8')) as Json }));
}

/** Panels of a dashboard, including panels nested in rows. */
export function panelsOf(d: Json): Json[] {
  return (d.panels ?? []).flatMap((p: Json) => [p, ...(p.panels ?? [])]);
}

export interface PanelQuery {
  dashboard: string;
  panel: string;
  type: string;
  timeFrom?: string;
  interval?: string;
  refId: string;
  query: string;
  format: string;
}

/** Every panel target of every dashboard. */
export function panelQueries(dashboards = loadDashboards()): PanelQuery[] {
  return dashboards.flatMap(({ json }) =>
    panelsOf(json).flatMap((p) =>
      (p.targets ?? []).map((t: Json) => ({
        dashboard: json.uid as string, panel: p.title as string, type: p.type as string,
        timeFrom: p.timeFrom, interval: p.interval, refId: t.refId, query: t.query, format: t.resultFormat,
      })),
    ),
  );
}

/** Query variables of every dashboard (their queries also run against the data). */
export function variableQueries(dashboards = loadDashboards()): { dashboard: string; name: string; query: string }[] {
  return dashboards.flatMap(({ json }) =>
    (json.templating?.list ?? []).filter((v: Json) => v.type === 'query').map((v: Json) => ({ dashboard: json.uid, name: v.name, query: v.query })),
  );
}

/** Parse a YAML file. */
export function loadYaml(path: string): Json {
  return parse(readFileSync(path, 'utf8')) as Json;
}

export interface AlertQueryStep { refId: string; datasourceUid: string; relativeTimeRange?: { from: number; to: number }; model: Json }
export interface AlertRule { uid: string; title: string; condition: string; for?: string; noDataState: string; execErrState: string; data: AlertQueryStep[] }

/** All rules of an alert-rules provisioning file. */
export function alertRules(file: Json): AlertRule[] {
  return (file.groups ?? []).flatMap((g: Json) => g.rules as AlertRule[]);
}
