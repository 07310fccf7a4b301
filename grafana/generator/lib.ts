// Builders for the provisioned dashboards: every panel references the provisioned datasource
// by uid, every query is raw InfluxQL, and every dashboard
// gets the same `user`/`timezone` variables and links. Run `node grafana/generator/build.ts`.

/** The datasource every panel and variable uses; provisioned in provisioning/datasources. */
export const DS = { type: 'influxdb', uid: 'mifit-influxdb' } as const;

/** Regex filter on the `user` variable; ${user:regex} escapes the value as Grafana does. */
export const U = '"user" =~ /^${user:regex}$/';
/** Day buckets that begin at local midnight of the `timezone` variable (fill before tz: InfluxQL order). */
export const DAILY = "GROUP BY time(1d) fill(none) tz('$timezone')";

export const DASHBOARDS = [
  { uid: 'mifit-overview', title: 'Overview' },
  { uid: 'mifit-sleep', title: 'Sleep' },
  { uid: 'mifit-activity', title: 'Activity' },
  { uid: 'mifit-heart', title: 'Heart' },
  { uid: 'mifit-stress-recovery', title: 'Stress & recovery' },
  { uid: 'mifit-workouts', title: 'Workouts' },
  { uid: 'mifit-body', title: 'Body' },
  // Not `mifit-sync`: that is the folder's title, and every object gets a uid of its own.
  { uid: 'mifit-sync-health', title: 'Sync health' },
] as const;

export interface Target { query: string; alias?: string; format?: 'time_series' | 'table' }
export type Json = Record<string, unknown>;
export interface Step { color: string; value: number | null }

export interface PanelSpec {
  type: 'timeseries' | 'stat' | 'gauge' | 'bargauge' | 'barchart' | 'state-timeline' | 'table' | 'heatmap' | 'text' | 'geomap';
  title: string;
  w: number;
  h: number;
  targets?: Target[];
  description?: string;
  unit?: string;
  decimals?: number;
  min?: number;
  max?: number;
  steps?: Step[];
  mappings?: Json[];
  custom?: Json;
  options?: Json;
  overrides?: Json[];
  timeFrom?: string;
  interval?: string;
  transformations?: Json[];
  noValue?: string;
  color?: Json;
  /** Data links of every field (fieldConfig.defaults.links). */
  links?: Json[];
}

/** Threshold steps from a base colour and [value, colour] pairs. */
export function steps(base: string, ...more: [number, string][]): Step[] {
  return [{ color: base, value: null }, ...more.map(([value, color]) => ({ color, value }))];
}

/** A value mapping of exact numbers to display texts and colours. */
export function valueMap(entries: Record<string, { text: string; color: string; index?: number }>): Json {
  const options: Json = {};
  Object.entries(entries).forEach(([k, v], i) => (options[k] = { ...v, index: v.index ?? i }));
  return { type: 'value', options };
}

/** Bars per day (timeseries drawStyle bars), optionally stacked. */
export function bars(stacked = false): Json {
  return {
    drawStyle: 'bars', fillOpacity: 80, lineWidth: 1, barAlignment: 0, showPoints: 'never',
    stacking: { mode: stacked ? 'normal' : 'none', group: 'A' },
  };
}

export const line: Json = { drawStyle: 'line', lineWidth: 2, fillOpacity: 10, showPoints: 'auto', spanNulls: true };

function target(t: Target, i: number): Json {
  return {
    refId: String.fromCharCode(65 + i),
    datasource: { ...DS },
    rawQuery: true,
    query: t.query,
    resultFormat: t.format ?? 'time_series',
    ...(t.alias ? { alias: t.alias } : {}),
  };
}

function panel(p: PanelSpec, id: number, x: number, y: number): Json {
  const defaults: Json = {
    ...(p.unit ? { unit: p.unit } : {}),
    ...(p.decimals !== undefined ? { decimals: p.decimals } : {}),
    ...(p.min !== undefined ? { min: p.min } : {}),
    ...(p.max !== undefined ? { max: p.max } : {}),
    ...(p.noValue ? { noValue: p.noValue } : {}),
    color: p.color ?? { mode: p.steps ? 'thresholds' : 'palette-classic' },
    thresholds: { mode: 'absolute', steps: p.steps ?? steps('green') },
    mappings: p.mappings ?? [],
    ...(p.custom ? { custom: p.custom } : {}),
    ...(p.links ? { links: p.links } : {}),
  };
  return {
    id,
    type: p.type,
    title: p.title,
    ...(p.description ? { description: p.description } : {}),
    gridPos: { h: p.h, w: p.w, x, y },
    ...(p.type === 'text' ? {} : { datasource: { ...DS } }),
    ...(p.timeFrom ? { timeFrom: p.timeFrom } : {}),
    ...(p.interval ? { interval: p.interval } : {}),
    fieldConfig: { defaults, overrides: p.overrides ?? [] },
    options: p.options ?? {},
    targets: (p.targets ?? []).map(target),
    ...(p.transformations ? { transformations: p.transformations } : {}),
  };
}

/** Override one field (by name) with extra properties, e.g. a unit. */
export function byName(name: string, properties: Record<string, unknown>): Json {
  return { matcher: { id: 'byName', options: name }, properties: Object.entries(properties).map(([id, value]) => ({ id, value })) };
}

function variables(extra: Json[]): Json[] {
  return [
    {
      name: 'user', label: 'Account', type: 'query', datasource: { ...DS },
      query: 'SHOW TAG VALUES WITH KEY = "user"', refresh: 1, sort: 1, multi: false, includeAll: false, hide: 0,
      description: 'Account (`user` tag); one per configured Huami account',
    },
    {
      // The account's configured zone as the daemon writes it into sync_run.timezone (the stack's
      // TZ/TIMEZONE unless set per account): dashboard JSON cannot read the container's env, the
      // data can. allowCustomValue lets a user type another IANA zone.
      name: 'timezone', label: 'Time zone', type: 'query', datasource: { ...DS },
      query: 'SELECT last("timezone") FROM "sync_run" WHERE "user" =~ /^${user:regex}$/',
      refresh: 1, sort: 0, multi: false, includeAll: false, allowCustomValue: true, hide: 0,
      description: 'IANA zone whose local midnight begins each day (default: the account\'s zone from sync_run)',
    },
    ...extra,
  ];
}

/** Markdown links to every other dashboard (text panels); the same targets as the dashboard links. */
export function markdownLinks(self: string): string {
  return DASHBOARDS.filter((d) => d.uid !== self).map((d) => `[${d.title}](/d/${d.uid})`).join(' · ');
}

function links(self: string): Json[] {
  return DASHBOARDS.filter((d) => d.uid !== self).map((d) => ({
    title: d.title, type: 'link', url: `/d/${d.uid}`, icon: 'dashboard', tooltip: `mifit-sync ${d.title}`,
    asDropdown: false, includeVars: true, keepTime: true, tags: [], targetBlank: false,
  }));
}

export interface DashboardSpec {
  uid: (typeof DASHBOARDS)[number]['uid'];
  title: string;
  description: string;
  from: string;
  panels: PanelSpec[];
  variables?: Json[];
}

/** A full dashboard: panels flow left to right in rows of 24 grid units. */
export function dashboard(spec: DashboardSpec): Json {
  let x = 0;
  let y = 0;
  let rowH = 0;
  const panels = spec.panels.map((p, i) => {
    if (x + p.w > 24) {
      x = 0;
      y += rowH;
      rowH = 0;
    }
    const out = panel(p, i + 1, x, y);
    x += p.w;
    rowH = Math.max(rowH, p.h);
    return out;
  });
  return {
    uid: spec.uid,
    title: `mifit-sync · ${spec.title}`,
    description: spec.description,
    tags: ['mifit-sync'],
    editable: false,
    graphTooltip: 1,
    schemaVersion: 42,
    timezone: 'browser',
    refresh: '5m',
    time: { from: spec.from, to: 'now' },
    annotations: { list: [] },
    links: links(spec.uid),
    templating: { list: variables(spec.variables ?? []) },
    panels,
  };
}
