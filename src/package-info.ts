// The package's own facts (version, supported Node), read from package.json in one place:
// `--version`, `--help`, the runtime check and the daemon's status page all use these.
import { readFileSync } from 'node:fs';

export interface PackageInfo {
  version: string;
  engines?: { node?: string };
}

let cached: PackageInfo | undefined;

/** package.json next to src/ (or dist/); version "unknown" when it cannot be read. */
export function packageInfo(): PackageInfo {
  if (cached) return cached;
  try {
    cached = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as PackageInfo;
  } catch {
    cached = { version: 'unknown' };
  }
  return cached;
}

/** The package version, e.g. "0.1.0". */
export function packageVersion(): string {
  return packageInfo().version;
}
