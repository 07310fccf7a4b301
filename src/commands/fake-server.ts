// `mifit-sync fake-server [--port N] [--seed S] [--from YYYY-MM-DD] [--accounts N] [--quiet]`: runs the fake
// Huami cloud until SIGINT/SIGTERM, with no faults. Prints the URL to point HUAMI_BASE_URL
// at, the demo credentials and an app token it issued (for the HUAMI_APP_TOKEN path).
// These are the fake server's own throwaway credentials, never a real account's.
// `--accounts N` adds N more accounts, fakeI@example.com / fake-password-I (user id
// 3000000000 + I, I = 1..N), for many-account runs (the bench).
import { isIsoDate } from '../fake/data/clock.js';
import { DEMO_EMAIL, DEMO_PASSWORD, DEMO_USER_ID, startFakeServer } from '../fake/index.js';

interface Args { port: number; seed: number; from?: string; quiet: boolean; accounts: number }

function parseArgs(args: string[]): Args | string {
  const out: Args = { port: 0, seed: 1, quiet: false, accounts: 0 };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? args[++i];
    if (flag === '--quiet') out.quiet = true;
    else if (flag === '--port') {
      const v = Number(value());
      if (!Number.isInteger(v) || v < 0 || v > 65535) return '--port needs a number 0..65535 (0 = any free port)';
      out.port = v;
    } else if (flag === '--seed') {
      const v = Number(value());
      if (!Number.isInteger(v)) return '--seed needs an integer';
      out.seed = v;
    } else if (flag === '--from') {
      const v = value();
      if (!v || !isIsoDate(v)) return '--from needs a date YYYY-MM-DD';
      out.from = v;
    } else if (flag === '--accounts') {
      const v = Number(value());
      if (!Number.isInteger(v) || v < 0 || v > 100_000) return '--accounts needs a number 0..100000';
      out.accounts = v;
    } else return `unknown option "${a}"`;
  }
  return out;
}

/** Run the fake server until a signal; exit code 0 on a clean stop, 2 on bad arguments. */
export async function run(args: string[], _env: NodeJS.ProcessEnv): Promise<number> {
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    process.stderr.write(`mifit-sync fake-server: ${parsed}\nusage: mifit-sync fake-server [--port N] [--seed S] [--from YYYY-MM-DD] [--accounts N] [--quiet]\n`);
    return 2;
  }
  const server = await startFakeServer({ port: parsed.port, seed: parsed.seed, from: parsed.from, quiet: parsed.quiet });
  for (let i = 1; i <= parsed.accounts; i++) server.accounts.add({ email: `fake${i}@example.com`, password: `fake-password-${i}`, userId: String(3_000_000_000 + i) });
  const appToken = server.accounts.issueAppToken(DEMO_USER_ID);
  process.stdout.write(
    `Fake Huami cloud listening on ${server.url}\n` +
      `  HUAMI_BASE_URL=${server.url}\n` +
      `  demo account: ${DEMO_EMAIL} / ${DEMO_PASSWORD} (user id ${DEMO_USER_ID})\n` +
      `  app token: ${appToken}\n` +
      `Stop with Ctrl-C.\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return 0;
}
