// What the daemon shows per account beyond the last run's outcome: the band's newest upload,
// the failed days with their codes, the running sync's progress, and mifit_sync_days_failed.
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/daemon/metrics.js';
import { progressText, renderStatusPage } from '../../src/daemon/page.js';
import type { FailedDay } from '../../src/sync/types.js';
import { T0, result, statusWith } from '../support/daemon-fixtures.js';

const failed: FailedDay[] = [
  { date: '2025-03-20', code: 'HUAMI_SCHEMA_MISMATCH', message: 'summary is not JSON', attempts: 2, retryAfter: T0 + 3_600_000 },
  { date: '2025-03-22', code: 'DECODE_FAILED', message: 'bad <minute> blob', attempts: 1, retryAfter: T0 + 3_600_000 },
];

describe('daemon status view', () => {
  it("shows each account's newest band upload in the daemon zone and its failed days with their codes", () => {
    const s = statusWith(['alice']);
    // The band last synced 2025-03-30 07:15 UTC = 09:15 summer time in Berlin.
    s.recordResults([result('alice', T0, { lastDataAt: Date.UTC(2025, 2, 30, 7, 15), daysFailed: 2, failedDays: failed })]);
    const snap = s.snapshot();
    expect(snap.accounts[0]?.failedDays.map((f) => `${f.date} ${f.code}`)).toEqual(['2025-03-20 HUAMI_SCHEMA_MISMATCH', '2025-03-22 DECODE_FAILED']);
    const html = renderStatusPage(snap, T0, { authRequired: false });
    expect(html).toMatch(/data-field="newest-upload">2025-03-30 09:15 \+02:00 \(2 h 45 min ago\)</);
    expect(html).toMatch(/data-field="failed-days"><strong>2<\/strong><ul><li><span data-date>2025-03-20<\/span> <code title="summary is not JSON">HUAMI_SCHEMA_MISMATCH<\/code>/);
    expect(html).toContain('title="bad &lt;minute&gt; blob"');
  });

  it('a later run without failures clears the failed days; the newest upload stays when a run saw none', () => {
    const s = statusWith(['alice']);
    s.recordResults([result('alice', T0, { lastDataAt: T0 - 60_000, daysFailed: 2, failedDays: failed })]);
    s.recordResults([result('alice', T0 + 1000, { lastDataAt: undefined })]);
    const a = s.snapshot().accounts[0]!;
    expect(a.failedDays).toEqual([]);
    expect(a.lastDataAt).toBe(T0 - 60_000);
    expect(renderStatusPage(s.snapshot(), T0, { authRequired: false })).toMatch(/data-field="failed-days">none</);
  });

  it('carries the running sync\'s progress only while a run is going, and a new run starts without the old one', () => {
    const s = statusWith(['alice']);
    s.recordProgress({ account: 'alice', day: '2025-03-01', done: 1, total: 4 });
    expect(s.snapshot().progress).toBeUndefined(); // no run going: ignored
    s.running = true;
    expect(progressText(s.snapshot())).toBe('starting…');
    s.recordProgress({ account: 'alice', day: '2025-03-05', done: 5, total: 20 });
    expect(s.snapshot().progress).toEqual({ account: 'alice', day: '2025-03-05', done: 5, total: 20 });
    expect(progressText(s.snapshot())).toBe('alice: 2025-03-05, 5 of 20 days (25 %)');
    const html = renderStatusPage(s.snapshot(), T0, { authRequired: false });
    expect(html).toMatch(/<p data-field="progress-box"><progress data-field="progress-bar" max="20" value="5"><\/progress> <span data-field="progress">alice: 2025-03-05, 5 of 20 days \(25 %\)/);
    s.running = false;
    expect(s.snapshot().progress).toBeUndefined();
    expect(renderStatusPage(s.snapshot(), T0, { authRequired: false })).toContain('<p data-field="progress-box" hidden>');
    s.running = true;
    expect(s.snapshot().progress).toBeUndefined();
  });

  it('the page polls /api/status and posts "Sync now" with fetch from the page itself', () => {
    const html = renderStatusPage(statusWith(['alice']).snapshot(), T0, { authRequired: true });
    expect(html).toContain("fetch('/api/status'");
    expect(html).toContain("fetch('/sync', { method: 'POST'");
    expect(html).toContain("headers.authorization = 'Bearer ' + token");
    expect(html).not.toMatch(/https?:\/\//); // every request stays on the page's origin
  });

  it('exports mifit_sync_days_failed per account', async () => {
    const metrics = createMetrics({ demo: false, defaultMetrics: false });
    metrics.observeResults([result('alice', T0, { daysFailed: 2, failedDays: failed }), result('bob', T0)]);
    const lines = (await metrics.registry.metrics()).split('\n').filter((l) => l.startsWith('mifit_sync_days_failed'));
    expect(lines).toEqual(['mifit_sync_days_failed{account="alice"} 2', 'mifit_sync_days_failed{account="bob"} 0']);
  });
});
