// `mifit-sync reprocess [--from D] [--to D] [--account NAME]`: re-decode the kept raw
// responses and rewrite those days (after a decoder fix) without asking Huami.
import { loadConfig } from '../config/load.js';
import { createLogger } from '../log.js';
import { parseSyncArgs } from '../sync/cli-args.js';
import { runReprocess } from '../sync/index.js';
import { createProgressBar } from '../sync/progress.js';
import { formatSummary } from '../sync/summary.js';
import { createWriter } from '../write/index.js';

export async function run(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const opts = parseSyncArgs(args, false);
  const config = loadConfig(env);
  const bar = process.stderr.isTTY ? createProgressBar(process.stderr) : undefined;
  const logger = createLogger(config.raw.LOG_LEVEL, bar?.destination);
  const writer = createWriter(config.raw, logger);
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const results = await runReprocess(
      { config, logger, writer, now: () => new Date(), signal: controller.signal, ...(bar ? { onProgress: (e: Parameters<typeof bar.update>[0]) => bar.update(e) } : {}) },
      opts,
    );
    bar?.clear();
    process.stdout.write(formatSummary(results, 'reprocess'));
    if (controller.signal.aborted) return 130;
    return results.length > 0 && results.every((r) => r.ok) ? 0 : 1;
  } finally {
    bar?.clear();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await writer.close().catch(() => undefined);
  }
}
