// Rewrites the README configuration table and .env.example from the built schema.
import { readFileSync, writeFileSync } from 'node:fs';
import { renderConfigTable, renderEnvExample, TABLE_BEGIN, TABLE_END } from '../dist/config/docs.js';

const readme = readFileSync('README.md', 'utf8');
const start = readme.indexOf(TABLE_BEGIN);
const end = readme.indexOf(TABLE_END);
if (start < 0 || end < 0) throw new Error('README.md lacks the config-table markers');
writeFileSync('README.md', readme.slice(0, start + TABLE_BEGIN.length) + '\n' + renderConfigTable() + '\n' + readme.slice(end));
let env = renderEnvExample();
try {
  const extra = readFileSync('.env.stack.example', 'utf8');
  env += '\n' + extra;
} catch {}
writeFileSync('.env.example', env);
console.log('README.md and .env.example updated');
