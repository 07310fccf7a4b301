// The daemon's view of every account: what the last runs and credential checks said.
// One mutable store owned by the daemon; the HTTP layer only reads snapshots of it.
import type { AccountRunResult, FailedDay } from '../sync/types.js';

export interface AccountStatus {
  /** The account's label, else its masked e-mail until its first login (then the label). */
  account: string;
  /** The row's key: the account's state folder, stable across runs, outages and logins. */
  key?: string;
  /** Shown under a masked e-mail: no metric is labelled with it. */
  unidentified?: boolean;
  timezone: string;
  lastRun?: AccountRunResult;
  /** Epoch ms of the end of the last successful run. */
  lastSuccessAt?: number;
  lastError?: { code: string; message: string; at: number };
  daysBehind?: number;
  lastWrittenDay?: string;
  /** Epoch ms of the band's newest upload (its newest sync with the cloud), from the last run that saw one. */
  lastDataAt?: number;
  /** Days in the failed state after the last run (each with its reason code). */
  failedDays: FailedDay[];
  /** Epoch ms; from the last run or credentials check. */
  tokenExpiresAt?: number;
  tokenObtainedAt?: number;
  /** Set when the last credentials check failed; cleared by a good one. */
  credentialsError?: { code: string; message: string; at: number };
  runs: number;
  failures: number;
}

/** Where the running sync is: the account and day it is at, days done of planned. */
export interface RunProgress {
  account: string;
  day: string;
  done: number;
  total: number;
}

export interface DaemonSnapshot {
  version: string;
  demo: boolean;
  startedAt: number;
  running: boolean;
  /** While running: the account being synced and how far it is (absent before its first day). */
  progress?: RunProgress;
  /** Runs finished (any outcome, including aborted ones) since start. */
  runCount: number;
  lastRunStartedAt?: number;
  lastRunFinishedAt?: number;
  nextRunAt?: number;
  schedule: string;
  timezone: string;
  accounts: AccountStatus[];
}

/** Status entry of a whole-run failure before any account name is known. */
export const ALL_ACCOUNTS = '(all accounts)';

/** Epoch ms from a time that may be given in seconds or milliseconds (contracts differ). */
export function toMs(t: number | undefined): number | undefined {
  if (t === undefined || !Number.isFinite(t) || t <= 0) return undefined;
  return t < 1e12 ? Math.round(t * 1000) : Math.round(t);
}

export class DaemonStatus {
  private readonly accounts = new Map<string, AccountStatus>();
  readonly startedAt: number;
  private isRunning = false;
  private progress?: RunProgress;
  runCount = 0;
  lastRunStartedAt?: number;
  lastRunFinishedAt?: number;
  nextRunAt?: number;

  constructor(
    readonly opts: { version: string; demo: boolean; schedule: string; timezone: string; accounts: { name: string; key?: string; unidentified?: boolean; timezone: string }[] },
    now: number,
  ) {
    this.startedAt = now;
    for (const a of opts.accounts) {
      const key = a.key ?? a.name;
      this.accounts.set(key, { account: a.name, ...(a.key ? { key } : {}), ...(a.unidentified ? { unidentified: true } : {}), timezone: a.timezone, failedDays: [], runs: 0, failures: 0 });
    }
  }

  /** Whether a run is going; a new run starts without the last run's progress. */
  get running(): boolean {
    return this.isRunning;
  }
  set running(r: boolean) {
    if (r !== this.isRunning) this.progress = undefined;
    this.isRunning = r;
  }

  /** The running sync reached `e.day` of `e.account` (the sync's onProgress). */
  recordProgress(e: RunProgress): void {
    if (this.isRunning) this.progress = { account: e.account, day: e.day, done: e.done, total: e.total };
  }

  /**
   * The row of one account, created on first use. Rows are keyed by the account's key (its
   * state folder), so the row shown under a masked e-mail before the first login is the one
   * that carries the label afterwards; without a key, by the name shown.
   */
  account(name: string, key?: string, unidentified = false): AccountStatus {
    const k = key ?? name;
    let s = this.accounts.get(k) ?? (key === undefined ? [...this.accounts.values()].find((a) => a.account === name) : undefined);
    if (!s) {
      s = { account: name, ...(key ? { key } : {}), ...(unidentified ? { unidentified: true } : {}), timezone: this.opts.timezone, failedDays: [], runs: 0, failures: 0 };
      this.accounts.set(k, s);
    } else if (key !== undefined && !unidentified) {
      // The label replaces the masked e-mail; a placeholder never replaces a label.
      s.account = name;
      delete s.unidentified;
    }
    return s;
  }

  /** Record runSync's per-account results. */
  recordResults(results: readonly AccountRunResult[]): void {
    if (results.length) this.accounts.delete(ALL_ACCOUNTS);
    for (const r of results) {
      const s = this.account(r.account, r.key, r.unidentified);
      s.lastRun = r;
      s.runs += 1;
      s.daysBehind = r.daysBehind;
      if (r.lastWrittenDay) s.lastWrittenDay = r.lastWrittenDay;
      const seen = toMs(r.lastDataAt);
      if (seen !== undefined) s.lastDataAt = seen;
      s.failedDays = r.failedDays.map((f) => ({ ...f }));
      const exp = toMs(r.tokenExpiresAt);
      if (exp !== undefined) s.tokenExpiresAt = exp;
      const end = toMs(r.finishedAt) ?? Date.now();
      if (r.ok) {
        s.lastSuccessAt = end;
        delete s.lastError;
        // A successful run proves the credentials work, whatever the last check said.
        delete s.credentialsError;
      } else {
        s.failures += 1;
        s.lastError = { code: r.error?.code ?? 'SYNC_FAILED', message: r.error?.message ?? 'the run failed', at: end };
      }
    }
  }

  /**
   * A run that failed as a whole (runSync threw, its worker died): every account it covered
   * (`keys`, its rows' keys; all when undefined) counts as failed. Returns those rows.
   */
  recordRunFailure(code: string, message: string, at: number, keys?: readonly string[]): AccountStatus[] {
    // Unnamed accounts are only known by name once a run returns; until then the failure
    // is kept under ALL_ACCOUNTS so /healthz and the page still show it.
    if (this.accounts.size === 0) this.account(ALL_ACCOUNTS);
    const only = keys ? new Set(keys) : undefined;
    const rows = [...this.accounts.entries()].filter(([k]) => !only || only.has(k)).map(([, s]) => s);
    for (const s of rows) {
      s.runs += 1;
      s.failures += 1;
      s.lastError = { code, message, at };
    }
    return structuredClone(rows);
  }

  /** Record a credentials check of one account. */
  recordCredentials(name: string, tok: { obtainedAt?: number | undefined; expiresAt?: number | undefined } | undefined, error?: { code: string; message: string }, at = Date.now(), key?: string, unidentified = false): void {
    const s = this.account(name, key, unidentified);
    if (error) {
      s.credentialsError = { ...error, at };
      return;
    }
    delete s.credentialsError;
    this.recordToken(name, tok, key, unidentified);
  }

  /** Note the token times the client holds (after a run), without judging the credentials. */
  recordToken(name: string, tok: { obtainedAt?: number | undefined; expiresAt?: number | undefined } | undefined, key?: string, unidentified = false): void {
    const s = this.account(name, key, unidentified);
    const exp = toMs(tok?.expiresAt);
    const got = toMs(tok?.obtainedAt);
    if (exp !== undefined) s.tokenExpiresAt = exp;
    if (got !== undefined) s.tokenObtainedAt = got;
  }

  /** A copy that is safe to hand out (JSON, page, health). */
  snapshot(): DaemonSnapshot {
    return structuredClone({
      version: this.opts.version,
      demo: this.opts.demo,
      startedAt: this.startedAt,
      running: this.isRunning,
      ...(this.isRunning && this.progress ? { progress: this.progress } : {}),
      runCount: this.runCount,
      ...(this.lastRunStartedAt !== undefined ? { lastRunStartedAt: this.lastRunStartedAt } : {}),
      ...(this.lastRunFinishedAt !== undefined ? { lastRunFinishedAt: this.lastRunFinishedAt } : {}),
      ...(this.nextRunAt !== undefined ? { nextRunAt: this.nextRunAt } : {}),
      schedule: this.opts.schedule,
      timezone: this.opts.timezone,
      accounts: [...this.accounts.values()],
    });
  }
}
