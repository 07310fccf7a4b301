// Reads docker-compose.yml the way Compose does for what the tests need: the services and
// `${VAR:-default}` / `${VAR-default}` / `${VAR}` interpolation against a given environment.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface ComposeService {
  image?: string;
  build?: unknown;
  restart?: string;
  entrypoint?: string[] | string;
  environment?: Record<string, string | number | boolean | null>;
  depends_on?: Record<string, { condition?: string }>;
  healthcheck?: { test?: string[] | string; start_period?: string };
  volumes?: string[];
  ports?: string[];
  stop_grace_period?: string;
}
export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

export const COMPOSE_PATH = new URL('../../docker-compose.yml', import.meta.url);

/** docker-compose.yml parsed (without interpolation). */
export function loadCompose(): ComposeFile {
  return parse(readFileSync(COMPOSE_PATH, 'utf8')) as ComposeFile;
}

const REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}/g;

/** Interpolate one value the way Compose does (`:-` also replaces an empty value). */
export function interpolate(value: string, env: Record<string, string | undefined>): string {
  return value.replace(REF, (_m, name: string, op: string | undefined, def: string | undefined) => {
    const v = env[name];
    if (op === ':-') return v ? v : (def ?? '');
    if (op === '-') return v !== undefined ? v : (def ?? '');
    return v ?? '';
  });
}

/** The variable a value reads and its default, when the value is exactly `${VAR:-default}`. */
export function reference(value: string): { name: string; def: string } | undefined {
  const m = /^\$\{([A-Za-z_][A-Za-z0-9_]*):?-([^}]*)\}$/.exec(value);
  return m ? { name: m[1]!, def: m[2]! } : undefined;
}

/** A service's environment, interpolated against `env` (an empty object = a fresh clone, no .env). */
export function serviceEnv(service: string, env: Record<string, string | undefined> = {}): Record<string, string> {
  const s = loadCompose().services[service];
  if (!s) throw new Error(`no service ${service} in docker-compose.yml`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.environment ?? {})) out[k] = interpolate(String(v ?? ''), env);
  return out;
}
