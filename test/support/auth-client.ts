// Builds a real HuamiClient pointed at a fake server, with a fresh state directory and
// captured logs, for the huami-* integration tests.
import { readdirSync, readFileSync } from 'node:fs';
import { tempDir } from './tmp.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccountConfig } from '../../src/config/accounts.js';
import { DEMO_EMAIL, DEMO_PASSWORD } from '../../src/fake/accounts.js';
import { HuamiClient, type HuamiClientOptions } from '../../src/fetch/client.js';
import type { LogCapture } from './log-capture.js';

export const demoAccount = (over: Partial<AccountConfig> = {}): AccountConfig => ({
  name: 'demo',
  email: DEMO_EMAIL,
  password: DEMO_PASSWORD,
  appToken: '',
  userId: '',
  timezone: 'Europe/Berlin',
  ...over,
});

/** A fresh STATE_DIR under the OS temp dir. */
export function tempStateDir(): string {
  return tempDir('mifit-huami-');
}

export interface ClientHarness {
  client: HuamiClient;
  hosts: { host: string; path: string; status: number | 'error' }[];
}

/** A client with fast retries, logging into `logs`, recording the hosts it reached. */
export function makeClient(baseUrl: string, stateDir: string, logs: LogCapture, over: Partial<HuamiClientOptions> = {}): ClientHarness {
  const hosts: ClientHarness['hosts'] = [];
  const client = new HuamiClient({
    account: demoAccount(),
    stateDir,
    baseUrl,
    appName: 'com.xiaomi.hm.health',
    loginFlow: 'auto',
    chunkDays: 30,
    timeoutMs: 5000,
    maxRetries: 3,
    loginBackoffHours: 6,
    retryBaseMs: 20,
    logger: logs.logger,
    onRequest: (info) => hosts.push(info),
    ...over,
  });
  return { client, hosts };
}

/** Every token and access code stored under a STATE_DIR (for "no secret in the logs" checks). */
export function storedSecrets(stateDir: string): string[] {
  const out: string[] = [];
  let dirs: string[] = [];
  try {
    dirs = readdirSync(stateDir);
  } catch {
    return out;
  }
  for (const d of dirs) {
    try {
      const t = JSON.parse(readFileSync(join(stateDir, d, 'tokens.json'), 'utf8')) as Record<string, unknown>;
      for (const k of ['appToken', 'loginToken', 'accessCode']) if (typeof t[k] === 'string') out.push(t[k]);
    } catch {
      // no or unreadable token file
    }
  }
  return out;
}
