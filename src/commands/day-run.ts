// What `sync` and `reprocess` share around their run: a progress bar on a terminal (with
// only warnings logged above it unless --verbose; plain log lines otherwise), the writer,
// Ctrl-C (stop after the current day; a second one stops at once), the summary on stdout
// and the exit code (0 all accounts ok, 1 any failed, 130 interrupted).
import type { AppConfig } from '../config/load.js';
import { createLogger, type Logger } from '../log.js';
import { createProgressBar } from '../sync/progress.js';
import { formatSummary } from '../sync/summary.js';
import type { AccountRunResult, SyncDeps } from '../sync/types.js';
import { createWriter, type Writer } from '../write/index.js';

export type DayRunDeps = Pick<SyncDeps, 'signal' | 'onProgress'> & { logger: Logger; writer: Writer };

/** Run `body` with a logger, writer and stop signal; print the summary titled `title`; the exit code. */
export async function runDayCommand(
  config: AppConfig,
  o: { title: 'sync' | 'reprocess'; verbose: boolean },
  body: (deps: DayRunDeps) => Promise<AccountRunResult[]>,
): Promise<number> {
  const bar = process.stderr.isTTY ? createProgressBar(process.stderr) : undefined;
  // On a terminal the progress bar tells the story (issue 4: "a progress bar on a terminal
  // and plain log lines otherwise").
  const logger = createLogger(bar && !o.verbose ? atLeastWarn(config.raw.LOG_LEVEL) : config.raw.LOG_LEVEL, bar?.destination);
  const writer = createWriter(config.raw, logger);
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals): void => {
    if (controller.signal.aborted) process.exit(130); // a second Ctrl-C: stop at once (unconfirmed days stay pending)
    logger.warn({ signal: sig }, 'stopping after the current day; press Ctrl-C again to stop at once');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const results = await body({ logger, writer, signal: controller.signal, ...(bar ? { onProgress: (e) => bar.update(e) } : {}) });
    bar?.clear();
    process.stdout.write(formatSummary(results, o.title));
    if (controller.signal.aborted) return 130;
    // A failed day needs attention as much as a failed account (its reason is in the summary).
    return results.length > 0 && results.every((r) => r.ok && r.daysFailed === 0) ? 0 : 1;
  } finally {
    bar?.clear();
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
