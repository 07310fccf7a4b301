// Turns a failure decision into a WriteError whose message names the problem and the way
// out ("create it with …", "INFLUX_TOKEN lacks write permission on bucket X"), for the
// start-up check and for writes alike. An answer that means a wrong setting (unknown
// database, retention policy, bucket or org; 401/403) is never "retry later": it names the
// variable (WriteError.setting) and is not retryable.
import type { FailureDecision, Missing } from './classify.js';
import { WriteError } from './errors.js';

/** What the writer talks to, for messages: never holds a secret. */
export interface Target {
  api: 1 | 2;
  /** INFLUX_URL with any user:password removed. */
  url: string;
  /** Database (1.x) or bucket (2.x). */
  name: string;
  org?: string;
  /** 1.x user name, when one is configured. */
  username?: string;
}

const where = (t: Target): string =>
  t.api === 1 ? `database "${t.name}" on ${t.url}` : `bucket "${t.name}"${t.org ? ` (org "${t.org}")` : ''} on ${t.url}`;

/** The variable to fix for a missing database / retention policy / bucket / org. */
function notFoundSetting(t: Target, missing: Missing | undefined): string {
  if (missing === 'retention-policy') return 'INFLUX_RETENTION_POLICY';
  if (missing === 'org') return 'INFLUX_ORG';
  if (t.api === 1) return 'INFLUX_DATABASE';
  return missing === 'bucket' ? 'INFLUX_BUCKET' : 'INFLUX_BUCKET / INFLUX_ORG';
}

function notFound(t: Target, msg: string, missing: Missing | undefined): string {
  if (missing === 'retention-policy')
    return `INFLUX_RETENTION_POLICY names a retention policy that ${where(t)} does not have (server: ${msg}). Set INFLUX_RETENTION_POLICY to an existing one (SHOW RETENTION POLICIES ON "${t.name}"), or leave it empty for the default one.`;
  if (missing === 'org')
    return `INFLUX_ORG "${t.org ?? ''}" does not exist on ${t.url} or INFLUX_TOKEN cannot see it (server: ${msg}). Set INFLUX_ORG to your organisation's name (influx org list).`;
  if (t.api === 1)
    return `InfluxDB ${where(t)} does not exist (server: ${msg}). Create it with: influx -execute 'CREATE DATABASE "${t.name}"' or set INFLUX_DATABASE to an existing one.`;
  return `InfluxDB ${where(t)} does not exist or INFLUX_TOKEN cannot see it (server: ${msg}). Create it with: influx bucket create --name ${t.name}${t.org ? ` --org ${t.org}` : ''}, or fix INFLUX_BUCKET / INFLUX_ORG; on InfluxDB 1.8 the bucket is "database/retention-policy".`;
}

function auth(t: Target, status: number | undefined, msg: string): string {
  if (t.api === 2) {
    return status === 401
      ? `INFLUX_TOKEN is missing or not valid for ${t.url} (401: ${msg}). Create a token with write permission on bucket "${t.name}"; on InfluxDB 1.8 use "user:password".`
      : `INFLUX_TOKEN lacks write permission on bucket "${t.name}" (${status ?? 403}: ${msg}). Give the token write access to that bucket.`;
  }
  if (!t.username)
    return `InfluxDB at ${t.url} requires authentication (${status ?? 401}: ${msg}). Set INFLUX_USERNAME and INFLUX_PASSWORD.`;
  return status === 401
    ? `InfluxDB refused user "${t.username}" at ${t.url} (401: ${msg}). Check INFLUX_USERNAME / INFLUX_PASSWORD.`
    : `InfluxDB user "${t.username}" may not write to ${where(t)} (${status ?? 403}: ${msg}). Grant it with: GRANT WRITE ON "${t.name}" TO "${t.username}".`;
}

/** The WriteError for a failure decision; `what` says what was attempted ("write", "delete", "check"). */
export function toWriteError(d: FailureDecision, t: Target, what: string, status?: number, attempts = 1): WriteError {
  const msg = d.serverMessage;
  const base = { serverMessage: msg, ...(status === undefined ? {} : { status }) };
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  switch (d.kind) {
    case 'not-found':
      return new WriteError('INFLUX_DB_NOT_FOUND', `InfluxDB ${what} failed: ${notFound(t, msg, d.missing)}`, { ...base, retryable: false, setting: notFoundSetting(t, d.missing) });
    case 'auth':
      return new WriteError('INFLUX_UNAUTHORIZED', `InfluxDB ${what} failed: ${auth(t, status, msg)}`, { ...base, retryable: false, setting: t.api === 2 ? 'INFLUX_TOKEN' : 'INFLUX_USERNAME / INFLUX_PASSWORD' });
    case 'retry-after':
      return d.code === 'INFLUX_UNREACHABLE'
        ? new WriteError('INFLUX_UNREACHABLE', `InfluxDB ${what} failed${tries}: ${t.url} is unreachable (${msg}). Is InfluxDB running and INFLUX_URL right? Nothing was lost: the next run retries.`, { ...base, retryable: true })
        : new WriteError('INFLUX_UNAVAILABLE', `InfluxDB ${what} failed${tries}: ${t.url} answered ${status ?? '?'} (${msg}). Nothing was lost: the next run retries.`, { ...base, retryable: true });
    case 'split':
      return new WriteError('INFLUX_TOO_LARGE', `InfluxDB ${what} failed: the server refuses even a single point as too large (413: ${msg}). Raise its max body size.`, { ...base, retryable: false });
    case 'reject':
      if (d.code === 'INFLUX_FIELD_TYPE_CONFLICT')
        return new WriteError('INFLUX_FIELD_TYPE_CONFLICT', `InfluxDB rejected points in ${where(t)}: ${msg}. A field of that name already holds another type (written by another tool or an older version); write into a fresh ${t.api === 1 ? 'database' : 'bucket'} or drop that measurement.`, { ...base, retryable: false });
      if (d.code === 'INFLUX_UNREACHABLE')
        return new WriteError('INFLUX_UNREACHABLE', `InfluxDB ${what} failed: cannot connect to ${t.url} (${msg}). Check INFLUX_URL and its TLS certificate.`, { ...base, retryable: false });
      return new WriteError('INFLUX_REJECTED', `InfluxDB rejected the ${what} on ${where(t)} (${status ?? '?'}: ${msg}).`, { ...base, retryable: false });
  }
}
