// `./.env` for the CLI outside Docker: the same file docker compose reads, so one file
// configures both. Parsed by Node's own util.parseEnv; a variable already in the
// environment wins over the file (as with compose).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';

export interface DotEnv {
  /** The environment with the file's variables added underneath. */
  env: NodeJS.ProcessEnv;
  /** The file that was read, when there was one. */
  file?: string;
}

/** `env` plus the variables of `<dir>/.env` that `env` does not set itself. */
export function withDotEnv(env: NodeJS.ProcessEnv, dir: string): DotEnv {
  const file = resolve(dir, '.env');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { env };
    throw new Error(`${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}); fix its permissions or remove it`);
  }
  return { env: { ...parseEnv(text), ...env }, file };
}
