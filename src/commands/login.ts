// `mifit-sync login [--account NAME]`: run the refresh ladder for the configured
// account(s) and store the tokens. Prompts for e-mail and password only on a terminal
// and only when nothing is configured; the daemon itself never prompts.
import password from '@inquirer/password';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { AccountConfig } from '../config/accounts.js';
import { loadConfig } from '../config/load.js';
import { HuamiError } from '../fetch/errors.js';
import { createHuamiClient } from '../fetch/from-config.js';
import { createLogger } from '../log.js';

/** Ask for the e-mail (echoed) on stderr, so stdout keeps only the result. */
function askEmail(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      resolve(answer.trim());
    });
  });
}

/** Ask for the password without echoing it (@inquirer/password), on stderr like the e-mail. */
async function askPassword(message: string): Promise<string> {
  return (await password({ message }, { input: process.stdin, output: process.stderr })).trim();
}

function when(ms: number | undefined): string {
  return ms === undefined ? 'unknown (a pasted token carries no expiry)' : new Date(ms).toISOString();
}

/** Exit 0 when every selected account has working tokens. */
export async function run(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseArgs({ args, options: { account: { type: 'string' } }, strict: true });
  const config = loadConfig(env);
  const logger = createLogger(config.raw.LOG_LEVEL);
  let accounts: AccountConfig[] = config.accounts;
  if (accounts.length === 0) {
    if (!process.stdin.isTTY) {
      process.stderr.write('mifit-sync login: no account configured. Set HUAMI_EMAIL + HUAMI_PASSWORD (or HUAMI_APP_TOKEN + HUAMI_USER_ID), or run this command in a terminal to be asked.\n');
      return 2;
    }
    const email = await askEmail('Zepp / Mi Fit e-mail: ');
    const secret = await askPassword('Password (not shown):');
    accounts = [{ name: config.raw.ACCOUNT_NAME, email, password: secret, appToken: '', userId: '', timezone: config.raw.TIMEZONE }];
  }
  if (values.account) {
    accounts = accounts.filter((a) => a.name === values.account);
    if (!accounts.length) {
      process.stderr.write(`mifit-sync login: no account named "${values.account}"\n`);
      return 2;
    }
  }
  let failed = 0;
  for (const account of accounts) {
    const client = createHuamiClient(config.raw, account, logger);
    const label = account.name || account.email || account.userId;
    try {
      const s = await client.ensureCredentials();
      process.stdout.write(
        [
          `${label}: logged in (${s.via === 'stored' ? 'stored token still valid' : `via ${s.via}`})`,
          `  user id:          ${s.userId}`,
          `  region:           ${s.region ?? 'unknown'} (${s.countryCode ?? '?'}), data host ${s.dataHost}`,
          `  app token expiry: ${when(s.appTokenExpiresAt)}`,
          '',
        ].join('\n'),
      );
    } catch (err) {
      failed++;
      const e = err as HuamiError;
      process.stderr.write(`${label}: login failed: ${err instanceof HuamiError ? `[${e.code}] ` : ''}${e.message}\n`);
    }
  }
  return failed ? 1 : 0;
}
