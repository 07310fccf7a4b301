// Which Node runs the CLI and which it needs: `--version` and `--help` say both, and a too-old
// Node is refused with the way out (README "Running without Docker"): `npm ci` installs Node 24
// as the `node` dev dependency, and `npx node dist/cli.js ...` runs it.
import { packageInfo } from '../package-info.js';

/** The lowest Node major version the CLI runs on. */
export const MIN_NODE_MAJOR = 24;

/** "needs Node >=24 <25; runs on Node v24.21.0 (/path/to/node)". */
export function runtimeLine(version = process.version, execPath = process.execPath): string {
  return `needs Node ${packageInfo().engines?.node ?? `>=${MIN_NODE_MAJOR}`}; runs on Node ${version} (${execPath})`;
}

/** What `mifit-sync --version` prints. */
export function versionText(): string {
  return `mifit-sync ${packageInfo().version}\n${runtimeLine()}\n`;
}

/** Why this Node cannot run the CLI, with the way out; undefined when it can. */
export function runtimeProblem(version = process.version, execPath = process.execPath): string | undefined {
  const major = Number(/^v?(\d+)/.exec(version)?.[1] ?? 0);
  if (major >= MIN_NODE_MAJOR) return undefined;
  return (
    `mifit-sync ${runtimeLine(version, execPath)}.\n` +
    `  Run it with the Node 24 that "npm ci" installed: npx node dist/cli.js <command>\n` +
    `  or put Node ${MIN_NODE_MAJOR} first on PATH (README "Running without Docker").\n`
  );
}
