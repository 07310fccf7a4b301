// The status page ("/"): HTML from a snapshot, plus a small inline script (no framework)
// that keeps it current: it polls /api/status (every second while a run is going, every
// 15 s otherwise), shows the running sync's progress, and when a run ends fetches "/" again
// and swaps in the new #status part without reloading the page. "Sync now" posts with
// fetch() from the page itself (same origin) and shows the answer in place; without
// JavaScript the form still posts. Every value is escaped; no secret is ever part of a
// snapshot, so none can reach the page (test/unit/daemon-page.test.ts).
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

function failedDaysCell(a: AccountStatus): string {
  if (!a.failedDays.length) return 'none';
  const shown = a.failedDays.slice(0, 10).map((f) => `<li><span data-date>${escapeHtml(f.date)}</span> <code title="${escapeHtml(f.message)}">${escapeHtml(f.code)}</code></li>`);
  const more = a.failedDays.length > shown.length ? `<li>and ${escapeHtml(a.failedDays.length - shown.length)} more</li>` : '';
  return `<strong>${escapeHtml(a.failedDays.length)}</strong><ul>${shown.join('')}${more}</ul>`;
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
    ['newest-upload', escapeHtml(formatWhen(a.lastDataAt, now, z))],
    ['failed-days', failedDaysCell(a)],
    ['token-age', a.tokenObtainedAt === undefined ? '—' : escapeHtml(formatDuration(a.tokenObtainedAt - now).replace(' ago', ''))],
    ['token-expires', escapeHtml(formatWhen(a.tokenExpiresAt, now, z))],
    ['last-error', err],
  ];
  return `<tr data-account="${escapeHtml(a.account)}">${cells.map(([k, v]) => `<td data-field="${k}">${v}</td>`).join('')}</tr>`;
}

/** "anna: 2025-03-28, 5 of 20 days (25 %)"; empty when no run is going or it has no day yet. */
export function progressText(s: DaemonSnapshot): string {
  const p = s.progress;
  if (!s.running) return '';
  if (!p) return 'starting…';
  const pct = p.total > 0 ? Math.floor((p.done / p.total) * 100) : 100;
  return `${p.account}: ${p.day}, ${p.done} of ${p.total} days (${pct} %)`;
}

export interface PageOptions {
  authRequired: boolean;
}

/** The part of the page the script replaces when a run ends (everything that shows state). */
function statusPart(s: DaemonSnapshot, now: number): string {
  const p = s.progress;
  return `<p>State: <span data-field="state">${s.running ? 'a sync is running' : 'idle'}</span> ·
runs since start: <span data-field="runs">${escapeHtml(s.runCount)}</span> ·
last run finished: <span data-field="last-run">${escapeHtml(formatWhen(s.lastRunFinishedAt, now, s.timezone))}</span> ·
schedule: <code>${escapeHtml(s.schedule)}</code> (${escapeHtml(s.timezone)}) · version ${escapeHtml(s.version)}</p>
<p data-field="progress-box"${s.running ? '' : ' hidden'}><progress data-field="progress-bar" max="${escapeHtml(p?.total ?? 1)}" value="${escapeHtml(p?.done ?? 0)}"></progress> <span data-field="progress">${escapeHtml(progressText(s))}</span></p>
<table><thead><tr><th>Account</th><th>Last successful sync</th><th>Next run</th><th>Days behind</th><th>Newest day</th><th>Newest band upload</th><th>Failed days</th><th>Token age</th><th>Token expires</th><th>Last error</th></tr></thead>
<tbody>
${s.accounts.map((a) => accountRow(a, s, now)).join('\n')}
</tbody></table>`;
}

// The page's script. Plain ES2020, no framework; it only reads /api/status and "/" and posts
// to /sync, all on the page's own origin.
const SCRIPT = `
(() => {
  const $ = (f) => document.querySelector('[data-field="' + f + '"]');
  let known = null; // { running, runCount } of the last poll
  let timer;
  const schedule = (running) => { clearTimeout(timer); timer = setTimeout(poll, running ? 1000 : 15000); };
  const showProgress = (s) => {
    const box = $('progress-box'), bar = $('progress-bar'), text = $('progress');
    box.hidden = !s.running;
    $('state').textContent = s.running ? 'a sync is running' : 'idle';
    const p = s.progress;
    if (!s.running) return;
    if (!p) { text.textContent = 'starting…'; return; }
    bar.max = p.total; bar.value = p.done;
    const pct = p.total > 0 ? Math.floor(p.done / p.total * 100) : 100;
    text.textContent = p.account + ': ' + p.day + ', ' + p.done + ' of ' + p.total + ' days (' + pct + ' %)';
  };
  const refreshAll = async () => {
    const html = await (await fetch('/', { headers: { accept: 'text/html' }, cache: 'no-store' })).text();
    const fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('status');
    if (fresh) document.getElementById('status').innerHTML = fresh.innerHTML;
  };
  async function poll() {
    let s;
    try {
      s = await (await fetch('/api/status', { headers: { accept: 'application/json' }, cache: 'no-store' })).json();
    } catch {
      schedule(false);
      return;
    }
    const changed = !known || known.running !== s.running || known.runCount !== s.runCount;
    if (changed && known) await refreshAll().catch(() => undefined);
    known = { running: s.running, runCount: s.runCount };
    showProgress(s);
    schedule(s.running);
  }
  const form = document.getElementById('sync-form');
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const answer = $('sync-answer');
    const token = form.elements.token ? form.elements.token.value : '';
    const headers = { accept: 'application/json' };
    if (token) headers.authorization = 'Bearer ' + token;
    answer.textContent = 'Starting…';
    try {
      const res = await fetch('/sync', { method: 'POST', headers, cache: 'no-store' });
      const body = await res.json().catch(() => ({}));
      answer.dataset.status = String(res.status);
      answer.textContent = body.message || ('HTTP ' + res.status);
    } catch (err) {
      answer.dataset.status = 'error';
      answer.textContent = 'The daemon did not answer: ' + err.message;
    }
    poll();
  });
  poll();
})();
`;

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
td ul{margin:.2rem 0 0;padding-left:1rem}progress{width:14rem}
.demo{background:#fff4d6;border:1px solid #e6c15a;padding:.6rem}small{color:#555}
</style></head><body>
<h1>mifit-sync</h1>
${demo}
<div id="status">
${statusPart(s, now)}
</div>
<form id="sync-form" method="post" action="/sync">${tokenField}<button type="submit">Sync now</button> <span data-field="sync-answer" role="status"></span></form>
<p><small><a href="/healthz">/healthz</a> · <a href="/metrics">/metrics</a> · <a href="/api/status">/api/status</a> · this page updates itself</small></p>
<script>${SCRIPT}</script>
</body></html>
`;
}

/** The small page answering a "Sync now" press from the form without JavaScript (back to / after 2 s). */
export function renderSyncAnswer(httpStatus: number, message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="2;url=/"><title>mifit-sync: sync</title></head>
<body><p data-field="sync-answer" data-status="${httpStatus}">${escapeHtml(message)}</p><p><a href="/">Back to the status page</a></p></body></html>
`;
}
