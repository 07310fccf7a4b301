// Every CLI child process a test runs leaves its stdout+stderr here, so that the global
// teardown can check the WHOLE suite's log lines for secrets ("no password or
// token appears in any log line of the whole suite").
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const LOG_DIR = fileURLToPath(new URL('../../test-output/logs/', import.meta.url));

/** Append a child process's output to the suite's log archive. */
export function archiveLog(name: string, text: string): void {
  mkdirSync(LOG_DIR, { recursive: true });
  appendFileSync(join(LOG_DIR, `${name.replace(/[^a-z0-9-]/gi, '_')}-${process.pid}.log`), text);
}

export function clearLogArchive(): void {
  rmSync(LOG_DIR, { recursive: true, force: true });
}

// Credentials the fake cloud hands out (src/fake/accounts.ts: AT_/LT_/AC_/RF_ + 24 base64url
// characters) and the passwords the tests use. A match in a log line is a leak.
const TOKEN = /\b(?:AT|LT|AC|RF)_[A-Za-z0-9_-]{24}\b/;
const PASSWORDS = ['demo-password', 'us-password-1', 'ben-password', 'wrong-password-123', 'pw-secret', 'not-the-password', 's3cret-value'];

/** Lines of the archived logs that contain a secret (the fake-server command prints its demo token on purpose). */
export function findLeaks(): string[] {
  let files: string[] = [];
  try {
    files = readdirSync(LOG_DIR);
  } catch {
    return [];
  }
  const leaks: string[] = [];
  for (const f of files) {
    if (f.startsWith('fake-server')) continue;
    for (const line of readFileSync(join(LOG_DIR, f), 'utf8').split('\n')) {
      if (TOKEN.test(line) || PASSWORDS.some((p) => line.includes(p))) leaks.push(`${f}: ${line.slice(0, 300)}`);
    }
  }
  return leaks;
}
