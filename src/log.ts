// The logger: pino, object-first calls, secrets redacted by path. Stages throw; the
// job boundary logs once. Secret values are also scrubbed from any
// message by `scrubSecrets` before they reach a log line. The human (pino-pretty) format of
// `sync` on a terminal lives in src/commands/progress.ts, so the daemon never loads it.
import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

export const REDACT_PATHS = [
  'password',
  '*.password',
  'appToken',
  '*.appToken',
  'app_token',
  '*.app_token',
  'loginToken',
  '*.loginToken',
  'login_token',
  '*.login_token',
  'accessCode',
  '*.accessCode',
  'token',
  '*.token',
  'headers.apptoken',
  '*.headers.apptoken',
  'headers.authorization',
  '*.headers.authorization',
];

export function createLogger(level = 'info', destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'mifit-sync' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination ?? pino.destination(2),
  );
}

const SECRET_QUERY = /([?&](?:login_token|app_token|apptoken|access|refresh|code|password|token)=)[^&\s"']+/gi;

/** Remove credentials from a URL or message: query secrets and `user:pass@`. */
export function scrubSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(SECRET_QUERY, '$1[redacted]').replace(/\/\/[^/\s:@]+:[^/\s@]+@/g, '//[redacted]@');
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  return out;
}
