// What `sync` and `reprocess` show on a terminal (stderr): one progress bar per account
// (cli-progress: percentage, days, days/s, ETA) with human log lines above it (pino-pretty),
// and a warning that repeats (same code, e.g. TZ_MISMATCH on every day) shown once and
// counted; the counts are printed when the run ends. Off a terminal none of this is used:
// pino's JSON lines go to stderr unchanged (src/commands/day-run.ts).
import { MultiBar, type SingleBar } from 'cli-progress';
import type { DestinationStream } from 'pino';
import { prettyFactory } from 'pino-pretty';

/**
 * Human log lines for a terminal (pino-pretty): `HH:MM:ss WARN: message key=value ...` on one
 * line. Takes one JSON line as pino writes it; off a terminal the JSON lines stay as they are.
 */
function prettyLine(opts: { colorize?: boolean } = {}): (jsonLine: string) => string {
  const format = prettyFactory({
    colorize: opts.colorize ?? false,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,app,account,code,day',
    messageFormat: '{if account}{account} {end}{if day}{day} {end}{if code}[{code}] {end}{msg}',
    singleLine: true,
  });
  return (line) => format(line).replace(/\n+$/, '');
}

export interface ProgressEvent {
  account: string;
  day: string;
  done: number;
  total: number;
}

export interface TerminalOutput {
  update(e: ProgressEvent): void;
  /** A pino destination: human lines above the bars, repeated warnings counted. */
  destination: DestinationStream;
  /** Stop the bars (leaving their last state on screen) and print the repeated-warning counts. */
  finish(): void;
}

/** A warning seen more than once: its key (the code, else the message), count and first occurrence. */
export interface RepeatedWarning {
  key: string;
  count: number;
  first: string;
}

const WARN = 40;

/**
 * Counts warnings by code (by message when they have none). The first of each is shown; the
 * rest only add to the count.
 */
export class WarningCounter {
  private readonly seen = new Map<string, RepeatedWarning>();

  /** True when this warning is the first of its kind (show it). */
  note(entry: { level?: unknown; code?: unknown; msg?: unknown; day?: unknown }): boolean {
    if (typeof entry.level !== 'number' || entry.level !== WARN) return true;
    const key = typeof entry.code === 'string' && entry.code ? entry.code : String(entry.msg ?? '');
    const s = this.seen.get(key);
    if (s) {
      s.count++;
      return false;
    }
    const day = typeof entry.day === 'string' ? `day ${entry.day}: ` : '';
    this.seen.set(key, { key, count: 1, first: `${day}${String(entry.msg ?? '')}` });
    return true;
  }

  repeated(): RepeatedWarning[] {
    return [...this.seen.values()].filter((w) => w.count > 1);
  }

  /** "TZ_MISMATCH ×672 (first: day 2025-01-01: ...)" lines, or nothing when no warning repeated. */
  lines(): string[] {
    return this.repeated().map((w) => `${w.key} ×${w.count} (first: ${w.first})`);
  }
}

const BAR_FORMAT = '{account} [{bar}] {percentage}% | {value}/{total} days | {rate} days/s | ETA {eta_formatted} | {day}';

/** Days per second since the bar started, for the bar's `{rate}`. */
function rate(done: number, startedAt: number, now: number): string {
  const secs = (now - startedAt) / 1000;
  return secs > 0 ? (done / secs).toFixed(1) : '0.0';
}

/** The terminal output on `out` (a TTY stream such as process.stderr). */
export function createTerminalOutput(out: NodeJS.WritableStream & { isTTY?: boolean }, o: { colorize?: boolean; now?: () => number } = {}): TerminalOutput {
  const now = o.now ?? Date.now;
  const multi = new MultiBar({
    stream: out as NodeJS.WritableStream,
    format: BAR_FORMAT,
    hideCursor: true,
    barCompleteChar: '#',
    barIncompleteChar: '-',
    barsize: 30,
    etaBuffer: 50,
    // Only a terminal gets here; forcing it keeps the bars drawn even if isTTY is not set.
    noTTYOutput: true,
    notTTYSchedule: 200,
  });
  const bars = new Map<string, { bar: SingleBar; startedAt: number }>();
  const pretty = prettyLine({ colorize: o.colorize ?? false });
  const warnings = new WarningCounter();
  let active = false;
  let finished = false;

  const print = (line: string): void => {
    // MultiBar.log needs a running bar (it prints on its next redraw); before the first day
    // (login, plan) and after the end there is none, so the line goes straight out.
    if (active) multi.log(`${line}\n`);
    else out.write(`${line}\n`);
  };

  return {
    update(e) {
      if (finished) return;
      let b = bars.get(e.account);
      const payload = { account: e.account, day: e.day, rate: '0.0' };
      if (!b) {
        b = { bar: multi.create(e.total, 0, payload), startedAt: now() };
        bars.set(e.account, b);
        active = true;
      }
      b.bar.setTotal(e.total);
      b.bar.update(e.done, { ...payload, rate: rate(e.done, b.startedAt, now()) });
    },
    destination: {
      write(msg: string) {
        for (const line of msg.split('\n')) {
          if (!line) continue;
          let entry: Record<string, unknown>;
          try {
            entry = JSON.parse(line) as Record<string, unknown>;
          } catch {
            print(line);
            continue;
          }
          if (!warnings.note(entry)) continue;
          const text = pretty(line);
          const key = typeof entry.code === 'string' ? entry.code : undefined;
          print(entry.level === WARN && key ? `${text} (repeats of ${key} are counted; totals at the end)` : text);
        }
      },
    },
    finish() {
      if (finished) return;
      finished = true;
      if (active) {
        multi.update(); // prints lines still waiting for a redraw
        multi.stop();
        active = false;
      }
      const lines = warnings.lines();
      if (lines.length) out.write(`repeated warnings:\n${lines.map((l) => `  ${l}\n`).join('')}`);
    },
  };
}
