import { describe, expect, it } from 'vitest';
import { toLine, SchemaViolationError } from '../../src/schema/line-protocol.js';

describe('line protocol', () => {
  it('writes integer fields with the i suffix and floats without it', () => {
    expect(
      toLine({ measurement: 'sync_run', tags: { user: 'a b' }, fields: { points: 3, duration_s: 2, error_code: 'X "y"' }, time: 100 }),
    ).toBe('sync_run,user=a\\ b duration_s=2.0,error_code="X \\"y\\"",points=3i 100');
  });
  it('rejects a float in an integer field instead of flipping the type', () => {
    expect(() => toLine({ measurement: 'heart_rate', tags: { user: 'u' }, fields: { bpm: 60.5 }, time: 1 })).toThrow(SchemaViolationError);
  });
  it('rejects an undeclared field', () => {
    expect(() => toLine({ measurement: 'heart_rate', tags: { user: 'u' }, fields: { pulse: 60 }, time: 1 })).toThrow(/not declared/);
  });
});
