// What `sync` and `reprocess` share around their run: on a terminal, human log lines (only
// warnings unless --verbose, a repeated warning once with a count) above a progress bar;
// off a terminal (pipes, the container) pino's JSON lines. Also the writer, Ctrl-C (stop
// after the current day; a second one stops at once), the summary on stdout and the exit
// code (0 all accounts ok, 1 any failed, 130 interrupted), which always agree.
import type { AppConfig } from '../config/load.js';
import { createLogger, type Logger } from '../log.js';
import { createTerminalOutput, type TerminalOutput } from './progress.js';
import { exitCodeOf, formatSummary } from './summary.js';
import type { AccountRunResult, SyncDeps } from '../sync/types.js';
import { createWriter, writerOptions, type Writer } from '../write/index.js';

export type DayRunDeps = Pick<SyncDeps, 'signal' | 'onProgress'> & { logger: Logger; writer: Writer };

/** Where the run's output goes: stdout for the summary, stderr for logs and the bar. */
export interface DayRunIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/** Run `body` with a logger, writer and stop signal; print the summary titled `title`; the exit code. */
export async function runDayCommand(
  config: AppConfig,
  o: { title: 'sync' | 'reprocess'; verbose: boolean; io?: DayRunIo },
  body: (deps: DayRunDeps) => Promise<AccountRunResult[]>,
): Promise<number> {
  const io = o.io ?? { stdout: process.stdout, stderr: process.stderr };
  const term: TerminalOutput | undefined = io.stderr.isTTY ? createTerminalOutput(io.stderr, { colorize: !process.env.NO_COLOR }) : undefined;
  // On a terminal the progress bar tells the story; off it, plain JSON log lines.
  const logger = createLogger(term && !o.verbose ? atLeastWarn(config.raw.LOG_LEVEL) : config.raw.LOG_LEVEL, term?.destination);
  const writer = createWriter(writerOptions(config.raw), logger);
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      term?.finish();
      process.exit(130); // a second Ctrl-C: stop at once (unconfirmed days stay pending)
    }
    logger.warn({ signal: sig }, 'stopping after the current day; press Ctrl-C again to stop at once');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const results = await body({ logger, writer, signal: controller.signal, ...(term ? { onProgress: (e) => term.update(e) } : {}) });
    term?.finish();
    const interrupted = controller.signal.aborted;
    io.stdout.write(formatSummary(results, o.title, interrupted));
    return exitCodeOf(results, interrupted);
  } finally {
    term?.finish();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await writer.close().catch(() => undefined);
  }
}

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
/** The configured level, or `warn` when that is more verbose. */
function atLeastWarn(level: (typeof LEVELS)[number]): (typeof LEVELS)[number] {
  return LEVELS.indexOf(level) < LEVELS.indexOf('warn') ? 'warn' : level;
}
