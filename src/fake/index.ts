// The fake Huami cloud (the contract everything else is tested against): startFakeServer
// wires accounts, generated data, fault injection and the HTTP frame on 127.0.0.1.
import type { AddressInfo } from 'node:net';
import { DEMO_EMAIL, DEMO_PASSWORD, DEMO_USER_ID, FakeAccounts } from './accounts.js';
import { addDays, localDate } from './data/clock.js';
import { FakeEvents, type EventSwitches } from './data/events.js';
import { FakeDataStore, type FakeData } from './data/store.js';
import { Faults, type FaultInjector } from './faults.js';
import type { DataRouteSwitches } from './routes-data.js';
import { SportControls } from './routes-sport.js';
import { createFakeHttpServer, type RequestLogEntry } from './server.js';

export { DEMO_EMAIL, DEMO_PASSWORD, DEMO_USER_ID, FakeAccounts };
export type { FakeData, FaultInjector, RequestLogEntry, EventSwitches, FakeEvents };
export type { ClickTruth, EventItem, NightTruth, PaiTruth, StressTruth } from './data/events.js';
export type { DayOverride, WorkoutEdit } from './data/store.js';
export type { FakeWorkout, FakeTrackPoint, FakeHrSample, FakePause } from './data/workouts.js';
export type { FakeMember, FakeWeighIn } from './data/weights.js';
export { SportControls, type DetailThrottle } from './routes-sport.js';
export type { FakeDay, FakeDevice, Summary, SleepStage, StepStage } from './data/types.js';
export { MALFORMED_KINDS, POISON_KINDS, type MalformedKind, type PathMatch, type PoisonKind } from './faults.js';

export interface FakeServerOptions {
  port?: number;              // 0 = any free port (default)
  seed?: number;              // deterministic data (default 1)
  from?: string;              // first day with data, YYYY-MM-DD (default: 1 year before today)
  now?: () => Date;           // the server's clock (default: real clock)
  timezone?: string;          // IANA zone of the demo user (default 'Europe/Berlin')
  nightConvention?: 'wake-date' | 'evening-date';  // which record owns a night
  tzField?: 'actual' | 'standard';                  // summary `tz`: offset in force, or standard offset
  recordWidth?: 3 | 8;                              // bytes per minute in `data`
  appTokenTtlSeconds?: number; loginTokenTtlSeconds?: number; accessCodeTtlSeconds?: number;
  loginRateLimit?: { max: number; windowSeconds: number };
  quiet?: boolean;            // false: print one line per request to stderr (method, path, status; never the query)
  // Extensions beyond docs/architecture.md, for further uncertain behaviours (docs/huami-api.md "Fake server switches"):
  napAnchor?: 'sleep-anchor' | 'own-midnight';      // odd_stage minutes' anchor (unknown)
  unauthorizedBody?: DataRouteSwitches['unauthorizedBody'];
  userMismatch?: DataRouteSwitches['userMismatch'];
  eventsPaging?: EventSwitches['eventsPaging'];      // more items than `limit`: item-shaped `next` cursor, or cut silently
  readinessShape?: EventSwitches['readinessShape']; // readiness items: version 2 (`value`) or version 1 (flat strings)
  /** Called after each request (the CLI prints them unless quiet). */
  onRequest?: (entry: RequestLogEntry) => void;
}

export interface FakeServer {
  url: string; port: number;
  close(): Promise<void>;
  accounts: FakeAccounts;     // add accounts, expire/revoke tokens (src/fake/accounts.ts)
  faults: FaultInjector;      // 429 + Retry-After, 5xx bursts, slow answers, resets, malformed day
  data: FakeData;             // ground truth per user and day; mutate a day to simulate an upstream change
  requests: RequestLogEntry[];
  events: FakeEvents;         // health events (ground truth, `switches`, setBandOnly)
  sport: SportControls;       // workout/scale paging sizes, detail throttling, counters (src/fake/routes-sport.ts)
}

/** Start the fake cloud on 127.0.0.1 (never on other interfaces). */
export async function startFakeServer(opts: FakeServerOptions = {}): Promise<FakeServer> {
  const now = opts.now ?? (() => new Date());
  const timezone = opts.timezone ?? 'Europe/Berlin';
  const seed = opts.seed ?? 1;
  const accounts = new FakeAccounts({
    now, appTokenTtlSeconds: opts.appTokenTtlSeconds, loginTokenTtlSeconds: opts.loginTokenTtlSeconds,
    accessCodeTtlSeconds: opts.accessCodeTtlSeconds, loginRateLimit: opts.loginRateLimit,
  });
  if (!accounts.get(DEMO_USER_ID)) accounts.add({ email: DEMO_EMAIL, password: DEMO_PASSWORD, userId: DEMO_USER_ID });
  // The demo user lives in `timezone`; other accounts in their own zone (FakeAccountInit.timezone).
  const zoneFor = (userId: string) => (userId === DEMO_USER_ID ? timezone : (accounts.get(userId)?.timezone ?? timezone));
  const data = new FakeDataStore({
    seed, now, zoneFor,
    from: opts.from ?? addDays(localDate(now().getTime(), timezone), -365),
    nightConvention: opts.nightConvention ?? 'wake-date',
    tzField: opts.tzField ?? 'actual',
    recordWidth: opts.recordWidth ?? 3,
    napAnchor: opts.napAnchor ?? 'sleep-anchor',
  });
  const events = new FakeEvents(data, seed, now, zoneFor, { eventsPaging: opts.eventsPaging ?? 'next', readinessShape: opts.readinessShape ?? 'value' });
  const faults = new Faults();
  const requests: RequestLogEntry[] = [];
  const print = opts.quiet === false ? (e: RequestLogEntry) => process.stderr.write(`${e.method} ${e.path} ${e.status}\n`) : undefined;
  const onRequest = (e: RequestLogEntry) => {
    print?.(e);
    opts.onRequest?.(e);
  };
  const sport = new SportControls();
  const ctx = {
    accounts, now, faults, requests, publicUrl: '', onRequest, events, sport,
    data: { data, seed, switches: { unauthorizedBody: opts.unauthorizedBody ?? 'invalid-token', userMismatch: opts.userMismatch ?? 'unauthorized' } },
  };
  const server = createFakeHttpServer(ctx);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  ctx.publicUrl = `http://127.0.0.1:${port}`;
  return {
    url: ctx.publicUrl, port, accounts, faults, data, requests, events, sport,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
