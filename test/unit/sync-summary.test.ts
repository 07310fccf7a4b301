// The end-of-run summary: every fetched day accounted for, failed days listed with their code,
// and the outcome word, the elapsed time and the exit code telling the same story.
import { describe, expect, it } from 'vitest';
import { exitCodeOf, formatSummary, outcomeOf } from '../../src/commands/summary.js';
import { emptyResult, type AccountRunResult } from '../../src/sync/types.js';

const T0 = Date.UTC(2026, 0, 10, 8, 0, 0);
const res = (over: Partial<AccountRunResult>): AccountRunResult => ({ ...emptyResult('anna', T0), ...over });
/** The number on a labelled line of the summary. */
const num = (text: string, label: string): number => {
  const m = new RegExp(`^  ${label} +(\\d+)`, 'm').exec(text);
  if (!m?.[1]) throw new Error(`no "${label}" line in:\n${text}`);
  return Number(m[1]);
};

describe('run summary', () => {
  it('explains every day between fetched and written: unchanged, no data and failed, each labelled', () => {
    // The run: 366 fetched, 351 written; the other 15 are 10 unchanged, 3 without data, 2 failed.
    const r = res({
      daysFetched: 366, daysWritten: 351, daysUnchanged: 10, daysNoData: 3, daysFailed: 2, finishedAt: T0 + 61_500,
      failedDays: [
        { date: '2025-06-01', code: 'HUAMI_SCHEMA_MISMATCH', message: 'summary is not JSON', attempts: 1, retryAfter: T0 + 3_600_000 },
        { date: '2025-07-04', code: 'DECODE_FAILED', message: 'bad minute blob', attempts: 3, retryAfter: T0 + 3_600_000 },
      ],
    });
    const text = formatSummary([r]);
    expect(num(text, 'days fetched')).toBe(366);
    expect(num(text, 'days written')).toBe(351);
    expect(num(text, 'days unchanged')).toBe(10);
    expect(num(text, 'days no data')).toBe(3);
    expect(num(text, 'days failed')).toBe(2);
    expect(text).not.toMatch(/not written/);
    expect(text).toMatch(/failed day +2025-06-01 \[HUAMI_SCHEMA_MISMATCH\] summary is not JSON/);
    expect(text).toMatch(/failed day +2025-07-04 \[DECODE_FAILED\] bad minute blob \(attempt 3\)/);
    expect(text.split('\n')[0]).toBe('sync anna: ok in 61.5 s');
  });

  it('names the days a stopped run fetched but did not write', () => {
    const text = formatSummary([res({ ok: false, daysFetched: 20, daysWritten: 12, daysUnchanged: 1, error: { code: 'INFLUX_UNREACHABLE', message: 'connect ECONNREFUSED' } })]);
    // 20 - 12 - 1 = 7 days neither written nor otherwise accounted for.
    expect(num(text, 'not written')).toBe(7);
    expect(text).toContain('sync anna: failed in 0.0 s');
  });

  it('says interrupted (not ok) for a run stopped by Ctrl-C, with exit code 130', () => {
    const r = res({ aborted: true, daysFetched: 5, daysWritten: 5, finishedAt: T0 + 6000 });
    expect(outcomeOf(r)).toBe('interrupted');
    expect(formatSummary([r], 'sync', true).split('\n')[0]).toBe('sync anna: interrupted in 6.0 s');
    expect(exitCodeOf([r], true)).toBe(130);
  });

  it('agrees with the exit code: ok 0, failed 1, no account 1, interrupted between accounts 130', () => {
    const ok = res({});
    const failed = res({ account: 'ben', ok: false, error: { code: 'HUAMI_LOGIN_FAILED', message: 'wrong password' } });
    expect([outcomeOf(ok), exitCodeOf([ok], false)]).toEqual(['ok', 0]);
    expect([outcomeOf(failed), exitCodeOf([ok, failed], false)]).toEqual(['failed', 1]);
    expect(exitCodeOf([], false)).toBe(1);
    // Ctrl-C after the first account finished: it is ok, the others never started.
    expect(exitCodeOf([ok], true)).toBe(130);
    expect(formatSummary([ok], 'sync', true)).toMatch(/sync: interrupted; accounts not listed above were not synced/);
    expect(formatSummary([], 'sync', true)).toMatch(/no account ran \(interrupted before the first account\)/);
  });
});
