// Capture pino output in memory, and check that no secret reached any line.
// Reusable by any test: `const cap = captureLogs(); ... cap.assertNoSecrets([password, token])`.
import { createLogger, type Logger } from '../../src/log.js';

export interface LogCapture {
  logger: Logger;
  /** Raw JSON lines written so far. */
  lines(): string[];
  /** Parsed records. */
  records(): Record<string, unknown>[];
  /** The secrets (≥ 4 chars) that appear verbatim or URL-encoded in some line. */
  leaked(secrets: readonly (string | undefined)[]): string[];
  /** Throws, naming the line (with the secret masked), when a secret appears in any line. */
  assertNoSecrets(secrets: readonly (string | undefined)[]): void;
}

/** A logger (default level trace: every line is checked) whose output stays in memory. */
export function captureLogs(level = 'trace'): LogCapture {
  const out: string[] = [];
  const logger = createLogger(level, { write: (msg: string) => void out.push(...msg.split('\n').filter(Boolean)) });
  const forms = (s: string): string[] => [...new Set([s, encodeURIComponent(s), JSON.stringify(s).slice(1, -1)])];
  const leaked = (secrets: readonly (string | undefined)[]): string[] =>
    secrets.filter((s): s is string => !!s && s.length >= 4).filter((s) => out.some((line) => forms(s).some((f) => line.includes(f))));
  return {
    logger,
    lines: () => [...out],
    records: () => out.map((l) => JSON.parse(l) as Record<string, unknown>),
    leaked,
    assertNoSecrets(secrets) {
      const bad = leaked(secrets);
      if (!bad.length) return;
      const line = out.find((l) => bad.some((s) => l.includes(s))) ?? '';
      throw new Error(`${bad.length} secret(s) leaked into the log, e.g.: ${bad.reduce((l, s) => l.split(s).join('<SECRET>'), line).slice(0, 300)}`);
    },
  };
}
