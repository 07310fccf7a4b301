// Option parsing shared by `sync` and `reprocess` (dates are checked before any I/O).
import { parseArgs } from 'node:util';
import { isIsoDate } from '../sync/dates.js';
import { SyncError } from '../sync/errors.js';
import type { SyncOptions } from '../sync/types.js';

/** `--from D --to D --account NAME [--force] [--verbose]` → SyncOptions and the verbose flag; throws SyncError SYNC_USAGE. */
export function parseSyncArgs(args: string[], allowForce: boolean): { opts: SyncOptions; verbose: boolean } {
  let values: { from?: string; to?: string; account?: string; force?: boolean; verbose?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: { from: { type: 'string' }, to: { type: 'string' }, account: { type: 'string' }, verbose: { type: 'boolean' }, ...(allowForce ? { force: { type: 'boolean' } } : {}) },
      strict: true,
      allowPositionals: false,
    }) as { values: typeof values });
  } catch (err) {
    throw new SyncError('SYNC_USAGE', (err as Error).message, { cause: err });
  }
  for (const k of ['from', 'to'] as const) {
    const v = values[k];
    if (v !== undefined && !isIsoDate(v)) throw new SyncError('SYNC_USAGE', `--${k} must be a date YYYY-MM-DD, got "${v}"`);
  }
  if (values.from && values.to && values.from > values.to) throw new SyncError('SYNC_USAGE', `--from ${values.from} is after --to ${values.to}`);
  const opts: SyncOptions = {};
  if (values.from) opts.from = values.from;
  if (values.to) opts.to = values.to;
  if (values.account) opts.account = values.account;
  if (values.force) opts.force = true;
  return { opts, verbose: !!values.verbose };
}
