// The status page ("/"): pure HTML from a snapshot. Every value is escaped; no secret
// is ever part of a snapshot, so none can reach the page (test/unit/daemon-page.test.ts).
import { DateTime } from 'luxon';
import { describeError } from './plain-errors.js';
import type { AccountStatus, DaemonSnapshot } from './status.js';

/** Escape text for HTML element content and quoted attribute values. */
export function escapeHtml(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** A time in the daemon's zone, with how long ago / from now. */
export function formatWhen(ms: number | undefined, now: number, zone: string): string {
  if (ms === undefined) return '—';
  const t = DateTime.fromMillis(ms, { zone }).toFormat('yyyy-LL-dd HH:mm ZZ');
  return `${t} (${formatDuration(ms - now)})`;
}

/** "in 3 h 5 min" / "12 min ago" / "2 d ago". */
export function formatDuration(deltaMs: number): string {
  const abs = Math.abs(deltaMs);
  const min = Math.round(abs / 60_000);
  const text = abs < 60_000 ? 'less than a minute' : min < 120 ? `${min} min` : min < 48 * 60 ? `${Math.floor(min / 60)} h ${min % 60} min` : `${Math.floor(min / 1440)} d`;
  return deltaMs >= 0 ? `in ${text}` : `${text} ago`;
}

function accountRow(a: AccountStatus, s: DaemonSnapshot, now: number): string {
  const z = s.timezone;
  const failedLast = a.lastError !== undefined && (a.lastSuccessAt === undefined || a.lastError.at >= a.lastSuccessAt);
  const err = failedLast && a.lastError
    ? `<strong>${escapeHtml(describeError(a.lastError.code))}</strong><br><small>${escapeHtml(a.lastError.code)}: ${escapeHtml(a.lastError.message)} — ${escapeHtml(formatWhen(a.lastError.at, now, z))}</small>`
    : a.credentialsError
      ? `<strong>${escapeHtml(describeError(a.credentialsError.code))}</strong><br><small>${escapeHtml(a.credentialsError.code)}: ${escapeHtml(a.credentialsError.message)}</small>`
      : 'none';
  const cells = [
    ['account', escapeHtml(a.account)],
    ['last-sync', a.lastRun ? `${escapeHtml(formatWhen(a.lastSuccessAt, now, z))}${a.lastRun.ok ? '' : ' (last attempt failed)'}` : a.lastError ? 'failed' : 'not yet'],
    ['next-run', escapeHtml(formatWhen(s.nextRunAt, now, z))],
    ['days-behind', a.daysBehind === undefined ? '—' : escapeHtml(a.daysBehind)],
    ['last-day', escapeHtml(a.lastWrittenDay ?? '—')],
    ['token-age', a.tokenObtainedAt === undefined ? '—' : escapeHtml(formatDuration(a.tokenObtainedAt - now).replace(' ago', ''))],
    ['token-expires', escapeHtml(formatWhen(a.tokenExpiresAt, now, z))],
    ['last-error', err],
  ];
  return `<tr data-account="${escapeHtml(a.account)}">${cells.map(([k, v]) => `<td data-field="${k}">${v}</td>`).join('')}</tr>`;
}

export interface PageOptions {
  authRequired: boolean;
}

/** The whole status page. */
export function renderStatusPage(s: DaemonSnapshot, now: number, opts: PageOptions): string {
  const demo = s.demo
    ? `<p class="demo" data-field="demo">Demo mode: no account is configured, so the built-in demo account (made-up data, tagged <code>user=demo</code>) is synced. Set HUAMI_EMAIL and HUAMI_PASSWORD (see README) to sync your own band.</p>`
    : '';
  const tokenField = opts.authRequired
    ? `<label>Token <input type="password" name="token" autocomplete="current-password" required></label> `
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>mifit-sync status</title>
<style>
body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222}table{border-collapse:collapse;width:100%}
td,th{border:1px solid #ccc;padding:.4rem .6rem;text-align:left;vertical-align:top}th{background:#f3f3f3}
.demo{background:#fff4d6;border:1px solid #e6c15a;padding:.6rem}small{color:#555}
</style></head><body>
<h1>mifit-sync</h1>
${demo}
<p>State: <span data-field="state">${s.running ? 'a sync is running' : 'idle'}</span> ·
runs since start: <span data-field="runs">${escapeHtml(s.runCount)}</span> ·
last run finished: <span data-field="last-run">${escapeHtml(formatWhen(s.lastRunFinishedAt, now, s.timezone))}</span> ·
schedule: <code>${escapeHtml(s.schedule)}</code> (${escapeHtml(s.timezone)}) · version ${escapeHtml(s.version)}</p>
<table><thead><tr><th>Account</th><th>Last successful sync</th><th>Next run</th><th>Days behind</th><th>Newest day</th><th>Token age</th><th>Token expires</th><th>Last error</th></tr></thead>
<tbody>
${s.accounts.map((a) => accountRow(a, s, now)).join('\n')}
</tbody></table>
<form method="post" action="/sync">${tokenField}<button type="submit">Sync now</button></form>
<p><small><a href="/">Refresh</a> · <a href="/healthz">/healthz</a> · <a href="/metrics">/metrics</a> · <a href="/api/status">/api/status</a></small></p>
</body></html>
`;
}

/** The small page answering a "Sync now" press from the form (back to / after 2 s). */
export function renderSyncAnswer(httpStatus: number, message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="2;url=/"><title>mifit-sync: sync</title></head>
<body><p data-field="sync-answer" data-status="${httpStatus}">${escapeHtml(message)}</p><p><a href="/">Back to the status page</a></p></body></html>
`;
}
