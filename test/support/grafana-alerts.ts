// Evaluates a provisioned alert rule the way Grafana's expression engine does, on real query
// results: InfluxQL steps run against InfluxDB with the rule's relative time range, each series
// (one per `user` tag set) becomes a labelled number list, then reduce (last/mean/min/max,
// mode dropNN), math (arithmetic, comparison and logical operators) and threshold (gt/lt/within_range/outside_range) steps apply.
// The condition step's non-zero results are firing instances.
import { influxQuery } from './influxd.js';
import { interpolate } from './grafana-macros.js';
import type { AlertRule } from './grafana-files.js';

type Series = { labels: Record<string, string>; values: number[] };
const key = (l: Record<string, string>): string => JSON.stringify(Object.entries(l).sort());

/** Grafana reduce on one series with mode dropNN (null/NaN dropped). */
export function reduce(values: number[], reducer: string): number | undefined {
  const v = values.filter((x) => Number.isFinite(x));
  if (v.length === 0) return undefined;
  switch (reducer) {
    case 'last': return v[v.length - 1];
    case 'mean': return v.reduce((a, b) => a + b, 0) / v.length;
    case 'min': return Math.min(...v);
    case 'max': return Math.max(...v);
    default: throw new Error(`reducer ${reducer} not implemented in the test helper`);
  }
}

/** Grafana threshold evaluator: 1 when the condition holds, else 0. */
export function threshold(x: number, type: string, params: number[]): number {
  const [a = NaN, b = NaN] = params;
  switch (type) {
    case 'gt': return x > a ? 1 : 0;
    case 'lt': return x < a ? 1 : 0;
    case 'within_range': return x > Math.min(a, b) && x < Math.max(a, b) ? 1 : 0;
    case 'outside_range': return x < Math.min(a, b) || x > Math.max(a, b) ? 1 : 0;
    default: throw new Error(`threshold ${type} not implemented in the test helper`);
  }
}

/**
 * Math expression over reduced results, Grafana's SSE math on numbers: `$X`, number literals,
 * + - (arithmetic), < <= > >= == != (1 or 0) and && || (1 or 0), usual precedence, parentheses.
 * Series are joined on identical labels; a label set missing from any referenced input is
 * dropped, as Grafana's union drops unmatched items.
 */
function math(expr: string, results: Map<string, Series[]>): Series[] {
  const tokens = expr.match(/\$\w+|\d+(?:\.\d+)?|<=|>=|==|!=|&&|\|\||[-+<>()]/g) ?? [];
  if (tokens.join('') !== expr.replace(/\s+/g, '')) throw new Error(`math expression ${expr} not implemented in the test helper`);
  const refs = [...new Set(tokens.filter((t) => t.startsWith('$')).map((t) => t.slice(1)))];
  const [first, ...rest] = refs.map((r) => new Map((results.get(r) ?? []).map((s) => [key(s.labels), s])));
  if (!first) throw new Error(`math expression ${expr} references no input`);
  const out: Series[] = [];
  for (const [k, s] of first) {
    if (!rest.every((m) => m.has(k))) continue;
    const value = (ref: string): number => new Map((results.get(ref) ?? []).map((x) => [key(x.labels), x])).get(k)?.values[0] ?? NaN;
    let i = 0;
    const peek = (): string | undefined => tokens[i];
    const atom = (): number => {
      const t = tokens[i++];
      if (t === '(') { const v = or(); i++; return v; }
      if (t === '-') return -atom();
      if (t?.startsWith('$')) return value(t.slice(1));
      return Number(t);
    };
    const sum = (): number => { let v = atom(); while (peek() === '+' || peek() === '-') { const op = tokens[i++]; const r = atom(); v = op === '+' ? v + r : v - r; } return v; };
    const cmp = (): number => {
      let v = sum();
      while (['<', '<=', '>', '>=', '==', '!='].includes(peek() ?? '')) {
        const op = tokens[i++];
        const r = sum();
        v = Number(op === '<' ? v < r : op === '<=' ? v <= r : op === '>' ? v > r : op === '>=' ? v >= r : op === '==' ? v === r : v !== r);
      }
      return v;
    };
    const and = (): number => { let v = cmp(); while (peek() === '&&') { i++; const r = cmp(); v = Number(v !== 0 && r !== 0); } return v; };
    const or = (): number => { let v = and(); while (peek() === '||') { i++; const r = and(); v = Number(v !== 0 || r !== 0); } return v; };
    out.push({ labels: s.labels, values: [or()] });
  }
  return out;
}

export interface Evaluation { firing: string[]; state: 'Alerting' | 'Normal' | 'NoData'; values: Map<string, Series[]>; queries: string[] }

/** Evaluate `rule` at `nowMs` against database `db`: firing instances by user label. */
export async function evaluateRule(url: string, db: string, rule: AlertRule, nowMs = Date.now()): Promise<Evaluation> {
  const results = new Map<string, Series[]>();
  const queries: string[] = [];
  for (const step of rule.data) {
    const m = step.model;
    if (step.datasourceUid !== '__expr__') {
      const range = step.relativeTimeRange ?? { from: 600, to: 0 };
      const q = interpolate(m.query as string, { fromMs: nowMs - range.from * 1000, toMs: nowMs - range.to * 1000, intervalMs: 60_000, vars: {} });
      queries.push(q);
      const res = await influxQuery(url, q, db);
      const series = (res.results?.[0]?.series ?? []).map((s) => ({
        labels: s.tags ?? {},
        values: s.values.map((row) => (row[1] === null ? NaN : Number(row[1]))),
      }));
      results.set(step.refId, series);
    } else if (m.type === 'reduce') {
      results.set(step.refId, (results.get(m.expression) ?? []).flatMap((s) => {
        const v = reduce(s.values, m.reducer);
        return v === undefined ? [] : [{ labels: s.labels, values: [v] }];
      }));
    } else if (m.type === 'math') {
      results.set(step.refId, math(m.expression, results));
    } else if (m.type === 'threshold') {
      const ev = m.conditions[0].evaluator as { type: string; params: number[] };
      results.set(step.refId, (results.get(m.expression) ?? []).map((s) => ({ labels: s.labels, values: [threshold(s.values[0] ?? NaN, ev.type, ev.params)] })));
    } else {
      throw new Error(`expression type ${m.type} not implemented in the test helper`);
    }
  }
  const cond = results.get(rule.condition) ?? [];
  const firing = cond.filter((s) => s.values[0] === 1).map((s) => s.labels.user ?? '');
  const state = cond.length === 0 ? 'NoData' : firing.length > 0 ? 'Alerting' : 'Normal';
  return { firing, state, values: results, queries };
}
