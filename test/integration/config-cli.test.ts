// The built CLI and its configuration sources: ./.env (the file compose reads) under the
// environment, wrong settings stopped before any network call, and stored tokens enough.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { accountKey } from '../../src/store/identity.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../support/daemon-cli.js';
import { CLI } from '../support/sync-cli.js';
import { tempDir } from '../support/tmp.js';

const root = tempDir('mifit-config-cli-');

/** Run the CLI in `cwd` with only PATH/HOME plus `env`. */
function cli(args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env }, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A directory holding a .env with these lines. */
function withEnvFile(name: string, lines: string[]): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, '.env'), `${lines.join('\n')}\n`);
  return dir;
}

beforeAll(() => ensureBuilt(), 120_000);

describe('CLI configuration', () => {
  it('reads ./.env, with the environment winning over the file', () => {
    const dir = withEnvFile('dotenv', ['# a comment', 'HUAMI_EMAIL=anna@example.com', 'ACCOUNT_NAME=from-file', `STATE_DIR=${join(root, 'dotenv-state')}`]);
    const fromFile = cli(['status', '--json'], dir);
    expect(fromFile.stderr).toBe('');
    expect(JSON.parse(fromFile.stdout).map((a: { account: string }) => a.account)).toEqual(['from-file']);
    const fromEnv = cli(['status', '--json'], dir, { ACCOUNT_NAME: 'from-env' });
    expect(JSON.parse(fromEnv.stdout).map((a: { account: string }) => a.account)).toEqual(['from-env']);
  });

  it('stops on a wrong setting in ./.env with one line naming it, before any network call', () => {
    // INFLUX_URL points nowhere: a run that got past the configuration would try it.
    const dir = withEnvFile('bad', ['SYNC_DETAIL=maybe', 'HUAMI_EMAIL=anna@example.com', 'HUAMI_PASSWORD=pw', 'INFLUX_URL=http://127.0.0.1:1']);
    const r = cli(['sync'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'mifit-sync: [CONFIG_INVALID] Invalid configuration:\n  - SYNC_DETAIL="maybe" is not a yes/no value; allowed: true, false, 1, 0, yes, no, on or off; e.g. SYNC_DETAIL=false\n',
    );
  });

  it('says in --help where the configuration comes from', () => {
    for (const args of [['--help'], ['sync', '--help']]) {
      expect(cli(args, root).stdout).toMatch(/from the environment and from \.\/\.env when present[\s\S]*a variable set in the environment wins over the file/);
    }
  });

  it('shows "status" from the tokens a login stored, with HUAMI_EMAIL and no password', () => {
    const state = join(root, 'tokens-state');
    // What an interactive `mifit-sync login` leaves for the account (its folder is keyed by the e-mail).
    const key = accountKey({ email: 'anna@example.com', userId: '' });
    mkdirSync(join(state, key), { recursive: true });
    writeFileSync(join(state, key, 'tokens.json'), JSON.stringify({ version: 1, deviceId: 'd', userId: '1234567', appToken: 'tok-abc', appTokenObtainedAt: Date.parse('2026-01-01T00:00:00Z'), appTokenExpiresAt: Date.parse('2026-03-02T00:00:00Z') }));
    const r = cli(['status', '--json'], root, { HUAMI_EMAIL: 'anna@example.com', ACCOUNT_NAME: 'anna', STATE_DIR: state });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)[0]).toMatchObject({ account: 'anna', userId: '1234567', appTokenObtainedAt: '2026-01-01T00:00:00.000Z' });
  });
});
