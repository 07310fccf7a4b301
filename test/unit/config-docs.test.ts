import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderConfigTable, renderEnvExample, TABLE_BEGIN, TABLE_END } from '../../src/config/docs.js';
import { schema } from '../../src/config/schema.js';

describe('configuration documentation', () => {
  it('the README table is exactly the one generated from the schema', () => {
    const readme = readFileSync('README.md', 'utf8');
    const table = readme.slice(readme.indexOf(TABLE_BEGIN) + TABLE_BEGIN.length, readme.indexOf(TABLE_END)).trim();
    expect(table).toBe(renderConfigTable());
  });

  it('.env.example documents every variable of the schema', () => {
    const env = readFileSync('.env.example', 'utf8');
    expect(env.startsWith(renderEnvExample())).toBe(true);
    for (const key of Object.keys(schema)) expect(env).toMatch(new RegExp(`^# ${key}=`, 'm'));
  });

  it('the example accounts file is valid for the accounts parser', async () => {
    const { parseAccountsFile } = await import('../../src/config/accounts.js');
    const { loadConfig } = await import('../../src/config/load.js');
    const raw = loadConfig({}).raw;
    // passwordFile points at a Docker secret that does not exist here: replace it for parsing
    const text = readFileSync('config/accounts.example.json', 'utf8').replace(/"passwordFile": "[^"]+"/, '"password": "x"');
    expect(parseAccountsFile(text, raw, {}).map((a) => a.name)).toEqual(['anna', 'ben']);
  });
});
