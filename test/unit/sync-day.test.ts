import { describe, expect, it } from 'vitest';
import type { DecodedDay, DecodeOptions } from '../../src/decode/index.js';
import { decideDay, groupByDate, hashItems, rewritesInPlace } from '../../src/sync/day.js';
import { syncRunPoint } from '../../src/sync/run-point.js';
import { formatSummary } from '../../src/commands/summary.js';
import type { DayState } from '../../src/store/state.js';
import { toLine } from '../../src/schema/line-protocol.js';

// A stand-in decoder with the contract's shape: one heart-rate point per item and one span.
const decode = (item: unknown, opts: DecodeOptions): DecodedDay => {
  const it = item as { date_time: string; bpm: number; t: number };
  return {
    date: it.date_time,
    points: [{ measurement: 'heart_rate', tags: { user: opts.user }, fields: { bpm: it.bpm }, time: it.t }],
    spans: [{ measurement: 'heart_rate', start: it.t, end: it.t + 86400 }],
    warnings: [],
  };
};
const item = { date_time: '2026-01-01', bpm: 60, t: 1767222000 };
const base = { date: '2026-01-01', fetchedAt: 1, force: false, timeZone: 'Europe/Berlin', user: 'anna', decode: decode as never };
const doneState = (over: Partial<DayState> = {}): DayState => ({ date: '2026-01-01', fetchedAt: 1, hash: hashItems([item]), writtenAt: 2, spans: [{ measurement: 'heart_rate', start: 0, end: 10 }], points: 1, user: 'anna', ...over });

describe('sync day decision', () => {
  it('writes a first-seen day without deleting anything', () => {
    const d = decideDay({ ...base, items: [item], previous: undefined });
    expect(d.kind).toBe('write');
    if (d.kind !== 'write') return;
    expect(d.work.points).toHaveLength(1);
    expect(d.work.deleteSpans).toEqual([]);
  });

  it('skips a day whose payload hash did not change, unless forced', () => {
    expect(decideDay({ ...base, items: [item], previous: doneState() }).kind).toBe('unchanged');
    expect(decideDay({ ...base, items: [item], previous: doneState(), force: true }).kind).toBe('write');
  });

  it('deletes the old spans and the new ones when a day changed', () => {
    const d = decideDay({ ...base, items: [{ ...item, bpm: 61 }], previous: doneState() });
    if (d.kind !== 'write') throw new Error(d.kind);
    expect(d.work.deleteSpans).toEqual([
      { measurement: 'heart_rate', start: 0, end: 10 },
      { measurement: 'heart_rate', start: item.t, end: item.t + 86400 },
    ]);
  });

  it('rewrites a day whose previous rewrite was interrupted, deleting the recorded spans', () => {
    const d = decideDay({ ...base, items: [item], previous: doneState({ writtenAt: null, hash: null }) });
    if (d.kind !== 'write') throw new Error(d.kind);
    expect(d.work.deleteSpans[0]).toEqual({ measurement: 'heart_rate', start: 0, end: 10 });
  });

  it('keeps a written day that Huami suddenly stops returning', () => {
    expect(decideDay({ ...base, items: [], previous: doneState() }).kind).toBe('vanished');
  });

  it('records an empty day as an empty check with no points and nothing to delete, every time it is fetched', () => {
    const d = decideDay({ ...base, items: [], previous: undefined, newest: '2026-01-05' });
    if (d.kind !== 'write') throw new Error(d.kind);
    expect(d.work.points).toEqual([]);
    expect(d.work.deleteSpans).toEqual([]);
    expect(d.work.outcome).toEqual({ kind: 'empty', newest: '2026-01-05', answerHadItems: true });
    const again = decideDay({ ...base, items: [], previous: doneState({ hash: d.work.hash, points: 0, spans: [] }) });
    if (again.kind !== 'write') throw new Error(again.kind);
    expect(again.work.outcome.kind).toBe('empty');
    expect(again.work.deleteSpans).toEqual([]);
  });

  it('groups items by date_time and ignores items without one', () => {
    const g = groupByDate([item, { date_time: '2026-01-02' }, { foo: 1 }, { ...item, bpm: 1 }]);
    expect([...g.keys()]).toEqual(['2026-01-01', '2026-01-02']);
    expect(g.get('2026-01-01')).toHaveLength(2);
  });
});

describe('sync run point and summary', () => {
  const result = { account: 'anna', ok: false, error: { code: 'INFLUX_UNREACHABLE', message: 'connect ECONNREFUSED' }, daysFetched: 3, daysWritten: 2, daysUnchanged: 1, daysNoData: 0, daysFailed: 0, failedDays: [], points: 40, warnings: 1, requests: 4, daysBehind: 1, lastWrittenDay: '2026-01-01', lastDataAt: 1767300000500, tokenExpiresAt: 1770000000000, startedAt: 1767300000000, finishedAt: 1767300002500 };

  it('builds a sync_run point that serialises with the declared field types', () => {
    const p = syncRunPoint(result, { user: 'anna', timezone: 'Europe/Berlin', lastSuccessAt: 1767200000000 });
    expect(toLine(p)).toBe(
      'sync_run,user=anna days_behind=1i,days_failed=0i,days_fetched=3i,days_no_data=0i,days_written=2i,duration_s=2.5,error_code="INFLUX_UNREACHABLE",last_data_s=1767300000i,last_success_s=1767200000i,points=40i,requests=4i,success=0i,timezone="Europe/Berlin",token_expires_s=1770000000i,warnings=1i 1767300002',
    );
  });

  it('prints every counter and the error of each account', () => {
    const text = formatSummary([result]);
    expect(text).toContain('sync anna: failed in 2.5 s');
    for (const [label, n] of [['days fetched', 3], ['days written', 2], ['days unchanged', 1], ['points', 40], ['warnings', 1], ['requests', 4]] as const) {
      expect(text).toMatch(new RegExp(`^  ${label} +${n}\\b`, 'm'));
    }
    expect(text).toContain('[INFLUX_UNREACHABLE] connect ECONNREFUSED');
  });
});

describe('rewritesInPlace (the days a rewrite may clear ahead)', () => {
  it('is true for a changed, a forced, a failed or an interrupted day with spans', () => {
    expect(rewritesInPlace([{ ...item, bpm: 61 }], doneState(), 'anna', false)).toBe(true);
    expect(rewritesInPlace([item], doneState(), 'anna', true)).toBe(true);
    expect(rewritesInPlace([item], doneState({ failure: { code: 'X', message: 'x', attempts: 1, since: 1, retryAfter: 2 } }), 'anna', false)).toBe(true);
    expect(rewritesInPlace([], doneState({ writtenAt: null, hash: null }), 'anna', false)).toBe(true);
  });

  it('is false for an unchanged day, a day Huami stopped returning, a first write and a renamed day', () => {
    expect(rewritesInPlace([item], doneState(), 'anna', false)).toBe(false);
    expect(rewritesInPlace([], doneState(), 'anna', true)).toBe(false);
    expect(rewritesInPlace([item], undefined, 'anna', true)).toBe(false);
    expect(rewritesInPlace([item], doneState({ spans: [] }), 'anna', true)).toBe(false);
    // Its old points are under the old tag, deleted only after the new ones are written.
    expect(rewritesInPlace([item], doneState({ user: 'old-name' }), 'anna', true)).toBe(false);
  });
});
