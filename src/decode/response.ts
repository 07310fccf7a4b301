// A whole band_data.json response → decoded days, nights de-duplicated by (st, ed).
import type { DecodeOptions, DecodeWarning, DecodedDay } from './types.js';
import { assemble, decodeItemParts, type ItemParts } from './item.js';
import { isObject, show } from './input.js';

/** The items of a response: `{code, data: [...]}`; tolerated: `data` keyed by date, a bare array. */
export function responseItems(body: unknown): { items: unknown[]; warnings: DecodeWarning[] } {
  const warnings: DecodeWarning[] = [];
  // Array.from: a sparse array's holes become undefined items (ITEM_INVALID), not skipped slots.
  if (Array.isArray(body)) return { items: Array.from(body), warnings };
  if (!isObject(body)) {
    warnings.push({ day: '', code: 'RESPONSE_SHAPE', message: `the response is ${body === null ? 'null' : typeof body}, expected {"code":1,"data":[...]}` });
    return { items: [], warnings };
  }
  if (body.code !== undefined && Number(body.code) !== 1) {
    warnings.push({ day: '', code: 'RESPONSE_CODE', message: `the response has code ${show(body.code)} (${show(body.message ?? '')}), not 1 = success` });
  }
  const data = body.data;
  if (Array.isArray(data)) return { items: Array.from(data), warnings };
  if (isObject(data)) {
    const items = Object.entries(data).map(([date, item]) => (isObject(item) && item.date_time === undefined && item.date === undefined ? { ...item, date_time: date } : item));
    return { items, warnings };
  }
  warnings.push({ day: '', code: 'RESPONSE_SHAPE', message: `the response has no "data" array (keys: ${Object.keys(body).join(', ') || 'none'})` });
  return { items: [], warnings };
}

/**
 * Decode every item, sorted by date. A night or nap seen in two records (the two night
 * conventions, docs/huami-api.md "Sleep anchor") is emitted once, by the earlier record: its points and spans are
 * identical either way. `warnings` holds every warning (response-level and per day).
 * Total like decodeItem: never throws (docs/architecture.md "Decoder").
 */
export function decodeResponse(body: unknown, opts: DecodeOptions): { days: DecodedDay[]; warnings: DecodeWarning[] } {
  const { items, warnings } = safeItems(body);
  const parts: ItemParts[] = items.map((item) => decodeItemParts(item, opts));
  parts.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const seenSleep = new Set<string>();
  const seenDate = new Set<string>();
  const days: DecodedDay[] = [];
  for (const p of parts) {
    if (p.date && seenDate.has(p.date)) {
      p.warnings.push({ day: p.date, code: 'DUPLICATE_DAY', message: 'the response holds this date twice (another device?); both decoded, the later one wins on equal timestamps' });
    }
    seenDate.add(p.date);
    const day = assemble(p, (b) => {
      if (seenSleep.has(b.key)) return false;
      seenSleep.add(b.key);
      return true;
    });
    days.push(day);
    warnings.push(...day.warnings);
  }
  return { days, warnings };
}

/** responseItems, with an unexpected exception (a bug) turned into a DECODE_FAILED warning. */
function safeItems(body: unknown): { items: unknown[]; warnings: DecodeWarning[] } {
  try {
    return responseItems(body);
  } catch (err) {
    const message = err instanceof Error ? err.message : show(err);
    return { items: [], warnings: [{ day: '', code: 'DECODE_FAILED', message: `the decoder failed on the response envelope (${message}); no days decoded` }] };
  }
}
