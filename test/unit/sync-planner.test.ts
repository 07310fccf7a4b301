import { describe, expect, it } from 'vitest';
import { chunkRange, dateRange, todayIn } from '../../src/sync/dates.js';
import { emptyState } from '../../src/sync/lifecycle.js';
import { coverDates, planDays } from '../../src/sync/planner.js';
import type { DayState } from '../../src/store/state.js';

const H = 3_600_000;
const NOW = Date.parse('2026-03-10T12:00:00Z');
/** A day written with data, fetched at `at`. */
const written = (date: string, at = NOW - H): DayState => ({ date, fetchedAt: at, hash: 'h', writtenAt: at, spans: [], points: 10, user: 'u', checkedAt: at });
const states = (...list: DayState[]): Map<string, DayState> => new Map(list.map((s) => [s.date, s]));
const base = { today: '2026-03-10', startDate: '', lookbackDays: 3, chunkDays: 30, due: { now: NOW, newestDataDay: undefined, lastDataAt: undefined } };

describe('sync planner', () => {
  it('backfills one year on the first run when SYNC_START_DATE is empty, in 30-day ranges', () => {
    const p = planDays({ ...base, states: new Map() });
    expect([p.from, p.to, p.reason, p.start]).toEqual(['2025-03-10', '2026-03-10', 'first-run', '2025-03-10']);
    // 366 days (2025-03-10 .. 2026-03-10) in ranges of 30: 13 requests, the last one 6 days.
    expect(p.ranges).toHaveLength(13);
    expect(p.ranges[12]).toEqual({ from: '2026-03-05', to: '2026-03-10' });
  });

  it('starts the first run at SYNC_START_DATE, and --from overrides it without changing the ordinary start', () => {
    expect(planDays({ ...base, startDate: '2026-01-01', states: new Map() }).from).toBe('2026-01-01');
    const p = planDays({ ...base, startDate: '2026-01-01', from: '2025-12-24', states: new Map() });
    expect([p.from, p.to, p.reason, p.start]).toEqual(['2025-12-24', '2026-03-10', 'explicit', '2026-01-01']);
  });

  it('re-reads only the look-back window when every day is written', () => {
    const s = states(...dateRange('2025-03-10', '2026-03-10').map((d) => written(d)));
    const p = planDays({ ...base, syncStart: '2025-03-10', states: s });
    expect(p.ranges).toEqual([{ from: '2026-03-08', to: '2026-03-10' }]);
    expect(p.reason).toBe('incremental');
  });

  it('fetches days never fetched (runs were missed, or a write failed) with the window in one request', () => {
    const s = states(...dateRange('2026-02-01', '2026-03-05').map((d) => written(d)));
    s.delete('2026-02-20');
    const p = planDays({ ...base, syncStart: '2026-02-01', states: s });
    expect(p.ranges).toEqual([{ from: '2026-02-20', to: '2026-03-10' }]);
  });

  it('ignores days an explicit old range wrote: the ordinary start stays where the first run put it', () => {
    const s = states(...dateRange('2010-01-01', '2010-01-05').map((d) => written(d)), ...dateRange('2025-03-10', '2026-03-10').map((d) => written(d)));
    const p = planDays({ ...base, syncStart: '2025-03-10', states: s });
    expect(p.ranges).toEqual([{ from: '2026-03-08', to: '2026-03-10' }]);
  });

  it('never plans after today, and with look-back 0 and everything written plans nothing', () => {
    const s = states(written('2026-03-09'), written('2026-03-10'));
    expect(planDays({ ...base, lookbackDays: 0, syncStart: '2026-03-09', to: '2026-12-31', states: s }).to).toBe('2026-03-10');
    const p = planDays({ ...base, lookbackDays: 0, syncStart: '2026-03-09', states: s });
    expect(p.ranges).toEqual([]);
    expect(p.from > p.to).toBe(true);
  });

  it('re-checks a day that was after the newest upload as soon as the band uploads past it', () => {
    const s = states(...dateRange('2026-02-01', '2026-02-20').map((d) => written(d)));
    // Fetched empty two hours ago while 02-20 was the newest upload: "not uploaded yet".
    for (const d of dateRange('2026-02-21', '2026-03-10')) s.set(d, emptyState(d, undefined, NOW - 2 * H, '2026-02-20', 'u'));
    const quiet = { now: NOW, newestDataDay: '2026-02-20', lastDataAt: NOW - 3 * H };
    // No upload since, and the 6-hour interval after two checks not over: only the window.
    for (const d of dateRange('2026-02-21', '2026-03-10')) s.set(d, { ...(s.get(d) as DayState), emptyChecks: 2 });
    expect(planDays({ ...base, syncStart: '2026-02-01', states: s, due: quiet }).ranges).toEqual([{ from: '2026-03-08', to: '2026-03-10' }]);
    // The band uploaded (its newest sync is after the check): every such day is due.
    const uploaded = { ...quiet, lastDataAt: NOW - H };
    expect(planDays({ ...base, syncStart: '2026-02-01', states: s, due: uploaded }).ranges).toEqual([{ from: '2026-02-21', to: '2026-03-10' }]);
  });

  it('never re-checks a confirmed no-data day, and re-checks an empty answer after an hour', () => {
    const s = states(...dateRange('2026-02-01', '2026-03-10').map((d) => written(d)));
    // Not worn: the answer held other days and later days have data.
    s.set('2026-02-11', emptyState('2026-02-11', undefined, NOW - 2 * H, '2026-03-01', 'u', true));
    // Flaky: the whole answer was empty.
    s.set('2026-02-15', emptyState('2026-02-15', undefined, NOW - 2 * H, '2026-03-01', 'u', false));
    const due = { now: NOW, newestDataDay: '2026-03-10', lastDataAt: NOW - H };
    expect(planDays({ ...base, syncStart: '2026-02-01', states: s, due }).ranges).toEqual([{ from: '2026-02-15', to: '2026-03-10' }]);
    const early = { ...due, now: NOW - 2 * H + 30 * 60_000 };
    expect(planDays({ ...base, syncStart: '2026-02-01', states: s, due: early }).ranges).toEqual([{ from: '2026-03-08', to: '2026-03-10' }]);
  });

  it('covers scattered due days with the fewest ranges of at most HUAMI_CHUNK_DAYS days', () => {
    expect(coverDates(['2026-01-01', '2026-01-05', '2026-01-30', '2026-01-31', '2026-03-02'], 30)).toEqual([
      { from: '2026-01-01', to: '2026-01-30' },
      { from: '2026-01-31', to: '2026-01-31' },
      { from: '2026-03-02', to: '2026-03-02' },
    ]);
  });

  it('retries a failed day once its retry time has come', () => {
    const s = states(...dateRange('2026-02-01', '2026-03-10').map((d) => written(d)));
    s.set('2026-02-15', { ...written('2026-02-15'), failure: { code: 'HUAMI_SCHEMA_MISMATCH', message: 'x', attempts: 1, since: NOW - 2 * H, retryAfter: NOW + H } });
    expect(planDays({ ...base, syncStart: '2026-02-01', states: s }).ranges).toEqual([{ from: '2026-03-08', to: '2026-03-10' }]);
    expect(planDays({ ...base, syncStart: '2026-02-01', states: s, due: { ...base.due, now: NOW + H } }).ranges).toEqual([{ from: '2026-02-15', to: '2026-03-10' }]);
  });
});

describe('sync dates', () => {
  it('takes today in the account zone, not the host zone', () => {
    const instant = new Date('2026-03-10T23:30:00Z');
    expect(todayIn('Europe/Berlin', instant)).toBe('2026-03-11');
    expect(todayIn('America/Los_Angeles', instant)).toBe('2026-03-10');
  });

  it('lists DST-change days once each and splits a range into chunks', () => {
    expect(dateRange('2026-03-28', '2026-03-30')).toEqual(['2026-03-28', '2026-03-29', '2026-03-30']);
    expect(chunkRange('2026-01-01', '2026-01-10', 4)).toEqual([
      { from: '2026-01-01', to: '2026-01-04' },
      { from: '2026-01-05', to: '2026-01-08' },
      { from: '2026-01-09', to: '2026-01-10' },
    ]);
  });
});
