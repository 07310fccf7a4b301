// Where an account stands, read from STATE_DIR without any network call: the one definition
// of "synced up to", days behind, failed days and the raw archive that `status` shares with
// the sync's own result (docs/architecture.md "Day life cycle").
import { todayIn } from './dates.js';
import { progressOf, type DayStatus } from './lifecycle.js';
import { RawArchive } from '../store/raw-archive.js';
import { StateStore } from '../store/state.js';
import { readEventFailures } from './events.js';
import type { FailedDay } from './types.js';

export interface AccountStanding {
  /** The newest day the band uploaded, once no earlier day is pending. */
  syncedUpTo: string | undefined;
  daysBehind: number;
  newestDataDay: string | undefined;
  /** Days per state over the ordinary range. */
  days: Record<DayStatus, number>;
  failedDays: FailedDay[];
  archivedDays: number;
}

/** Read one account's day states and archive (`key`: its state folder) as of `now`. */
export async function readStanding(stateDir: string, key: string, zone: string, now: Date): Promise<AccountStanding> {
  const store = new StateStore(stateDir, key);
  const [states, account, archived, events] = await Promise.all([store.loadAll(), store.readAccount(), new RawArchive(stateDir, key).dates(), readEventFailures(stateDir, key)]);
  const p = progressOf(states, account?.syncStart, todayIn(zone, now), account?.newestDataDay);
  return {
    syncedUpTo: p.syncedUpTo,
    daysBehind: p.daysBehind,
    newestDataDay: p.newestDataDay,
    days: p.counts,
    failedDays: [...p.failed.map((s) => ({ date: s.date, code: s.failure?.code ?? '', message: s.failure?.message ?? '', attempts: s.failure?.attempts ?? 0, retryAfter: s.failure?.retryAfter ?? 0 })), ...events],
    archivedDays: archived.length,
  };
}
