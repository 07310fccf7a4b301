// Remote response schemas, checked at the boundary: remote names kept,
// lenient where the reference says sources disagree (strings vs numbers).
import { z } from 'zod';
import { HuamiError } from './errors.js';

const idString = z.union([z.string(), z.number()]).transform(String);

/** docs/huami-api.md success body of POST /v2/client/login (extra members pass through). */
export const ClientLoginSchema = z.looseObject({
  token_info: z.looseObject({
    login_token: z.string().min(1),
    app_token: z.string().min(1),
    user_id: idString, // a string in every struct; some clients also accept numbers
    ttl: z.coerce.number().optional(),
    app_ttl: z.coerce.number().optional(),
  }),
  regist_info: z.looseObject({ region: z.string().optional(), country_code: z.string().optional() }).optional(),
  result: z.string().optional(),
  domain: z.record(z.string(), z.unknown()).optional(),
  domains: z.array(z.looseObject({ host: z.string(), cnames: z.array(z.string()).optional() })).optional(),
});
export type ClientLoginResponse = z.infer<typeof ClientLoginSchema>;

/** docs/huami-api.md success body of GET /v1/client/app_tokens. */
export const AppTokensSchema = z.looseObject({
  result: z.literal('ok'),
  token_info: z.looseObject({ app_token: z.string().min(1), app_ttl: z.coerce.number().optional() }),
});

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** docs/huami-api.md one day of band_data.json; `data`/`data_hr` only with query_type=detail. */
export const BandDataItemSchema = z.looseObject({
  uid: idString.optional(),
  data_type: z.coerce.number().optional(),
  date_time: z.string().regex(DAY, 'expected YYYY-MM-DD'),
  source: idString.optional(),
  summary: z.string(),
  device_id: z.string().optional(),
  uuid: z.string().optional(),
  data: z.string().optional(),
  data_hr: z.string().optional(),
});
/** A schema-validated band_data item; summary and blobs still base64 (decoding is src/decode's job). */
export type BandDataItem = z.infer<typeof BandDataItemSchema>;

const EnvelopeSchema = z.looseObject({
  code: z.coerce.number().optional(),
  message: z.string().optional(),
  data: z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]).optional(),
});

/** `data[3].summary` from a zod path. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('') || '(root)';
}

function mismatch(where: string, error: z.ZodError): HuamiError {
  const issue = error.issues[0];
  const detail = issue ? `${where}${formatPath(issue.path)}: ${issue.message}` : where;
  return new HuamiError('HUAMI_SCHEMA_MISMATCH', `band_data.json response does not match the expected shape at ${detail}`, { cause: error });
}

/**
 * One client SDK tolerates `date` for `date_time` and `sum` for `summary` (docs/huami-api.md, synthetic
 * fixtures only): accept them, emit the canonical names.
 */
function canonical(item: unknown): unknown {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return item;
  const o = { ...(item as Record<string, unknown>) };
  if (o.date_time === undefined && o.date !== undefined) o.date_time = o.date;
  if (o.summary === undefined && o.sum !== undefined) o.summary = o.sum;
  return o;
}

/** An item that failed validation: its day (when it has a readable one) and what was wrong. */
export interface InvalidBandDataItem {
  index: number;
  /** `date_time` when it is a YYYY-MM-DD string, else undefined (the item cannot be placed). */
  date: string | undefined;
  /** The raw item as received (kept in the raw archive of a failed day). */
  item: unknown;
  message: string;
}

/** One band_data.json answer checked item by item: one malformed day never hides the others. */
export interface BandDataAnswer {
  items: BandDataItem[];
  invalid: InvalidBandDataItem[];
}

/** Check one raw item (as kept in the raw archive): the validated item, or what is wrong with it. */
export function checkBandDataItem(rawItem: unknown, index = 0): { item: BandDataItem } | { message: string } {
  const item = canonical(rawItem);
  const parsed = BandDataItemSchema.safeParse(item);
  if (parsed.success) return { item: parsed.data };
  const day = (item as { date_time?: unknown } | null)?.date_time;
  const date = typeof day === 'string' && DAY.test(day) ? day : undefined;
  return { message: mismatch(date ? `day ${date}, data[${index}].` : `data[${index}] (no date_time).`, parsed.error).message };
}

/** Validate the envelope (a mismatch there fails the whole answer), then each item on its own. */
export function parseBandDataItems(body: unknown): BandDataAnswer {
  const env = EnvelopeSchema.safeParse(body);
  if (!env.success) throw mismatch('', env.error);
  if (env.data.code !== undefined && env.data.code !== 1) {
    throw new HuamiError('HUAMI_REMOTE_ERROR', `band_data.json answered code ${env.data.code}`, { body: JSON.stringify(body) });
  }
  const raw = env.data.data ?? [];
  // Tolerated (uncertain, docs/huami-api.md "Response envelope"): `data` as an object keyed by date instead of an array.
  const list = Array.isArray(raw) ? raw : Object.entries(raw).map(([k, v]) => ({ date_time: k, ...(canonical(v) as object) }));
  const out: BandDataAnswer = { items: [], invalid: [] };
  list.forEach((rawItem, i) => {
    const checked = checkBandDataItem(rawItem, i);
    if ('item' in checked) {
      out.items.push(checked.item);
      return;
    }
    const day = (canonical(rawItem) as { date_time?: unknown } | null)?.date_time;
    const date = typeof day === 'string' && DAY.test(day) ? day : undefined;
    out.invalid.push({ index: i, date, item: rawItem, message: checked.message });
  });
  return out;
}

/** Validate a band_data.json body; a mismatch names the day (date_time) and the field path. */
export function parseBandData(body: unknown): BandDataItem[] {
  const answer = parseBandDataItems(body);
  const bad = answer.invalid[0];
  if (bad) throw new HuamiError('HUAMI_SCHEMA_MISMATCH', bad.message);
  return answer.items;
}

/** An instant in epoch milliseconds: a number, or a decimal string (version-1 items carry numbers as strings). */
const msInstant = z.union([z.number().finite(), z.string().regex(/^\s*\d+\s*$/, 'expected epoch milliseconds')]);

/**
 * docs/huami-api.md "Event items": what the sync needs of every health-event item to place it on a
 * day (extra members pass through; their reading is the decoder's job, docs/metrics.md "Health events").
 */
export const EventItemSchema = z.looseObject({
  eventType: z.string().optional(),
  subType: z.string().optional(),
  timestamp: msInstant,
  /** Version 2 (readiness): the numbers of the item. */
  value: z.record(z.string(), z.unknown()).optional(),
});

/** An event item that failed validation: its instant (when readable) places it on a day. */
export interface InvalidEventItem {
  index: number;
  /** Epoch ms of `timestamp` when it reads as one, else undefined (the item cannot be placed). */
  timestamp: number | undefined;
  item: unknown;
  message: string;
}

/** One events answer (all pages), checked item by item. */
export interface EventsAnswer {
  items: Record<string, unknown>[];
  invalid: InvalidEventItem[];
}

const EventsEnvelopeSchema = z.looseObject({ items: z.array(z.unknown()), next: z.unknown().optional() });

/** The envelope `{items: [...], next?}` of an events answer; a mismatch fails the whole answer. */
export function parseEventsEnvelope(body: unknown, what: string): { items: unknown[]; next: unknown } {
  const env = EventsEnvelopeSchema.safeParse(body);
  if (!env.success) {
    const issue = env.error.issues[0];
    throw new HuamiError('HUAMI_SCHEMA_MISMATCH', `${what} does not match the expected shape {"items": [...]}${issue ? ` at ${formatPath(issue.path)}: ${issue.message}` : ''}`, { cause: env.error });
  }
  return { items: env.data.items, next: env.data.next };
}

/** Check one raw event item (as received or as kept in the raw archive). */
export function checkEventItem(rawItem: unknown, index = 0, what = 'event'): { item: Record<string, unknown> } | { message: string; timestamp: number | undefined } {
  const parsed = EventItemSchema.safeParse(rawItem);
  if (parsed.success) return { item: parsed.data };
  const ts = (rawItem as { timestamp?: unknown } | null)?.timestamp;
  const n = typeof ts === 'number' ? ts : typeof ts === 'string' && /^\s*\d+\s*$/.test(ts) ? Number(ts) : Number.NaN;
  const issue = parsed.error.issues[0];
  return {
    timestamp: Number.isFinite(n) ? n : undefined,
    message: `${what} item ${index} does not match the expected shape${issue ? ` at ${formatPath(issue.path)}: ${issue.message}` : ''}`,
  };
}
