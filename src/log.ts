// The logger: pino, object-first calls, secrets redacted by path. Stages throw; the
// job boundary logs once. Secret values are also scrubbed from any
// message by `scrubSecrets` before they reach a log line.
import { pino, type Logger, type DestinationStream } from 'pino';
import { prettyFactory } from 'pino-pretty';

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

/**
 * Human log lines for a terminal (pino-pretty): `HH:MM:ss WARN: message key=value ...` on one
 * line. Takes one JSON line as pino writes it; off a terminal the JSON lines stay as they are.
 */
export function prettyLine(opts: { colorize?: boolean } = {}): (jsonLine: string) => string {
  const format = prettyFactory({
    colorize: opts.colorize ?? false,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,app,account,code,day',
    messageFormat: '{if account}{account} {end}{if day}{day} {end}{if code}[{code}] {end}{msg}',
    singleLine: true,
  });
  return (line) => format(line).replace(/\n+$/, '');
}

const SECRET_QUERY = /([?&](?:login_token|app_token|apptoken|access|refresh|code|password|token)=)[^&\s"']+/gi;

/** Remove credentials from a URL or message: query secrets and `user:pass@`. */
export function scrubSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(SECRET_QUERY, '$1[redacted]').replace(/\/\/[^/\s:@]+:[^/\s@]+@/g, '//[redacted]@');
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  return out;
}
