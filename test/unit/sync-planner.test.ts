import { describe, expect, it } from 'vitest';
import { chunkRange, dateRange, todayIn } from '../../src/sync/dates.js';
import { planDays } from '../../src/sync/planner.js';

const done = (...dates: string[]): Map<string, { done: boolean }> => new Map(dates.map((d) => [d, { done: true }]));

describe('sync planner', () => {
  it('backfills one year on the first run when SYNC_START_DATE is empty', () => {
    expect(planDays({ today: '2026-03-10', startDate: '', lookbackDays: 3, states: new Map() })).toEqual({ from: '2025-03-10', to: '2026-03-10', reason: 'first-run' });
  });

  it('starts the first run at SYNC_START_DATE, and --from overrides it', () => {
    expect(planDays({ today: '2026-03-10', startDate: '2026-01-01', lookbackDays: 3, states: new Map() }).from).toBe('2026-01-01');
    expect(planDays({ today: '2026-03-10', startDate: '2026-01-01', lookbackDays: 3, from: '2025-12-24', states: new Map() })).toEqual({ from: '2025-12-24', to: '2026-03-10', reason: 'explicit' });
  });

  it('re-reads the look-back window ending today when every day up to today is done', () => {
    const states = done(...dateRange('2026-03-01', '2026-03-10'));
    expect(planDays({ today: '2026-03-10', startDate: '', lookbackDays: 3, states })).toEqual({ from: '2026-03-08', to: '2026-03-10', reason: 'incremental' });
  });

  it('continues after the last written day plus the look-back when runs were missed', () => {
    const states = done(...dateRange('2026-03-01', '2026-03-05'));
    expect(planDays({ today: '2026-03-10', startDate: '', lookbackDays: 3, states }).from).toBe('2026-03-03');
  });

  it('goes back to a day left pending by a failed write even when later days are done', () => {
    const states = done(...dateRange('2026-03-01', '2026-03-10'));
    states.set('2026-03-04', { done: false });
    expect(planDays({ today: '2026-03-10', startDate: '', lookbackDays: 2, states }).from).toBe('2026-03-02');
  });

  it('never plans before the first day with state, and never after today', () => {
    const states = done('2026-03-09', '2026-03-10');
    expect(planDays({ today: '2026-03-10', startDate: '', lookbackDays: 7, states }).from).toBe('2026-03-09');
    expect(planDays({ today: '2026-03-10', startDate: '', lookbackDays: 0, to: '2026-12-31', states }).to).toBe('2026-03-10');
  });

  it('with look-back 0 and everything done, plans nothing (from after to)', () => {
    const p = planDays({ today: '2026-03-10', startDate: '', lookbackDays: 0, states: done('2026-03-09', '2026-03-10') });
    expect(p.from > p.to).toBe(true);
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
