// Grafana's substitutions for InfluxQL, done the way Grafana 12 does them, so a query the tests
// run is the query Grafana would send: template variables first (frontend: $var, ${var},
// ${var:regex}), then the backend macros of pkg/tsdb/influxdb/models/query.go Build():
// $timeFilter → `time >= <from>ms and time <= <to>ms`, $interval / $__interval → gtime text,
// $__interval_ms → milliseconds.

const UNITS: [string, number][] = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]];

/** "36h" / "30d" / "1m" / "500ms" → milliseconds. */
export function parseDurationMs(s: string): number {
  const m = /^(\d+)(ms|s|m|h|d|w|y)$/.exec(s.trim());
  if (!m) throw new Error(`not a Grafana duration: ${s}`);
  const mult: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000, y: 365 * 86_400_000 };
  return Number(m[1]) * (mult[m[2] as string] ?? NaN);
}

/** Milliseconds → Grafana's interval text (gtime.FormatInterval: the largest whole unit). */
export function formatInterval(ms: number): string {
  for (const [u, size] of UNITS) if (ms >= size && ms % size === 0) return `${ms / size}${u}`;
  return `${ms}ms`;
}

// Grafana's rangeutil.roundInterval ladder (upper bound of the raw interval → rounded interval).
const LADDER: [number, number][] = [
  [15, 10], [35, 20], [75, 50], [150, 100], [350, 200], [750, 500], [1500, 1000], [3500, 2000], [7500, 5000],
  [12500, 10_000], [17500, 15_000], [25000, 20_000], [45000, 30_000], [90000, 60_000], [210000, 120_000],
  [450000, 300_000], [750000, 600_000], [1050000, 900_000], [1500000, 1_200_000], [2700000, 1_800_000],
  [5400000, 3_600_000], [9000000, 7_200_000], [16200000, 10_800_000], [32400000, 21_600_000],
  [86400000, 43_200_000], [604800000, 86_400_000], [1814400000, 604_800_000], [3628800000, 2_592_000_000],
];

/** $__interval for a range: range / maxDataPoints rounded on Grafana's ladder, not below the panel's min interval. */
export function intervalMs(fromMs: number, toMs: number, minInterval = '1m', maxDataPoints = 1000): number {
  const raw = (toMs - fromMs) / maxDataPoints;
  const rounded = LADDER.find(([limit]) => raw < limit)?.[1] ?? 31_536_000_000;
  return Math.max(rounded, parseDurationMs(minInterval));
}

/** Grafana's escapeRegex for ${var:regex} and regex-context single values. */
export function escapeRegex(v: string): string {
  return v.replace(/[\\^$*+?.()|[\]{}/]/g, '\\$&');
}

export interface MacroContext { fromMs: number; toMs: number; intervalMs: number; vars: Record<string, string> }

/** Substitute template variables, then the backend macros; throws on a variable nobody defined. */
export function interpolate(query: string, ctx: MacroContext): string {
  const lookup = (name: string): string => {
    const v = ctx.vars[name];
    if (v === undefined) throw new Error(`query uses undefined variable $${name}: ${query}`);
    return v;
  };
  const macros = new Set(['timeFilter', 'interval', '__interval', '__interval_ms']);
  let q = query.replace(/\$\{(\w+)(?::(\w+))?\}/g, (_, name: string, fmt?: string) => (fmt === 'regex' ? escapeRegex(lookup(name)) : lookup(name)));
  q = q.replace(/\$(\w+)/g, (all, name: string) => (macros.has(name) ? all : lookup(name)));
  const text = formatInterval(ctx.intervalMs);
  return q
    .replaceAll('$timeFilter', `time >= ${ctx.fromMs}ms and time <= ${ctx.toMs}ms`)
    .replaceAll('$interval', text)
    .replaceAll('$__interval_ms', String(ctx.intervalMs))
    .replaceAll('$__interval', text);
}
