// Renders the README's configuration table and .env.example from the schema, so the
// documentation cannot drift from what the code reads (checked by a test).
import { formatNamed } from './formats.js';
import { schema, SECRET_KEYS } from './schema.js';

type Entry = { doc: string; default: unknown; env: string; sensitive?: boolean; format: unknown };

const entries = (): [string, Entry][] => Object.entries(schema as Record<string, Entry>);

function formatDefault(v: unknown): string {
  if (v === '') return '';
  return String(v);
}

function formatType(f: unknown): string {
  const own = formatNamed(f);
  if (own) return own.type;
  if (Array.isArray(f)) return f.join(' \\| ');
  if (f === String) return 'string';
  if (f === Boolean) return 'boolean';
  if (f === 'nat') return 'integer ≥ 0';
  if (f === 'port') return 'port';
  if (f === 'iana-zone') return 'IANA zone';
  if (f === 'iso-date-or-empty') return 'YYYY-MM-DD';
  return String(f);
}

export const TABLE_BEGIN = '<!-- config-table:begin (generated from src/config/schema.ts; run `npm run docs:config`) -->';
export const TABLE_END = '<!-- config-table:end -->';

/** The Markdown table of every configuration variable. */
export function renderConfigTable(): string {
  const secret = new Set<string>(SECRET_KEYS);
  const lines = ['| Variable | Type | Default | Description |', '|---|---|---|---|'];
  for (const [key, e] of entries()) {
    const name = secret.has(key) ? `\`${e.env}\` (secret; or \`${e.env}_FILE\`)` : `\`${e.env}\``;
    const def = formatDefault(e.default);
    lines.push(`| ${name} | ${formatType(e.format)} | ${def ? `\`${def}\`` : ''} | ${e.doc.replace(/\|/g, '\\|')} |`);
  }
  return lines.join('\n');
}

/** The .env.example file: every variable, commented out at its default. */
export function renderEnvExample(): string {
  const out = [
    '# mifit-sync configuration. Copy to .env and uncomment what you need.',
    '# Generated from src/config/schema.ts (npm run docs:config); a test keeps it in sync.',
    '# Secrets may instead be given as <NAME>_FILE=/run/secrets/<file> (Docker secrets).',
    '',
  ];
  for (const [, e] of entries()) {
    out.push(`# ${e.doc}`);
    out.push(`# ${e.env}=${formatDefault(e.default)}`);
    out.push('');
  }
  return out.join('\n');
}
