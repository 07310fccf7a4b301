// The decoder's public types (contract: docs/architecture.md "Decoder").
import type { MeasurementName } from '../schema/measurements.js';
import type { Point } from '../schema/point.js';

/** The account's IANA zone and the `user` tag value. */
export interface DecodeOptions {
  timeZone: string;
  user: string;
}

/** A problem in the input; `day` is the record date (YYYY-MM-DD, '' when unknown). */
export interface DecodeWarning {
  day: string;
  code: string;
  message: string;
}

/** The time range a day's points own, per measurement (the sync deletes it before rewriting). */
export interface DaySpan {
  measurement: MeasurementName;
  /** Epoch seconds, inclusive. */
  start: number;
  /** Epoch seconds, exclusive. */
  end: number;
  /** Extra tag predicate, e.g. { sleep: 'main' }. */
  tags?: Record<string, string>;
}

/** Everything one band_data item decodes to. */
export interface DecodedDay {
  date: string;
  points: Point[];
  spans: DaySpan[];
  warnings: DecodeWarning[];
}
