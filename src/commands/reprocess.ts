// `mifit-sync reprocess [--from D] [--to D] [--account NAME] [--verbose]`: re-decode the kept
// raw responses and rewrite those days (after a decoder fix) without asking Huami.
import { loadConfig } from '../config/load.js';
import { parseSyncArgs } from './cli-args.js';
import { runReprocess } from '../sync/index.js';
import { withStateLock } from '../store/lock.js';
import { runDayCommand } from './day-run.js';

export async function run(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { opts, verbose } = parseSyncArgs(args, false);
  const config = loadConfig(env);
  return withStateLock(config.raw.STATE_DIR, ['reprocess', ...args].join(' '), () =>
    runDayCommand(config, { title: 'reprocess', verbose }, (d) => runReprocess({ config, now: () => new Date(), ...d }, opts)),
  );
}
