// The token file survives restarts, is private (0600), written atomically, and a corrupt
// or empty one costs a fresh login — never a crash loop, never other state.
import type { AccountConfig } from '../../src/config/accounts.js';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEMO_EMAIL, DEMO_USER_ID } from '../../src/fake/accounts.js';
import { accountKey } from '../../src/store/identity.js';
import { makeClient, tempStateDir } from '../support/auth-client.js';
import { useFakeServer } from '../support/fake-server.js';
import { captureLogs } from '../support/log-capture.js';

/** The demo account's state folder: named after its e-mail, not its name. */
const DEMO_KEY = accountKey({ email: DEMO_EMAIL, userId: '' });

const srv = useFakeServer('test', { quiet: true });
let stateDir: string;
beforeEach(() => {
  stateDir = tempStateDir();
});

describe('token store', () => {
  it('writes tokens.json with mode 0600 and leaves no temp file behind', async () => {
    await makeClient(srv.url, stateDir, captureLogs()).client.ensureCredentials();
    const file = join(stateDir, DEMO_KEY, 'tokens.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(stateDir, DEMO_KEY))).toEqual(['tokens.json']);
    const set = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(set).toMatchObject({ version: 1, userId: DEMO_USER_ID, region: 'eu-central-1', countryCode: 'DE', dataHost: 'api-mifit-de2.huami.com', appTokenSource: 'login' });
    for (const k of ['accessCode', 'accessCodeExpiresAt', 'loginToken', 'loginTokenExpiresAt', 'appToken', 'appTokenObtainedAt', 'appTokenExpiresAt', 'deviceId']) expect(set).toHaveProperty(k);
  });

  it('keeps the device id across logins (stable per install)', async () => {
    await makeClient(srv.url, stateDir, captureLogs()).client.ensureCredentials();
    const file = join(stateDir, DEMO_KEY, 'tokens.json');
    const first = (JSON.parse(readFileSync(file, 'utf8')) as { deviceId: string }).deviceId;
    srv.accounts.revoke(DEMO_USER_ID);
    await makeClient(srv.url, stateDir, captureLogs()).client.ensureCredentials();
    expect((JSON.parse(readFileSync(file, 'utf8')) as { deviceId: string }).deviceId).toBe(first);
  });

  it.each([
    ['corrupt', '{"version":1,"appToken":"AT_half'],
    ['empty', ''],
    ['of another shape', '{"hello":"world"}'],
  ])('a %s token file is reported once, without its content, and replaced by a fresh login; other state survives', async (_kind, content) => {
    const dir = join(stateDir, DEMO_KEY);
    mkdirSync(join(dir, 'days'), { recursive: true });
    writeFileSync(join(dir, 'tokens.json'), content);
    writeFileSync(join(dir, 'days', '2026-01-01.json'), '{"hash":"x"}');
    const logs = captureLogs();
    const { client } = makeClient(srv.url, stateDir, logs);
    expect((await client.ensureCredentials()).via).toBe('password');
    const errors = logs.records().filter((r) => r.msg === 'token file is unusable; ignoring it and logging in again');
    expect(errors).toHaveLength(1);
    expect(JSON.stringify(errors[0])).not.toContain('AT_half');
    expect(readFileSync(join(dir, 'days', '2026-01-01.json'), 'utf8')).toBe('{"hash":"x"}');
    expect((JSON.parse(readFileSync(join(dir, 'tokens.json'), 'utf8')) as { userId: string }).userId).toBe(DEMO_USER_ID);
  });

  it('names the account directory by a hash of the e-mail, else the user id, never by the name (no e-mail on disk)', () => {
    // sha256("jane@example.com"), first 12 hex digits (computed with sha256sum).
    expect(accountKey({ email: 'Jane@Example.com', userId: '' })).toBe('email-8c87b489ce35');
    expect(accountKey({ email: 'jane@example.com ', userId: '7' })).toBe('email-8c87b489ce35');
    const named: Pick<AccountConfig, 'name' | 'email' | 'userId'> = { name: 'alice', email: 'jane@example.com', userId: '' };
    const renamed = { ...named, name: 'bob' };
    expect(accountKey(named)).toBe(accountKey(renamed));
    expect(accountKey({ email: '', userId: '42' })).toBe('user-42');
  });
});
