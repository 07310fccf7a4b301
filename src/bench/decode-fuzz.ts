// The decoder's totality properties (docs/architecture.md "Decoder"), shared by the suite's
// property test (test/unit/decode-total.property.test.ts, a few thousand cases) and `npm run fuzz`
// (src/bench/fuzz-decode.ts, a million and more). Inputs are fast-check arbitraries: valid items of
// the fake cloud's deterministic generator (src/fake/data) mutated field by field (types, nulls,
// huge numbers, 2^53−1, NaN strings, milliseconds, negative values, truncated base64, summaries
// sent as objects so NaN and Infinity reach the decoder), and fully arbitrary values.
//
// What must hold for every case: decodeItem / decodeResponse return (never throw, never need the
// DECODE_FAILED last resort); every point passes checkPoint; every point lies in its day's window,
// computed here with luxon from docs/metrics.md "Windows", independently of src/decode/time.ts;
// every warning names its day, and a dropped value's warning names the field.
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { decodeItem, decodeResponse, type DecodedDay, type DecodeWarning } from '../decode/index.js';
import { FakeDataStore } from '../fake/data/store.js';
import type { FakeDay, GeneratorSwitches } from '../fake/data/types.js';
import { checkPoint } from '../schema/check.js';

// ---------------------------------------------------------------------------------------------
// Valid items from the fake cloud

interface PoolEntry {
  zone: string;
  date: string;
  uid: string;
  summary: Record<string, unknown>;
  summaryB64: string;
  data: string;
  dataHr: string;
}

const b64 = (bytes: Uint8Array | string): string => Buffer.from(typeof bytes === 'string' ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).toString('base64');

// DST weeks of each zone in 2025 and a plain week: where decoders break.
const POOL_SPECS: readonly { zone: string; ranges: [string, string][]; switches: Partial<GeneratorSwitches> }[] = [
  { zone: 'Europe/Berlin', ranges: [['2025-03-28', '2025-04-01'], ['2025-10-24', '2025-10-28'], ['2026-01-17', '2026-01-20']], switches: {} },
  { zone: 'Europe/Berlin', ranges: [['2025-03-28', '2025-04-01']], switches: { nightConvention: 'evening-date', tzField: 'standard', napAnchor: 'own-midnight' } },
  { zone: 'America/New_York', ranges: [['2025-03-07', '2025-03-11'], ['2025-10-31', '2025-11-04']], switches: { nightConvention: 'evening-date' } },
  { zone: 'America/Santiago', ranges: [['2025-04-04', '2025-04-08'], ['2025-09-05', '2025-09-09']], switches: {} },
  { zone: 'Australia/Lord_Howe', ranges: [['2025-04-04', '2025-04-08'], ['2025-10-03', '2025-10-07']], switches: { recordWidth: 8 } },
  { zone: 'Asia/Kolkata', ranges: [['2025-06-01', '2025-06-04']], switches: { nightConvention: 'evening-date' } },
];

let pool: PoolEntry[] | undefined;

/** The valid items mutations start from (generated once, deterministic). */
export function validPool(): PoolEntry[] {
  if (pool) return pool;
  pool = [];
  for (const spec of POOL_SPECS) {
    const store = new FakeDataStore({
      seed: 20260121, from: '2025-01-01', now: () => new Date('2026-01-20T12:00:00Z'), zoneFor: () => spec.zone,
      nightConvention: 'wake-date', tzField: 'actual', recordWidth: 3, napAnchor: 'sleep-anchor', ...spec.switches,
    });
    for (const [from, to] of spec.ranges) for (const d of store.days('1000000001', from, to)) pool.push(entry(d));
  }
  return pool;
}

function entry(d: FakeDay): PoolEntry {
  const summary = JSON.parse(JSON.stringify(d.summary)) as Record<string, unknown>;
  return { zone: d.timezone, date: d.date, uid: d.userId, summary, summaryB64: b64(JSON.stringify(summary)), data: b64(d.data), dataHr: b64(d.hr) };
}

// ---------------------------------------------------------------------------------------------
// Mutations

/** A replacement value; `derive` ones are computed from the value they replace. */
type Value = { v: unknown } | { derive: 'ms' | 'msString' | 'negate' | 'string' | 'plusDay' | 'minusDay' | 'plusWeek' | 'times60' | 'plusHalf' };

const NASTY: readonly unknown[] = [
  2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 53 + 2, 1e21, 1e11 + 1, 8.64e15, -1, 0, -0, 1, 1439, 1440, 1441, 86_400, 4_102_444_800,
  Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.5, 255, 254, 65535,
  null, true, false, '', ' ', 'NaN', 'Infinity', '-Infinity', '1e309', '-0', '12abc', '9007199254740993', '0x10', '1.5', ' 42 ',
  [], {}, [1, 2], { start: 1 },
];

const valueArb: fc.Arbitrary<Value> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY).map((v) => ({ v })) },
  { weight: 3, arbitrary: fc.constantFrom('ms', 'msString', 'negate', 'string', 'plusDay', 'minusDay', 'plusWeek', 'times60', 'plusHalf' as const).map((derive) => ({ derive })) },
  { weight: 2, arbitrary: fc.integer().map((v) => ({ v })) },
  { weight: 1, arbitrary: fc.integer({ min: -3000, max: 12000 }).map((v) => ({ v })) },
  { weight: 1, arbitrary: fc.double().map((v) => ({ v })) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }).map((v) => ({ v })) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => ({ v })) },
);

function resolve(value: Value, old: unknown): unknown {
  // A copy: the NASTY objects are shared by every case, and one mutation must not alias another
  // (the same `{}` set at two paths and then into itself would make the summary circular).
  if ('v' in value) return typeof value.v === 'object' && value.v !== null ? structuredClone(value.v) : value.v;
  const n = typeof old === 'number' ? old : Number(old);
  switch (value.derive) {
    case 'ms':
      return n * 1000;
    case 'msString':
      return String(n * 1000);
    case 'negate':
      return -n;
    case 'string':
      return String(old);
    case 'plusDay':
      return n + 86_400;
    case 'minusDay':
      return n - 86_400;
    case 'plusWeek':
      return n + 7 * 86_400;
    case 'times60':
      return n * 60;
    case 'plusHalf':
      return n + 0.5;
  }
}

const SUMMARY_PATHS = [
  'slp.st', 'slp.ed', 'slp.dp', 'slp.lt', 'slp.dt', 'slp.wk', 'slp.wc', 'slp.rhr', 'slp.ss', 'slp.stage', 'slp.odd_stage', 'slp',
  'stp.ttl', 'stp.dis', 'stp.cal', 'stp.wk', 'stp.rn', 'stp.runDist', 'stp.runCal', 'stp.stage', 'stp',
  'goal', 'sync', 'tz', 'v',
] as const;
const STAGE_KEYS = ['start', 'stop', 'mode', 'step', 'dis', 'cal'] as const;
const SECTIONS = ['slp.stage', 'slp.odd_stage', 'stp.stage'] as const;

type Mutation =
  | { kind: 'summary'; path: (typeof SUMMARY_PATHS)[number]; value: Value }
  | { kind: 'stage'; section: (typeof SECTIONS)[number]; index: number; key: (typeof STAGE_KEYS)[number]; value: Value }
  | { kind: 'shiftStages'; section: (typeof SECTIONS)[number]; by: number }
  | { kind: 'item'; key: 'date_time' | 'uid' | 'summary' | 'data' | 'data_hr' | 'date'; value: unknown }
  | { kind: 'blob'; key: 'data' | 'data_hr' | 'summary'; op: 'truncate' | 'garbage'; at: number }
  | { kind: 'bytes'; key: 'data' | 'data_hr'; length: number; pattern: Uint8Array };

const dateArb = fc.oneof(
  fc.constantFrom('2026-02-30', '1999-12-31', '2000-01-01', '2099-12-31', '2100-01-01', '0001-01-01', '9999-12-31', '2011-12-30', '2025-3-1', '20250301', ''),
  fc.date({ min: new Date('1990-01-01'), max: new Date('2110-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc.string({ maxLength: 12 }),
);

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('summary' as const), path: fc.constantFrom(...SUMMARY_PATHS), value: valueArb }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('stage' as const), section: fc.constantFrom(...SECTIONS), index: fc.nat(40), key: fc.constantFrom(...STAGE_KEYS), value: valueArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('shiftStages' as const), section: fc.constantFrom(...SECTIONS), by: fc.oneof(fc.constantFrom(1440, -1440, 2880, 7 * 1440, 600), fc.integer({ min: -5000, max: 20000 })) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('item' as const), key: fc.constantFrom('date_time', 'uid', 'summary', 'data', 'data_hr', 'date' as const), value: fc.oneof(dateArb, fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(null, 5, Number.NaN, {}, [])) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('blob' as const), key: fc.constantFrom('data', 'data_hr', 'summary' as const), op: fc.constantFrom('truncate', 'garbage' as const), at: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('bytes' as const), key: fc.constantFrom('data', 'data_hr' as const), length: fc.constantFrom(0, 1, 1439, 1440, 1441, 2880, 4319, 4320, 4321, 11520), pattern: fc.uint8Array({ minLength: 1, maxLength: 48 }) }) },
);

function getPath(obj: Record<string, unknown>, path: string): { parent: Record<string, unknown>; key: string } | undefined {
  const keys = path.split('.');
  let cur: unknown = obj;
  for (const k of keys.slice(0, -1)) {
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return undefined;
  return { parent: cur as Record<string, unknown>, key: keys[keys.length - 1] as string };
}

function stagesAt(summary: Record<string, unknown>, section: string): Record<string, unknown>[] | undefined {
  const at = getPath(summary, section);
  const v = at?.parent[at.key];
  return Array.isArray(v) ? (v as Record<string, unknown>[]) : undefined;
}

function tile(pattern: Uint8Array, length: number): string {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = pattern[i % pattern.length] as number;
  return b64(out);
}

/** One decoder input built from a pool entry and mutations. */
export interface ItemCase {
  kind: 'item';
  zone: string;
  item: unknown;
}
export interface ResponseCase {
  kind: 'response';
  zone: string;
  body: unknown;
}
export type DecodeCase = ItemCase | ResponseCase;

function mutatedItem(base: PoolEntry, mutations: readonly Mutation[], detail: boolean, summaryAsObject: boolean): Record<string, unknown> {
  const item: Record<string, unknown> = { uid: base.uid, data_type: 0, date_time: base.date, source: 24, device_id: 'FAKEDEVICEID01', uuid: '0' };
  let summary: Record<string, unknown> | undefined;
  const touch = (): Record<string, unknown> => (summary ??= structuredClone(base.summary));
  const blobs: Record<string, unknown> = detail ? { data: base.data, data_hr: base.dataHr } : {};
  let summaryText: unknown = base.summaryB64;
  for (const m of mutations) {
    switch (m.kind) {
      case 'summary': {
        const at = getPath(touch(), m.path);
        if (at) at.parent[at.key] = resolve(m.value, at.parent[at.key]);
        break;
      }
      case 'stage': {
        const stages = stagesAt(touch(), m.section);
        const s = stages?.length ? stages[m.index % stages.length] : undefined;
        if (s && typeof s === 'object') s[m.key] = resolve(m.value, s[m.key]);
        break;
      }
      case 'shiftStages':
        for (const s of stagesAt(touch(), m.section) ?? []) {
          if (typeof s !== 'object' || s === null) continue;
          if (typeof s.start === 'number') s.start += m.by;
          if (typeof s.stop === 'number') s.stop += m.by;
        }
        break;
      case 'item':
        if (m.key === 'summary') summaryText = m.value;
        else if (m.key === 'data' || m.key === 'data_hr') blobs[m.key] = m.value;
        else item[m.key] = m.value;
        break;
      case 'blob': {
        const v = m.key === 'summary' ? summaryText : blobs[m.key];
        if (typeof v !== 'string' || v.length === 0) break;
        const at = m.at % v.length;
        const next = m.op === 'truncate' ? v.slice(0, at) : `${v.slice(0, at)}!${v.slice(at + 1)}`;
        if (m.key === 'summary') summaryText = next;
        else blobs[m.key] = next;
        break;
      }
      case 'bytes':
        blobs[m.key] = tile(m.pattern, m.length);
        break;
    }
  }
  if (summary) summaryText = summaryAsObject ? summary : b64(JSON.stringify(summary));
  else if (summaryAsObject && summaryText === base.summaryB64) summaryText = structuredClone(base.summary);
  item.summary = summaryText;
  Object.assign(item, blobs);
  return item;
}

const ZONES_EXTRA = ['UTC', 'Pacific/Apia', 'Pacific/Chatham', 'America/St_Johns', 'Mars/Olympus', ''];

const mutatedItemArb = fc
  .record({
    base: fc.nat(),
    mutations: fc.array(mutationArb, { maxLength: 4 }),
    detail: fc.nat(3).map((n) => n === 0), // a quarter with minute blobs: they hold most points and cost most time
    summaryAsObject: fc.boolean(),
    otherZone: fc.oneof({ weight: 7, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(...ZONES_EXTRA) }), // mostly the item's own zone
  })
  .map(({ base, mutations, detail, summaryAsObject, otherZone }) => {
    const entries = validPool();
    const e = entries[base % entries.length] as PoolEntry;
    return { zone: otherZone ?? e.zone, item: mutatedItem(e, mutations, detail, summaryAsObject) };
  });

const anythingArb = fc.anything({ maxDepth: 3, withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withSparseArray: true, withTypedArray: true });

/** An item-shaped value whose keys hold arbitrary values (fully arbitrary input, but reaching the parts). */
const arbitraryItemArb = fc.record(
  {
    date_time: dateArb,
    summary: fc.oneof(fc.jsonValue({ maxDepth: 4 }).map((v) => b64(JSON.stringify(v) ?? 'null')), anythingArb, fc.object({ maxDepth: 3 })),
    data: fc.oneof(anythingArb, fc.uint8Array({ maxLength: 64 }).map((p) => (p.length ? tile(p, 4320) : ''))),
    data_hr: fc.oneof(anythingArb, fc.uint8Array({ maxLength: 64 }).map((p) => (p.length ? tile(p, 1440) : ''))),
    uid: anythingArb,
  },
  { requiredKeys: ['date_time'] },
);

const zoneArb = fc.constantFrom('Europe/Berlin', 'America/Santiago', 'Asia/Kolkata', ...ZONES_EXTRA);

/** Every case the properties run on: mostly mutated valid items, some responses, some anything. */
export const caseArb: fc.Arbitrary<DecodeCase> = fc.oneof(
  { weight: 12, arbitrary: mutatedItemArb.map(({ zone, item }): DecodeCase => ({ kind: 'item', zone, item })) },
  {
    weight: 2,
    arbitrary: fc
      .record({ items: fc.array(mutatedItemArb, { minLength: 1, maxLength: 3 }), keyed: fc.boolean(), code: fc.constantFrom<unknown>(1, 0, '1', undefined, null) })
      .map(({ items, keyed, code }): DecodeCase => {
        const list = items.map((x) => x.item);
        const data = keyed ? Object.fromEntries(list.map((it, i) => [String((it as Record<string, unknown>).date_time ?? i), it])) : list;
        return { kind: 'response', zone: (items[0] as { zone: string }).zone, body: { code, message: 'success', data } };
      }),
  },
  { weight: 1, arbitrary: fc.record({ zone: zoneArb, item: arbitraryItemArb }).map(({ zone, item }): DecodeCase => ({ kind: 'item', zone, item })) },
  { weight: 1, arbitrary: fc.record({ zone: zoneArb, item: anythingArb }).map(({ zone, item }): DecodeCase => ({ kind: 'item', zone, item })) },
  { weight: 1, arbitrary: fc.record({ zone: zoneArb, body: anythingArb }).map(({ zone, body }): DecodeCase => ({ kind: 'response', zone, body })) },
);

// ---------------------------------------------------------------------------------------------
// The properties

/** What one case broke (empty lists when it holds) and what it produced. */
export interface CaseOutcome {
  threw?: string;
  decodeFailed: number;
  schema: string[];
  window: string[];
  warningProblems: string[];
  spanProblems: string[];
  points: number;
  warnings: DecodeWarning[];
}

const SLEEP = new Set(['sleep_daily', 'sleep_stage']);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
// Warnings that say a value or point was dropped must name the field first: `slp.st is …`,
// `data_hr: …`, `stp.stage[3].step is …`, `sleep_daily.in_bed_min: …`, `slp.st/slp.ed: …`.
const DROP_CODES = new Set(['VALUE_OUT_OF_RANGE', 'VALUE_INVALID', 'INSTANT_MS', 'SLEEP_OUTSIDE_WINDOW', 'POINT_OUTSIDE_WINDOW', 'POINT_INVALID', 'FIELD_INVALID']);
const NAMES_FIELD = /^[A-Za-z_]+(?:\.[A-Za-z_]+|\[\d+\])*(?:\/[A-Za-z_.]+)?(?: is |: )/;

type Windows = { day: [number, number]; sleep: [number, number] };
const windowMemo = new Map<string, Windows | undefined>();

/** docs/metrics.md "Windows", with luxon: [start, end) epoch seconds; undefined for an invalid zone. */
export function windowsOf(date: string, zone: string): Windows | undefined {
  const key = `${zone}|${date}`;
  if (windowMemo.has(key)) return windowMemo.get(key);
  const w = computeWindows(date, zone);
  if (windowMemo.size > 4096) windowMemo.clear();
  windowMemo.set(key, w);
  return w;
}

function computeWindows(date: string, zone: string): Windows | undefined {
  const d = DateTime.fromISO(date, { zone });
  if (!d.isValid) return undefined;
  const at = (iso: string): number => DateTime.fromISO(iso, { zone }).toSeconds();
  const shift = (days: number): string => d.plus({ days }).toISODate() as string;
  return { day: [at(date), at(shift(1))], sleep: [at(`${shift(-1)}T12:00`), at(shift(2))] };
}

// With a zone the runtime does not know the decoder falls back to the record's tz or UTC; any
// zone is within ±14 h of UTC, so the windows read in UTC and widened by 14 h must hold.
function looseWindows(date: string): Windows | undefined {
  const w = windowsOf(date, 'UTC');
  const pad = 14 * 3600;
  return w && { day: [w.day[0] - pad, w.day[1] + pad], sleep: [w.sleep[0] - pad, w.sleep[1] + pad] };
}

function checkDay(day: DecodedDay, zone: string, out: CaseOutcome): void {
  out.points += day.points.length;
  const windows = day.points.length ? (windowsOf(day.date, zone) ?? looseWindows(day.date)) : undefined;
  if (day.points.length && (!ISO_DATE.test(day.date) || !windows)) out.window.push(`${day.points.length} points for the undated day ${JSON.stringify(day.date)}`);
  for (const p of day.points) {
    for (const problem of checkPoint(p)) out.schema.push(`${day.date} ${problem.message}`);
    if (!windows) continue;
    const [start, end] = SLEEP.has(p.measurement) ? windows.sleep : windows.day;
    if (!(p.time >= start && p.time < end)) out.window.push(`${day.date} ${p.measurement} at ${p.time} outside [${start}, ${end}) in ${zone}`);
  }
  for (const w of day.warnings) {
    if (w.day !== day.date) out.warningProblems.push(`warning ${w.code} names day ${JSON.stringify(w.day)} in day ${JSON.stringify(day.date)}`);
    if (DROP_CODES.has(w.code) && !NAMES_FIELD.test(w.message)) out.warningProblems.push(`${w.code} does not name the field first: ${w.message}`);
  }
  for (const s of day.spans) {
    if (!Number.isSafeInteger(s.start) || !Number.isSafeInteger(s.end) || s.end < s.start) out.spanProblems.push(`${day.date} ${s.measurement} span ${s.start}..${s.end}`);
  }
}

/** Run one case through the decoder and check every property. */
export function runCase(c: DecodeCase): CaseOutcome {
  const out: CaseOutcome = { decodeFailed: 0, schema: [], window: [], warningProblems: [], spanProblems: [], points: 0, warnings: [] };
  const opts = { timeZone: c.zone, user: 'u' };
  let days: DecodedDay[];
  try {
    if (c.kind === 'item') {
      const day = decodeItem(c.item, opts);
      days = [day];
      out.warnings = day.warnings;
    } else {
      const r = decodeResponse(c.body, opts);
      days = r.days;
      out.warnings = r.warnings;
    }
  } catch (err) {
    out.threw = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return out;
  }
  for (const day of days) checkDay(day, c.zone, out);
  out.decodeFailed = out.warnings.filter((w) => w.code === 'DECODE_FAILED').length;
  return out;
}

/** The problems of an outcome, for an assertion message; empty when every property holds. */
export function problemsOf(o: CaseOutcome): string[] {
  return [
    ...(o.threw ? [`threw ${o.threw}`] : []),
    ...(o.decodeFailed ? [`${o.decodeFailed} DECODE_FAILED: ${o.warnings.filter((w) => w.code === 'DECODE_FAILED').map((w) => w.message).join('; ')}`] : []),
    ...o.schema,
    ...o.window,
    ...o.warningProblems,
    ...o.spanProblems,
  ];
}
