import { describe, expect, it } from 'vitest';
import { escapeHtml, formatDuration, formatWhen, renderStatusPage } from '../../src/daemon/page.js';
import { describeError } from '../../src/daemon/plain-errors.js';
import { T0, result, statusWith } from '../support/daemon-fixtures.js';

describe('status page', () => {
  it('escapes every character that could open markup or leave an attribute', () => {
    expect(escapeHtml(`<img src=x onerror="a('b')">&`)).toBe('&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;');
  });

  it('shows a hostile error message as text, not markup', () => {
    const s = statusWith(['alice']);
    s.recordResults([result('alice', T0, { error: { code: 'HUAMI_HTTP', message: '<script>alert(1)</script>' } })]);
    const html = renderStatusPage(s.snapshot(), T0, { authRequired: false });
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('explains the last error in plain words next to its code', () => {
    const s = statusWith(['alice']);
    s.recordResults([result('alice', T0, { error: { code: 'INFLUX_UNREACHABLE', message: 'connect ECONNREFUSED 127.0.0.1:8086' } })]);
    const html = renderStatusPage(s.snapshot(), T0, { authRequired: false });
    expect(html).toContain(describeError('INFLUX_UNREACHABLE'));
    expect(html).toContain('INFLUX_UNREACHABLE: connect ECONNREFUSED');
  });

  it('shows per account the last sync, days behind, newest day and token expiry in the daemon zone', () => {
    const s = statusWith(['alice']);
    s.recordResults([result('alice', T0, { daysBehind: 2, lastWrittenDay: '2025-03-28', tokenExpiresAt: T0 + 3 * 86_400_000 })]);
    const html = renderStatusPage(s.snapshot(), T0 + 5 * 60_000, { authRequired: false });
    // T0 is 10:00 UTC on the DST day: 12:00 summer time in Berlin.
    expect(html).toMatch(/data-field="last-sync">2025-03-30 12:00 \+02:00 \(5 min ago\)/);
    expect(html).toMatch(/data-field="days-behind">2</);
    expect(html).toMatch(/data-field="last-day">2025-03-28</);
    expect(html).toMatch(/data-field="token-expires">2025-04-02 12:00 \+02:00/);
    expect(html).toMatch(/data-field="last-error">none</);
  });

  it('says demo mode on the page only when the demo account is synced', () => {
    expect(renderStatusPage(statusWith(['demo'], true).snapshot(), T0, { authRequired: false })).toContain('Demo mode');
    expect(renderStatusPage(statusWith(['alice'], false).snapshot(), T0, { authRequired: false })).not.toContain('Demo mode');
  });

  it('asks for the token in a password field only when HTTP_AUTH_TOKEN is set', () => {
    const s = statusWith(['alice']).snapshot();
    expect(renderStatusPage(s, T0, { authRequired: true })).toMatch(/<input type="password" name="token"/);
    expect(renderStatusPage(s, T0, { authRequired: false })).not.toContain('name="token"');
    expect(renderStatusPage(s, T0, { authRequired: false })).toMatch(/<form id="sync-form" method="post" action="\/sync">.*Sync now/);
  });

  it.each([
    [30_000, 'in less than a minute'],
    [-5 * 60_000, '5 min ago'],
    [3 * 3_600_000 + 5 * 60_000, 'in 3 h 5 min'],
    [-3 * 86_400_000, '3 d ago'],
  ])('formats a %i ms distance as "%s"', (d, text) => {
    expect(formatDuration(d)).toBe(text);
  });

  it('shows a dash for an unknown time', () => {
    expect(formatWhen(undefined, T0, 'UTC')).toBe('—');
  });
});
