// Pure decoder: band_data item + IANA zone → points, spans, warnings (docs/architecture.md
// "Decoder", docs/metrics.md). No I/O, no clock, no env, no logger, no host time zone.
import type { DecodeOptions, DecodedDay } from './types.js';
import { assemble, decodeItemParts } from './item.js';

export type { DecodeOptions, DecodeWarning, DaySpan, DecodedDay } from './types.js';
export { decodeResponse, responseItems } from './response.js';

/** One band_data item → its day's points, spans and warnings; never throws on bad input. */
export function decodeItem(item: unknown, opts: DecodeOptions): DecodedDay {
  return assemble(decodeItemParts(item, opts));
}
