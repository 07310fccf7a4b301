// The end-of-run summary printed to stdout by `sync` and `reprocess`: one block per account.
import type { AccountRunResult } from './types.js';

/** Plain-text summary of a run, one block per account, ending with a newline. */
export function formatSummary(results: readonly AccountRunResult[], title = 'sync'): string {
  if (results.length === 0) return `${title}: no account ran\n`;
  const lines: string[] = [];
  for (const r of results) {
    const secs = ((r.finishedAt - r.startedAt) / 1000).toFixed(1);
    lines.push(`${title} ${r.account}: ${r.ok ? 'ok' : 'FAILED'} in ${secs} s`);
    lines.push(`  days fetched  ${r.daysFetched}`);
    lines.push(`  days written  ${r.daysWritten}`);
    lines.push(`  points        ${r.points}`);
    lines.push(`  warnings      ${r.warnings}`);
    lines.push(`  requests      ${r.requests}`);
    if (r.lastWrittenDay) lines.push(`  synced up to  ${r.lastWrittenDay} (${r.daysBehind} days behind)`);
    for (const n of r.notReplayed ?? []) lines.push(`  not replayed  ${n.date}: ${n.reason}`);
    for (const f of r.failedDays) lines.push(`  day failed    ${f.date} [${f.code}] ${f.message}`);
    if (r.error) lines.push(`  error         [${r.error.code}] ${r.error.message}`);
  }
  return `${lines.join('\n')}\n`;
}
