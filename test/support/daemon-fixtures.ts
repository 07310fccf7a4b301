// Builders of daemon state for tests: a run result and a status store with one account.
import type { AccountRunResult } from '../../src/sync/types.js';
import { DaemonStatus } from '../../src/daemon/status.js';

export const T0 = Date.UTC(2025, 2, 30, 10, 0, 0); // a Sunday, the day Europe/Berlin moves to summer time

/** A successful (or, with `error`, failed) run result of `account`, ending at `at`. */
export function result(account: string, at: number, over: Partial<AccountRunResult> = {}): AccountRunResult {
  return {
    account,
    ok: over.error === undefined,
    daysFetched: 3,
    daysWritten: 2,
    daysUnchanged: 1,
    daysNoData: 0,
    daysFailed: 0,
    failedDays: [],
    points: 1234,
    warnings: 0,
    requests: 4,
    lastWrittenDay: '2025-03-29',
    daysBehind: 1,
    tokenExpiresAt: at + 80 * 86_400_000,
    startedAt: at - 5_000,
    finishedAt: at,
    ...over,
  };
}

/** A status store with the given accounts, started at T0. */
export function statusWith(accounts: string[] = ['alice'], demo = false): DaemonStatus {
  return new DaemonStatus(
    { version: '0.0.0-test', demo, schedule: '*/30 * * * *', timezone: 'Europe/Berlin', accounts: accounts.map((name) => ({ name, timezone: 'Europe/Berlin' })) },
    T0,
  );
}
