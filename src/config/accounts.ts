// Several accounts in one process: a JSON file (ACCOUNTS_FILE) with an array of
// accounts. Secrets in it may be given inline or as `passwordFile` / `appTokenFile`.
// zod is loaded on first use (require of its ES module: the same instance an import gives):
// every process loads the configuration, but one without ACCOUNTS_FILE (the daemon with a
// sync worker, docs/architecture.md "Daemon") then never holds zod's ~10 MB.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { ACCOUNT_NAME_ALLOWED, ACCOUNT_NAME_RE } from './formats.js';
import type { RawConfig } from './schema.js';

export interface AccountConfig {
  /** `user` tag value; empty = the Huami user id once known. */
  name: string;
  email: string;
  password: string;
  appToken: string;
  userId: string;
  /** IANA zone. */
  timezone: string;
}

type Zod = typeof import('zod');

const requireEsm = createRequire(import.meta.url);
let zod: Zod | undefined;
function loadZod(): Zod {
  return (zod ??= requireEsm(fileURLToPath(import.meta.resolve('zod'))) as Zod);
}

const accountSchema = ({ z }: Zod) =>
  z
    .object({
      name: z.string().regex(ACCOUNT_NAME_RE, `not a safe account name (it becomes a folder under STATE_DIR); allowed: ${ACCOUNT_NAME_ALLOWED}; e.g. "anna"`),
      email: z.string().default(''),
      password: z.string().default(''),
      passwordFile: z.string().optional(),
      appToken: z.string().default(''),
      appTokenFile: z.string().optional(),
      userId: z.union([z.string(), z.number()]).transform(String).default(''),
      timezone: z.string().optional(),
    })
    .strict();

function readSecret(account: string, field: string, file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new Error(`account "${account}": ${field} ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

export function parseAccountsFile(text: string, raw: RawConfig, _env: NodeJS.ProcessEnv): AccountConfig[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`not valid JSON (${(err as Error).message})`);
  }
  const z = loadZod();
  const parsed = z.z.array(accountSchema(z)).min(1).safeParse(json);
  if (!parsed.success) {
    const msg = parsed.error.issues.map((i) => `[${i.path.join('.')}] ${i.message}`).join('; ');
    throw new Error(`expected an array of {name, email, password|passwordFile, appToken|appTokenFile, userId, timezone}: ${msg}`);
  }
  const names = new Set<string>();
  return parsed.data.map((a, i) => {
    if (names.has(a.name)) throw new Error(`account name "${a.name}" appears twice`);
    names.add(a.name);
    const password = a.passwordFile ? readSecret(a.name, 'passwordFile', a.passwordFile) : a.password;
    const appToken = a.appTokenFile ? readSecret(a.name, 'appTokenFile', a.appTokenFile) : a.appToken;
    if (!a.email && !appToken) throw new Error(`account [${i}] "${a.name}" needs email+password or appToken+userId`);
    if (appToken && !a.userId) throw new Error(`account [${i}] "${a.name}" has an appToken but no userId`);
    const timezone = a.timezone ?? raw.TIMEZONE;
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    } catch {
      throw new Error(`account "${a.name}": "${timezone}" is not an IANA time zone`);
    }
    return { name: a.name, email: a.email, password, appToken, userId: a.userId, timezone };
  });
}
