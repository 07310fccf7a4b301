// The end-of-run summary printed to stdout by `sync` and `reprocess`: one block per account,
// and the outcome and exit code that go with it. Every fetched day is accounted for:
// fetched = written + unchanged + no data + failed (+ not written when the run stopped).
import type { AccountRunResult } from '../sync/types.js';

export type Outcome = 'ok' | 'failed' | 'interrupted';

/** One account's outcome: interrupted (stopped by Ctrl-C/SIGTERM) wins over failed. */
export function outcomeOf(r: AccountRunResult): Outcome {
  if (r.aborted) return 'interrupted';
  return r.ok ? 'ok' : 'failed';
}

/**
 * The exit code of a run: 130 when it was interrupted, 1 when any account failed or none
 * ran, else 0. `interrupted` is whether the stop signal was received at all (it also
 * covers accounts that never started).
 */
export function exitCodeOf(results: readonly AccountRunResult[], interrupted: boolean): number {
  if (interrupted || results.some((r) => r.aborted)) return 130;
  // A failed day needs attention as much as a failed account (its reason is in the summary).
  return results.length > 0 && results.every((r) => r.ok && r.daysFailed === 0) ? 0 : 1;
}

const row = (label: string, value: string | number, note = ''): string => `  ${label.padEnd(15)}${String(value).padStart(6)}${note ? `  ${note}` : ''}`;

function block(r: AccountRunResult, title: string): string[] {
  const secs = (Math.max(0, r.finishedAt - r.startedAt) / 1000).toFixed(1);
  const lines = [`${title} ${r.account}: ${outcomeOf(r)} in ${secs} s`];
  const rest = r.daysFetched - r.daysWritten - r.daysUnchanged - r.daysNoData - r.daysFailed;
  lines.push(row('days fetched', r.daysFetched, `= written + unchanged + no data + failed${rest > 0 ? ' + not written' : ''}`));
  lines.push(row('days written', r.daysWritten, 'new or changed, now in InfluxDB'));
  lines.push(row('days unchanged', r.daysUnchanged, 'same data as already written'));
  lines.push(row('days no data', r.daysNoData, 'the band uploaded nothing for these days'));
  lines.push(row('days failed', r.daysFailed, r.daysFailed ? 'tried again by later runs (listed below)' : ''));
  const stopped = !r.ok || r.aborted;
  if (rest > 0) lines.push(row('not written', rest, stopped ? 'the run stopped before these were written; the next run fetches them again' : 'not yet decided; the next run fetches them again'));
  lines.push(row('points', r.points));
  lines.push(row('warnings', r.warnings));
  lines.push(row('requests', r.requests));
  const ev = r.events;
  if (ev) {
    const skipped = ev.skipped.length ? `; ${ev.skipped.length} without data so far, asked again tomorrow` : '';
    lines.push(row('event days', ev.daysWritten, `health events written (${ev.daysUnchanged} unchanged, ${ev.daysFailed} failed, ${ev.requests} of the requests${skipped})`));
  }
  if (r.lastWrittenDay) lines.push(`  synced up to   ${r.lastWrittenDay} (${r.daysBehind} ${r.daysBehind === 1 ? 'day' : 'days'} behind)`);
  for (const f of r.failedDays) lines.push(`  failed day     ${f.date} [${f.code}] ${f.message} (attempt ${f.attempts})`);
  for (const n of r.notReplayed ?? []) lines.push(`  not replayed   ${n.date}: ${n.reason}`);
  if (r.error) lines.push(`  error          [${r.error.code}] ${r.error.message}`);
  if (r.aborted) lines.push('  interrupted    days not written stay pending; the next run continues from them');
  return lines;
}

/** Plain-text summary of a run, one block per account, ending with a newline. */
export function formatSummary(results: readonly AccountRunResult[], title = 'sync', interrupted = false): string {
  const lines: string[] = [];
  if (results.length === 0) lines.push(`${title}: no account ran${interrupted ? ' (interrupted before the first account)' : ''}`);
  for (const r of results) lines.push(...block(r, title));
  if (interrupted && results.length > 0 && !results.some((r) => r.aborted)) {
    lines.push(`${title}: interrupted; accounts not listed above were not synced`);
  }
  return `${lines.join('\n')}\n`;
}
