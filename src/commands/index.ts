// The command table. Each command module exports `run(args, env): Promise<exitCode>`.
export interface CommandModule {
  run(args: string[], env: NodeJS.ProcessEnv): Promise<number>;
}

export interface Command {
  summary: string;
  usage: string;
  help?: string;
  load(): Promise<CommandModule>;
}

const PROGRESS_HELP =
  'On a terminal: a progress bar (percentage, days/s, ETA) with log lines above it, only warnings unless --verbose,\n' +
  'a repeated warning (same code) shown once and counted at the end. Off a terminal: JSON log lines on stderr.\n' +
  'The summary on stdout; exit code 0 ok, 1 an account failed, 130 interrupted (Ctrl-C).\n';

export const COMMANDS: Record<string, Command> = {
  sync: {
    summary: 'One-shot sync of every configured account into InfluxDB',
    usage: 'sync [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--account NAME] [--force] [--verbose]',
    help: PROGRESS_HELP,
    load: () => import('./sync.js'),
  },
  daemon: {
    summary: 'Run the scheduler, the status page, /healthz and /metrics (the container default)',
    usage: 'daemon',
    load: () => import('./daemon.js'),
  },
  login: {
    summary: 'Obtain and store tokens (interactively, or from the environment)',
    usage: 'login [--account NAME]',
    load: () => import('./login.js'),
  },
  status: {
    summary: 'Show token age and expiry and the sync position of every account',
    usage: 'status [--account NAME] [--json]',
    load: () => import('./status.js'),
  },
  decode: {
    summary: 'Decode a saved band_data.json response or a raw archive day (.json.gz) offline; line protocol on stdout, warnings on stderr',
    usage: 'decode FILE [--timezone ZONE] [--user NAME]',
    load: () => import('./decode.js'),
  },
  reprocess: {
    summary: 'Re-decode the kept raw responses and rewrite those days (after a decoder fix), without asking Huami',
    usage: 'reprocess [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--account NAME] [--verbose]',
    help: PROGRESS_HELP,
    load: () => import('./reprocess.js'),
  },
  'export-gpx': {
    summary: 'Write one GPX 1.1 file per archived workout with a track (time, position, elevation, heart rate), without asking Huami',
    usage: 'export-gpx --account NAME [--from YYYY-MM-DD] [--to YYYY-MM-DD] DIR',
    load: () => import('./export-gpx.js'),
  },
  'fake-server': {
    summary: 'Start the fake Huami cloud (for tests, the demo and trying things out)',
    usage: 'fake-server [--port N] [--seed S] [--from YYYY-MM-DD] [--quiet]',
    load: () => import('./fake-server.js'),
  },
};
