// A point as the decoder and the sync produce it and the writer consumes it.
import type { MeasurementName } from './measurements.js';

export type FieldValue = number | string | boolean;

export interface Point {
  measurement: MeasurementName;
  /** Tag key → value. Always includes `user`. */
  tags: Record<string, string>;
  /** Field key → value. Types must match MEASUREMENTS (integers are JS integers). */
  fields: Record<string, FieldValue>;
  /** Epoch seconds. */
  time: number;
}
