// A client factory for createClientPool (src/fetch/pool.ts) that watches the band-data
// requests of every account: when each started and how many were in flight at most. The
// many-accounts bench and the SYNC_CONCURRENCY test measure the same thing with it.
import { HuamiClient, type HuamiClientOptions } from './client.js';
import type { ClientFactory } from './pool.js';

export interface BandDataWatch {
  factory: ClientFactory;
  /** performance.now() at the start of each band-data request, in order. */
  starts: number[];
  maxInFlight(): number;
}

export function watchBandData(): BandDataWatch {
  const starts: number[] = [];
  let inFlight = 0;
  let most = 0;
  const factory = (o: HuamiClientOptions): HuamiClient => {
    const c = new HuamiClient(o);
    const fetch = c.fetchBandData.bind(c);
    c.fetchBandData = async (...args) => {
      starts.push(performance.now());
      most = Math.max(most, ++inFlight);
      try {
        return await fetch(...args);
      } finally {
        inFlight--;
      }
    };
    return c;
  };
  return { factory, starts, maxInFlight: () => most };
}
