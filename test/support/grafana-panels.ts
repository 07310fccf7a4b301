// Runs the provisioned dashboards' panel queries against a real InfluxDB as Grafana would:
// the panel's time range (its timeFrom override, else the dashboard's default), Grafana's
// macros and the template variables substituted (test/support/grafana-macros.ts).
import { influxQuery, rows } from './influxd.js';
import { loadDashboards, panelQueries, type PanelQuery } from './grafana-files.js';
import { interpolate, intervalMs, parseDurationMs } from './grafana-macros.js';

export interface TimeRange {
  fromMs: number;
  toMs: number;
}

export interface PanelRunner {
  /** The panel's time range ending at `nowMs`, as Grafana computes it. */
  rangeOf(q: PanelQuery): TimeRange;
  /** The rows of one panel query over `range` (default: the panel's own). */
  run(q: PanelQuery, range?: TimeRange): Promise<Record<string, unknown>[]>;
  /** The (first) query of a panel by dashboard uid and title. */
  panel(dashboard: string, title: string): PanelQuery;
}

/** A runner over database `db()` with the template variables `vars()` (read at each call). */
export function panelRunner(o: { url: string; db: () => string; vars: () => Record<string, string>; nowMs: number }): PanelRunner {
  const dashboards = loadDashboards();
  const defaultFrom = new Map(dashboards.map(({ json }) => [json.uid as string, json.time.from as string]));
  const rangeOf = (q: PanelQuery): TimeRange => ({
    fromMs: o.nowMs - parseDurationMs(q.timeFrom ?? defaultFrom.get(q.dashboard)?.replace(/^now-/, '') ?? '1d'),
    toMs: o.nowMs,
  });
  return {
    rangeOf,
    async run(q, range = rangeOf(q)) {
      const text = interpolate(q.query, { ...range, intervalMs: intervalMs(range.fromMs, range.toMs, q.interval ?? '1m'), vars: o.vars() });
      return rows(await influxQuery(o.url, text, o.db()));
    },
    panel(dashboard, title) {
      const q = panelQueries(dashboards).find((p) => p.dashboard === dashboard && p.panel === title);
      if (!q) throw new Error(`no panel ${dashboard}/${title}`);
      return q;
    },
  };
}
