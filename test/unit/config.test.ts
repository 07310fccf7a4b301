import { writeFileSync } from 'node:fs';
import { tempDir } from '../support/tmp.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, influxApiVersion, loadConfig } from '../../src/config/load.js';

const dir = tempDir('mifit-config-');

describe('configuration', () => {
  it('uses documented defaults and enters demo mode when no account is configured', () => {
    const c = loadConfig({});
    expect(c.raw.SYNC_LOOKBACK_DAYS).toBe(3);
    expect(c.raw.HUAMI_CHUNK_DAYS).toBe(30);
    expect(c.raw.HTTP_PORT).toBe(8080);
    expect(c.accounts).toEqual([]);
    expect(c.demo).toBe(true);
    expect(loadConfig({ DEMO_MODE: 'off' }).demo).toBe(false);
  });

  it('builds one account from the environment', () => {
    const c = loadConfig({ HUAMI_EMAIL: 'a@b.c', HUAMI_PASSWORD: 'pw', TIMEZONE: 'Europe/Berlin', ACCOUNT_NAME: 'anna' });
    expect(c.demo).toBe(false);
    expect(c.accounts).toEqual([
      { name: 'anna', email: 'a@b.c', password: 'pw', appToken: '', userId: '', timezone: 'Europe/Berlin' },
    ]);
  });

  it('lists every problem at once, naming the variable and the way out', () => {
    try {
      loadConfig({ TIMEZONE: 'Mars/Base', SYNC_LOOKBACK_DAYS: '-1', HUAMI_APP_TOKEN: 'x', INFLUX_API_VERSION: '3' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const msg = (err as Error).message;
      expect(msg).toMatch(/TIMEZONE/);
      expect(msg).toMatch(/IANA/);
      expect(msg).toMatch(/SYNC_LOOKBACK_DAYS/);
      expect(msg).toMatch(/INFLUX_API_VERSION/);
      expect(msg).toMatch(/HUAMI_USER_ID/);
    }
  });

  it('reads secrets from *_FILE and never echoes them in errors', () => {
    const f = join(dir, 'pw');
    writeFileSync(f, 's3cret-value\n');
    const c = loadConfig({ HUAMI_EMAIL: 'a@b.c', HUAMI_PASSWORD_FILE: f });
    expect(c.accounts[0]?.password).toBe('s3cret-value');
    try {
      loadConfig({ HUAMI_PASSWORD: 's3cret-value', HUAMI_PASSWORD_FILE: f, HUAMI_EMAIL: 'a@b.c' });
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).toMatch(/both set/);
      expect((err as Error).message).not.toContain('s3cret-value');
    }
  });

  it('reads several accounts from ACCOUNTS_FILE and rejects duplicates', () => {
    const f = join(dir, 'accounts.json');
    writeFileSync(f, JSON.stringify([
      { name: 'anna', email: 'a@b.c', password: 'x', timezone: 'Europe/Berlin' },
      { name: 'ben', appToken: 'tok', userId: 42 },
    ]));
    const c = loadConfig({ ACCOUNTS_FILE: f, TIMEZONE: 'America/New_York' });
    expect(c.accounts.map((a) => [a.name, a.userId, a.timezone])).toEqual([
      ['anna', '', 'Europe/Berlin'],
      ['ben', '42', 'America/New_York'],
    ]);
    writeFileSync(f, JSON.stringify([{ name: 'a', email: 'x' }, { name: 'a', email: 'y' }]));
    expect(() => loadConfig({ ACCOUNTS_FILE: f })).toThrow(/appears twice/);
  });

  it('chooses the InfluxDB write API from what is configured', () => {
    expect(influxApiVersion(loadConfig({}).raw)).toBe(1);
    expect(influxApiVersion(loadConfig({ INFLUX_TOKEN: 't', INFLUX_BUCKET: 'b', INFLUX_ORG: 'o' }).raw)).toBe(2);
    expect(influxApiVersion(loadConfig({ INFLUX_TOKEN: 't', INFLUX_API_VERSION: '1' }).raw)).toBe(1);
  });
});
