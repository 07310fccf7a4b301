// `mifit-sync sync` on a real terminal (a pseudo-terminal from util-linux `script`): human log
// lines above a progress bar with percentage, days/s and ETA, a repeated warning once with a
// count, and Ctrl-C typed into the terminal ending in "interrupted" with exit code 130. Off a
// terminal the same run logs JSON lines, which is also where the expected counts come from.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { DEMO_EMAIL, DEMO_PASSWORD, startFakeServer, type FakeServer } from '../../src/fake/index.js';
import { addDays, todayIn } from '../../src/sync/dates.js';
import { createTestDatabase } from '../support/influxd.js';
import { recordedDatesSync } from '../../src/store/state.js';
import { CLI, DEMO_KEY, runCli, stateDirs, syncEnv } from '../support/sync-cli.js';
import { ROOT } from '../support/daemon-cli.js';

const ZONE = 'Europe/Berlin';
const NOW = new Date();
const TODAY = todayIn(ZONE, NOW);
const FROM = addDays(TODAY, -19);
const influxUrl = inject('influxUrl');

let fake: FakeServer;
const dirs = stateDirs();
const stateDir = (): string => dirs.make();

beforeAll(async () => {
  fake = await startFakeServer({ from: FROM, timezone: ZONE, now: () => NOW, quiet: true });
});
afterAll(async () => {
  await fake?.close();
  dirs.removeAll();
});

/** The environment of a demo-account sync; `zone` undefined = TIMEZONE not set at all. */
function env(db: string, dir: string, zone: string | undefined, extra: Record<string, string> = {}): Record<string, string> {
  const e = syncEnv({ influxUrl, db, stateDir: dir, fakeUrl: fake.url, from: FROM, email: DEMO_EMAIL, password: DEMO_PASSWORD, extra });
  if (zone === undefined) delete e.TIMEZONE;
  else e.TIMEZONE = zone;
  return e;
}

interface TtyRun {
  code: number | null;
  /** Everything the terminal showed, ANSI control sequences removed, lines split on \r and \n. */
  lines: string[];
  raw: string;
}

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** Run the built CLI on a pseudo-terminal; `whileRunning` may type into it. */
function runOnTty(args: string[], e: Record<string, string>, whileRunning?: (type: (s: string) => void) => Promise<void>): Promise<TtyRun> {
  const cmd = `stty cols 160 rows 40; exec '${process.execPath}' '${CLI}' ${args.join(' ')}`;
  const child = spawn('script', ['-qefc', cmd, '/dev/null'], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', TERM: 'xterm', ...e }, stdio: ['pipe', 'pipe', 'pipe'] });
  let raw = '';
  child.stdout.on('data', (b: Buffer) => (raw += b.toString()));
  child.stderr.on('data', (b: Buffer) => (raw += b.toString()));
  const closed = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
  const typing = whileRunning?.((s) => child.stdin.write(s)) ?? Promise.resolve();
  return typing.then(async () => {
    const code = await closed;
    // What the terminal showed, for a person to look at (test-output/ is not committed).
    mkdirSync(join(ROOT, 'test-output'), { recursive: true });
    writeFileSync(join(ROOT, 'test-output', `terminal-${args.join('-')}-${code}.txt`), raw);
    return { code, raw, lines: raw.replace(ANSI, '').split(/[\r\n]+/).filter((l) => l.trim()) };
  });
}

const doneDays = (dir: string): number => recordedDatesSync(join(dir, DEMO_KEY, 'days')).length;

describe('mifit-sync sync on a terminal', () => {
  it('shows human log lines, a progress bar with percentage, days/s and ETA, and a repeated warning once with its count', async () => {
    // Off a terminal: JSON lines, one per TZ_MISMATCH (the demo band lives in Berlin, TIMEZONE unset = UTC).
    const ref = await runCli(['sync'], env(await createTestDatabase(influxUrl, 'tty_ref'), stateDir(), undefined));
    expect(ref.code).toBe(0);
    const jsonLines = ref.stderr.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { code?: string; level: number });
    const mismatches = jsonLines.filter((l) => l.code === 'TZ_MISMATCH').length;
    expect(mismatches).toBeGreaterThan(1);

    const tty = await runOnTty(['sync'], env(await createTestDatabase(influxUrl, 'tty'), stateDir(), undefined));
    expect(tty.code).toBe(0);
    // No raw pino JSON on the terminal.
    expect(tty.lines.filter((l) => l.trimStart().startsWith('{'))).toEqual([]);
    // The bar: "anna [####----] 45% | 9/20 days | 3.1 days/s | ETA 4s | 2026-...". The total is
    // not fixed: the client counts days in UTC (TIMEZONE unset) while FROM is Berlin's date, so
    // between 23:00 and 24:00 UTC there is one day fewer, and workouts add to the total later.
    expect(tty.lines.some((l) => /anna \[[#-]+\] \d+% \| \d+\/\d+ days \| \d+\.\d days\/s \| ETA \S+ \| \d{4}-\d{2}-\d{2}/.test(l))).toBe(true);
    expect(tty.lines.some((l) => /anna \[#+\] 100% \| (\d+)\/\1 days/.test(l))).toBe(true);
    // The first TZ_MISMATCH as a human line, the rest only counted, the count at the end.
    const shown = tty.lines.filter((l) => /WARN.*\[TZ_MISMATCH\]/.test(l));
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatch(/^\[\d{2}:\d{2}:\d{2}\] WARN: anna \d{4}-\d{2}-\d{2} \[TZ_MISMATCH\] the record's tz is/);
    expect(tty.lines.some((l) => l.includes(`TZ_MISMATCH ×${mismatches} (first: day `))).toBe(true);
    expect(tty.lines.some((l) => /^sync anna: ok in \d+\.\d s$/.test(l))).toBe(true);
  }, 120_000);

  it('Ctrl-C typed into the terminal: "interrupted", the real elapsed time and exit code 130', async () => {
    const dir = stateDir();
    fake.faults.slow({ ms: 300, paths: [/band_data/] });
    try {
      const tty = await runOnTty(['sync'], env(await createTestDatabase(influxUrl, 'tty_int'), dir, ZONE, { HUAMI_CHUNK_DAYS: '1', INFLUX_BATCH_SIZE: '1000' }), async (type) => {
        await vi.waitFor(() => expect(doneDays(dir)).toBeGreaterThanOrEqual(2), { timeout: 60_000, interval: 50 });
        type('\x03');
      });
      expect(tty.code).toBe(130);
      const head = tty.lines.map((l) => /^sync anna: (\w+) in (\d+\.\d) s$/.exec(l)).find(Boolean);
      expect(head?.[1]).toBe('interrupted');
      // At least two days were fetched at 300 ms each before Ctrl-C.
      expect(Number(head?.[2])).toBeGreaterThan(0);
      expect(tty.lines.some((l) => /stopping after the current day/.test(l))).toBe(true);
      expect(tty.lines.some((l) => /^ {2}interrupted +days not written stay pending/.test(l))).toBe(true);
    } finally {
      fake.faults.clear();
    }
  }, 120_000);
});
