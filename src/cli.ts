#!/usr/bin/env node
// Entry point: parses the command name and hands over to src/commands/<name>.ts.
// It only wires; every command lives in its own module.
import { COMMANDS } from './commands/index.js';
import { runtimeLine, runtimeProblem, versionText } from './commands/runtime.js';
import { withDotEnv } from './config/dotenv.js';

const CONFIG_SOURCES = `Configuration comes from the environment and from ./.env when present (the file docker compose
reads; a variable set in the environment wins over the file). See README "Configuration".\n`;

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}\n  ${' '.repeat(width)}  usage: mifit-sync ${c.usage}`);
  return `mifit-sync — Huami / Mi Fit / Zepp Life / Zepp band data into InfluxDB\n\nCommands:\n${lines.join('\n')}\n\n${CONFIG_SOURCES}Run "mifit-sync <command> --help" for a command's options.\nmifit-sync ${runtimeLine()}.\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return 0;
  }
  if (name === '--version') {
    process.stdout.write(versionText());
    return 0;
  }
  const tooOld = runtimeProblem();
  if (tooOld) {
    process.stderr.write(tooOld);
    return 1;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    process.stderr.write(`Unknown command "${name}".\n\n${usage()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`usage: mifit-sync ${cmd.usage}\n\n${cmd.summary}\n${cmd.help ?? ''}\n${CONFIG_SOURCES}`);
    return 0;
  }
  const mod = await cmd.load();
  return mod.run(rest, withDotEnv(process.env, process.cwd()).env);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const e = err as { message?: string; code?: string };
    process.stderr.write(`mifit-sync: ${e.code ? `[${e.code}] ` : ''}${e.message ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
