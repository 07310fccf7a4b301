// The fast path of toLine (shape and tag-value caches, escaping only when needed) must not
// change a byte: same output whatever the key insertion order, the cache state or escaping.
import { describe, expect, it } from 'vitest';
import { SchemaViolationError, toLine, toLines } from '../../src/schema/line-protocol.js';

describe('line protocol fast path', () => {
  it('gives the same line for the same point whatever the key insertion order', () => {
    const a = toLine({ measurement: 'sleep_stage', tags: { user: 'u', sleep: 'main', phase: 'deep' }, fields: { phase_code: 5, duration_min: 30, mode: 5 }, time: 10 });
    const b = toLine({ measurement: 'sleep_stage', tags: { phase: 'deep', user: 'u', sleep: 'main' }, fields: { mode: 5, phase_code: 5, duration_min: 30 }, time: 10 });
    expect(a).toBe('sleep_stage,phase=deep,sleep=main,user=u duration_min=30i,mode=5i,phase_code=5i 10');
    expect(b).toBe(a);
  });

  it('escapes a tag value with special characters every time, also after plain values were cached', () => {
    const line = (user: string) => toLine({ measurement: 'heart_rate', tags: { user }, fields: { bpm: 60 }, time: 1 });
    expect(line('plain')).toBe('heart_rate,user=plain bpm=60i 1');
    expect(line('a,b=c d\\e')).toBe('heart_rate,user=a\\,b\\=c\\ d\\\\e bpm=60i 1');
    expect(line('a,b=c d\\e')).toBe('heart_rate,user=a\\,b\\=c\\ d\\\\e bpm=60i 1');
    expect(line('plain')).toBe('heart_rate,user=plain bpm=60i 1');
  });

  it('skips empty tags and still rejects an undeclared tag after a valid shape was cached', () => {
    expect(toLine({ measurement: 'heart_rate', tags: { user: '' }, fields: { bpm: 61 }, time: 2 })).toBe('heart_rate bpm=61i 2');
    const bad = () => toLine({ measurement: 'heart_rate', tags: { user: 'u', pulse: 'x' }, fields: { bpm: 61 }, time: 2 });
    expect(bad).toThrow(SchemaViolationError);
    expect(bad).toThrow('heart_rate has no tag pulse');
  });

  it('checks every value against its declared type even when the shape is cached', () => {
    const p = (bpm: number) => ({ measurement: 'heart_rate' as const, tags: { user: 'u' }, fields: { bpm }, time: 3 });
    expect(toLine(p(70))).toBe('heart_rate,user=u bpm=70i 3');
    expect(() => toLine(p(70.5))).toThrow('heart_rate.bpm must be an integer, got 70.5');
  });

  it('escapes quotes and backslashes in string fields only when present', () => {
    const line = (error_code: string) => toLine({ measurement: 'sync_run', tags: { user: 'u' }, fields: { error_code }, time: 4 });
    expect(line('PLAIN')).toBe('sync_run,user=u error_code="PLAIN" 4');
    expect(line('a"b\\c')).toBe('sync_run,user=u error_code="a\\"b\\\\c" 4');
  });

  it('joins lines with a newline and no trailing newline', () => {
    const p = (time: number) => ({ measurement: 'heart_rate' as const, tags: { user: 'u' }, fields: { bpm: 60 }, time });
    expect(toLines([p(1), p(2)])).toBe('heart_rate,user=u bpm=60i 1\nheart_rate,user=u bpm=60i 2');
  });
});
