// Error codes in plain words for the status page: what happened and what to do.
// Codes come from the contracts in docs/architecture.md (HuamiError, WriteError).

const WORDS: Record<string, string> = {
  HUAMI_AUTH_WRONG_PASSWORD: 'Huami rejected the e-mail or password. Check HUAMI_EMAIL and HUAMI_PASSWORD.',
  HUAMI_LOGIN_RATE_LIMITED: 'Huami is refusing logins for a while (too many attempts). The daemon waits before trying again; a captured app token avoids the login (README "Obtaining a token").',
  HUAMI_TOKEN_EXPIRED: 'The Huami app token has expired and could not be renewed. Run "mifit-sync login" or set a new HUAMI_APP_TOKEN.',
  HUAMI_SCHEMA_MISMATCH: 'Huami answered in a shape this version does not understand. The raw answer was kept; please report it.',
  HUAMI_HTTP: 'The Huami cloud answered with an error. It is retried on the next run.',
  INFLUX_UNREACHABLE: 'InfluxDB cannot be reached. Is it running, and is INFLUX_URL right?',
  INFLUX_DB_NOT_FOUND: 'The InfluxDB database or bucket does not exist. Check INFLUX_DATABASE / INFLUX_BUCKET.',
  INFLUX_UNAUTHORIZED: 'InfluxDB refused the credentials. Check INFLUX_TOKEN (or INFLUX_USERNAME / INFLUX_PASSWORD).',
  INFLUX_FIELD_TYPE_CONFLICT: 'InfluxDB already holds a field of another type for this measurement; the points were rejected.',
  INFLUX_REJECTED: 'InfluxDB rejected the write.',
  SYNC_FAILED: 'The sync failed.',
};

/** One sentence for an error code (falls back to a generic one for unknown codes). */
export function describeError(code: string): string {
  return WORDS[code] ?? (code.startsWith('INFLUX_') ? 'Writing to InfluxDB failed.' : code.startsWith('HUAMI_') ? 'Talking to the Huami cloud failed.' : 'The sync failed.');
}
