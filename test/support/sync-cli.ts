// Helpers for the sync integration tests: run the built CLI (`node dist/cli.js`) as a
// child process with a clean environment, and read back what InfluxDB holds per user.
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { influxQuery, rows } from './influxd.js';
import { DEMO_EMAIL } from '../../src/fake/accounts.js';
import { accountKey } from '../../src/store/identity.js';
import { recordedDatesSync } from '../../src/store/state.js';
import { archiveLog } from './log-archive.js';
import { tempDir } from './tmp.js';

/** The demo account's folder under STATE_DIR: named after its e-mail (a hash), whatever ACCOUNT_NAME says. */
export const DEMO_KEY = accountKey({ email: DEMO_EMAIL, userId: '' });

export const CLI = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');

/** Measurements a sync writes for a day (sync_run is about the run, not the data). */
export const DATA_MEASUREMENTS = ['activity_daily', 'activity_stage', 'sleep_daily', 'sleep_stage', 'heart_rate', 'activity_minute', 'activity_hourly'] as const;
/** The band data and the workout and weigh-in measurements (src/sync/workouts.ts). */
export const ALL_MEASUREMENTS = [...DATA_MEASUREMENTS, 'workout', 'workout_sample', 'weigh_in'] as const;

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Start `node dist/cli.js ...args` with only PATH/HOME from this process plus `env`. */
export function spawnCli(args: string[], env: Record<string, string>): ChildProcess & { output: { stdout: string; stderr: string } } {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  }) as ChildProcess & { output: { stdout: string; stderr: string } };
  child.output = { stdout: '', stderr: '' };
  child.stdout?.on('data', (b: Buffer) => (child.output.stdout += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (child.output.stderr += b.toString()));
  child.once('close', () => archiveLog(args[0] ?? 'cli', child.output.stdout + child.output.stderr));
  return child;
}

/** Run the CLI to the end (killed after timeoutMs). */
export function runCli(args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<CliResult> {
  const child = spawnCli(args, env);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, ...child.output });
    });
  });
}

/** A fresh STATE_DIR, removed after the test file (test/support/tmp.ts). */
export function tempStateDir(): string {
  return tempDir('mifit-sync-state-');
}

/** The days a sync recorded a state for, for `account` (its days/ folder), sorted. */
export function doneDays(stateDir: string, account: string): string[] {
  return recordedDatesSync(join(stateDir, account, 'days'));
}

/** Fresh STATE_DIRs for one test file, all removed by `removeAll` (in afterAll). */
export function stateDirs(): { make(): string; removeAll(): void } {
  const dirs: string[] = [];
  return {
    make() {
      const d = tempStateDir();
      dirs.push(d);
      return d;
    },
    removeAll() {
      for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    },
  };
}

export interface SyncEnvInit {
  influxUrl: string;
  db: string;
  stateDir: string;
  fakeUrl: string;
  from: string;
  email: string;
  password: string;
  name?: string;
  extra?: Record<string, string>;
}

/** The environment of a one-account v1 sync against the fake server. */
export function syncEnv(o: SyncEnvInit): Record<string, string> {
  return {
    INFLUX_URL: o.influxUrl,
    INFLUX_DATABASE: o.db,
    INFLUX_API_VERSION: '1',
    STATE_DIR: o.stateDir,
    HUAMI_BASE_URL: o.fakeUrl,
    HUAMI_EMAIL: o.email,
    HUAMI_PASSWORD: o.password,
    ACCOUNT_NAME: o.name ?? 'anna',
    TIMEZONE: 'Europe/Berlin',
    SYNC_START_DATE: o.from,
    HUAMI_CHUNK_DAYS: '7',
    HUAMI_MAX_RETRIES: '1',
    // A failed write fails the run at once instead of after ~30 s of back-off (tests that
    // ride out an outage set their own).
    INFLUX_MAX_RETRIES: '0',
    DEMO_MODE: 'off',
    // These runs check band_data (days, points, requests); the health events have their own
    // test (test/integration/sync-events.test.ts).
    SYNC_EVENTS: 'false',
    LOG_LEVEL: 'info',
    ...o.extra,
  };
}

/** Every row of every data measurement for `user`, keyed by measurement (tags included). */
export async function userRows(url: string, db: string, user: string, measurements: readonly string[] = ALL_MEASUREMENTS): Promise<Record<string, Record<string, unknown>[]>> {
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const m of measurements) {
    out[m] = rows(await influxQuery(url, `SELECT * FROM "${m}" WHERE "user"='${user}'`, db));
  }
  return out;
}

/** Points per measurement for `user` (count of the rows above). */
export async function userCounts(url: string, db: string, user: string): Promise<Record<string, number>> {
  const all = await userRows(url, db, user);
  return Object.fromEntries(Object.entries(all).map(([m, r]) => [m, r.length]));
}

/** A number printed in the CLI summary, e.g. summaryNumber(out, 'anna', 'days written'). */
export function summaryNumber(stdout: string, account: string, label: string): number {
  const block = stdout.split(/\n(?=\S)/).find((b) => b.startsWith(`sync ${account}:`));
  const m = block && new RegExp(`^\\s+${label}\\s+(\\d+)`, 'm').exec(block);
  if (!m?.[1]) throw new Error(`no "${label}" for ${account} in:\n${stdout}`);
  return Number(m[1]);
}
