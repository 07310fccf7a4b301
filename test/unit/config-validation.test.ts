// Every setting is checked when the configuration loads: a wrong one is refused with one
// line naming the variable, the value, what is allowed and an example.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load.js';
import { tempDir } from '../support/tmp.js';

const dir = tempDir('mifit-config-validation-');

/** The problems loadConfig reports for `env` (empty when it loads). */
function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
}

describe('configuration validation', () => {
  it.each([
    ['true', true], ['false', false], ['1', true], ['0', false], ['yes', true], ['no', false], ['on', true], ['off', false],
    ['YES', true], ['Off', false], [' no ', false],
  ])('SYNC_DETAIL=%j is read as %s', (value, expected) => {
    expect(loadConfig({ SYNC_DETAIL: value }).raw.SYNC_DETAIL).toBe(expected);
  });

  it.each(['maybe', 'nein', '2', ''])('SYNC_DETAIL=%j is refused', (value) => {
    expect(problems({ SYNC_DETAIL: value })).toEqual([
      `SYNC_DETAIL=${JSON.stringify(value)} is not a yes/no value; allowed: true, false, 1, 0, yes, no, on or off; e.g. SYNC_DETAIL=false`,
    ]);
  });

  // [variable, value, the reason in the message, what the message says is allowed]
  it.each([
    ['HUAMI_TIMEOUT_MS', '0', 'is below 1000', 'a whole number from 1000 to 600000'],
    ['HUAMI_TIMEOUT_MS', '30s', 'is not a whole number', 'a whole number from 1000 to 600000'],
    ['INFLUX_TIMEOUT_MS', '0', 'is below 1000', 'a whole number from 1000 to 600000'],
    ['HUAMI_CHUNK_DAYS', '0', 'is below 1', 'a whole number from 1 to 90'],
    ['INFLUX_BATCH_SIZE', '0', 'is below 1', 'a whole number from 1 to 100000'],
    ['INFLUX_BATCH_SIZE', '2.5', 'is not a whole number', 'a whole number from 1 to 100000'],
    ['SYNC_LOOKBACK_DAYS', '-1', 'is below 0', 'a whole number from 0 to 90'],
    ['HTTP_PORT', '70000', 'is above 65535', 'a whole number from 0 to 65535'],
    ['SYNC_START_DATE', '2021-02-30', 'is not a calendar day', 'a calendar day YYYY-MM-DD that is not in the future, or empty (one year back)'],
    ['SYNC_START_DATE', '2099-01-01', 'is in the future', 'a calendar day YYYY-MM-DD that is not in the future, or empty (one year back)'],
    ['SYNC_START_DATE', '1.1.2024', 'is not a date YYYY-MM-DD', 'a calendar day YYYY-MM-DD that is not in the future, or empty (one year back)'],
    ['INFLUX_URL', 'not a url', 'is not a URL', 'an http:// or https:// URL with a host'],
    ['INFLUX_URL', '127.0.0.1:28086', 'is not a URL', 'an http:// or https:// URL with a host'],
    ['INFLUX_URL', 'influxdb:8086', 'has no http:// or https:// scheme', 'an http:// or https:// URL with a host'],
    ['HUAMI_BASE_URL', 'not a url', 'is not a URL', 'an http:// or https:// URL with a host, or empty'],
    ['SYNC_SCHEDULE', '* * *', 'is not a valid cron expression', 'a cron expression of 5 fields (minute hour day month weekday) or 6 (with seconds first)'],
    ['REFRESH_SCHEDULE', '61 * * * *', 'is not a valid cron expression', 'a cron expression of 5 fields (minute hour day month weekday) or 6 (with seconds first)'],
    ['ACCOUNT_NAME', '..', 'is not a safe account name', 'letters, digits, _ - and . (not first), at most 64 characters, or empty (the Huami user id)'],
    ['ACCOUNT_NAME', '../etc', 'is not a safe account name', 'letters, digits, _ - and . (not first), at most 64 characters, or empty (the Huami user id)'],
    ['ACCOUNT_NAME', '.hidden', 'is not a safe account name', 'letters, digits, _ - and . (not first), at most 64 characters, or empty (the Huami user id)'],
    ['HTTP_HOST', 'every interface', 'is not an IP address or host name', 'an IP address (0.0.0.0 = every interface, 127.0.0.1 = this machine only, :: for IPv6) or a host name'],
    ['INFLUX_API_VERSION', '3', 'is not one of the choices', 'one of auto, 1, 2'],
  ])('%s=%j is refused in one line with the value, the reason, what is allowed and an example', (key, value, why, allowed) => {
    const [line, ...more] = problems({ [key]: value });
    expect(more).toEqual([]);
    expect(line).not.toContain('\n');
    expect(line).toMatch(new RegExp(`^${key}=${JSON.stringify(value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `));
    expect(line).toContain(` ${why}; `);
    expect(line).toContain(`; allowed: ${allowed}; `);
    // The example after "e.g." is itself accepted.
    const example = /; e\.g\. [A-Z_]+=(.*)$/.exec(line!)?.[1]?.replace(/^"(.*)"$/, '$1');
    expect(example).toBeDefined();
    expect(problems({ [key]: example! })).toEqual([]);
  });

  it('accepts today and a day in the past as SYNC_START_DATE, and a leap day', () => {
    const today = DateTime.utc().toISODate()!;
    expect(loadConfig({ SYNC_START_DATE: today }).raw.SYNC_START_DATE).toBe(today);
    expect(loadConfig({ SYNC_START_DATE: '2024-02-29' }).raw.SYNC_START_DATE).toBe('2024-02-29');
  });

  it('accepts URLs with a scheme and a host, and an empty HUAMI_BASE_URL', () => {
    expect(loadConfig({ INFLUX_URL: 'https://eu-central-1-1.aws.cloud2.influxdata.com', HUAMI_BASE_URL: 'http://127.0.0.1:8090/' }).raw.INFLUX_URL).toBe('https://eu-central-1-1.aws.cloud2.influxdata.com');
    expect(loadConfig({ HUAMI_BASE_URL: '' }).raw.HUAMI_BASE_URL).toBe('');
  });

  it('parses the cron expressions with the other settings, before anything starts', () => {
    expect(problems({ SYNC_SCHEDULE: 'every half hour', LOG_LEVEL: 'loud' }).map((p) => p.split('=')[0])).toEqual(['SYNC_SCHEDULE', 'LOG_LEVEL']);
    expect(loadConfig({ SYNC_SCHEDULE: '0 6 * * *', REFRESH_SCHEDULE: '0 */6 * * * *' }).raw.SYNC_SCHEDULE).toBe('0 6 * * *');
  });

  it('accepts safe account names', () => {
    expect(loadConfig({ ACCOUNT_NAME: 'anna.k_2-x', HUAMI_EMAIL: 'a@b.c', HUAMI_PASSWORD: 'p' }).accounts[0]?.name).toBe('anna.k_2-x');
  });

  it('refuses an account name of the accounts file that would leave STATE_DIR', () => {
    const f = join(dir, 'accounts-dots.json');
    for (const name of ['..', '../x', '.', 'a/b']) {
      writeFileSync(f, JSON.stringify([{ name, email: 'a@b.c', password: 'x' }]));
      const [line, ...more] = problems({ ACCOUNTS_FILE: f });
      expect(more).toEqual([]);
      expect(line).toMatch(/^ACCOUNTS_FILE .*\[0\.name\] not a safe account name \(it becomes a folder under STATE_DIR\); allowed: letters, digits/);
    }
  });

  it('reports a HUAMI_PASSWORD_FILE that cannot be read once', () => {
    expect(problems({ HUAMI_EMAIL: 'a@b.c', HUAMI_PASSWORD_FILE: join(dir, 'missing') })).toEqual([
      `HUAMI_PASSWORD_FILE points at ${join(dir, 'missing')}, which cannot be read (ENOENT)`,
    ]);
  });

  it('needs no password next to HUAMI_EMAIL: the tokens "mifit-sync login" stored are enough', () => {
    const c = loadConfig({ HUAMI_EMAIL: 'a@b.c' });
    expect(c.accounts).toEqual([{ name: '', email: 'a@b.c', password: '', appToken: '', userId: '', timezone: 'UTC' }]);
    expect(c.demo).toBe(false);
  });

  it('never shows a secret value, and refuses an HTTP_AUTH_TOKEN shorter than 16 characters', () => {
    const [line] = problems({ HTTP_AUTH_TOKEN: 'short-secret' });
    expect(line).toMatch(/^HTTP_AUTH_TOKEN=\(hidden\) is shorter than 16 characters; allowed: at least 16 characters.*; e\.g\. HTTP_AUTH_TOKEN=/);
    expect(line).not.toContain('short-secret');
    expect(problems({ HTTP_AUTH_TOKEN: 'a-long-enough-token' })).toEqual([]);
  });

  it('defaults HTTP_HOST to 127.0.0.1 (outside Docker; the image sets 0.0.0.0)', () => {
    expect(loadConfig({}).raw.HTTP_HOST).toBe('127.0.0.1');
    expect(loadConfig({ HTTP_HOST: '::' }).raw.HTTP_HOST).toBe('::');
    expect(loadConfig({ HTTP_HOST: 'localhost' }).raw.HTTP_HOST).toBe('localhost');
  });
});
