// Table-driven golden test: every folder under test/golden is a case (input.json → response.json,
// options.json, expected.lp with types locked by `i` suffixes, expected-warnings.json).
// UPDATE_GOLDEN=1 rewrites response.json and the expectations; review the diff by hand.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeResponse } from '../../src/decode/index.js';
import { toLines } from '../../src/schema/line-protocol.js';
import { buildResponse, goldenCases, type GoldenInput } from '../golden/make.js';

const ROOT = fileURLToPath(new URL('../golden/', import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

describe('decoder golden files', () => {
  const cases = goldenCases(ROOT);
  it('has the cases the issue asks for', () => {
    expect(cases.length).toBeGreaterThanOrEqual(21);
  });

  for (const name of cases) {
    it(`${name}: decodes to expected.lp and expected-warnings.json`, () => {
      const dir = join(ROOT, name);
      const response = buildResponse(readJson(join(dir, 'input.json')) as GoldenInput);
      const opts = readJson(join(dir, 'options.json')) as { timeZone: string; user: string };
      const { days, warnings } = decodeResponse(response, opts);
      const lp = `${toLines(days.flatMap((d) => d.points))}\n`;
      if (UPDATE) {
        writeFileSync(join(dir, 'response.json'), `${JSON.stringify(response, null, 2)}\n`);
        writeFileSync(join(dir, 'expected.lp'), lp);
        writeFileSync(join(dir, 'expected-warnings.json'), `${JSON.stringify(warnings, null, 2)}\n`);
      }
      // response.json is what the API would send; it must be exactly what input.json describes.
      expect(readJson(join(dir, 'response.json'))).toEqual(response);
      expect(lp).toBe(readFileSync(join(dir, 'expected.lp'), 'utf8'));
      const expectedWarnings = existsSync(join(dir, 'expected-warnings.json')) ? readJson(join(dir, 'expected-warnings.json')) : [];
      expect(warnings).toEqual(expectedWarnings);
      // The decoder never mislabels a warning's day: each names a date of the response (or '' for response-level ones).
      const dates = new Set(days.map((d) => d.date));
      for (const w of warnings) expect(w.day === '' || dates.has(w.day)).toBe(true);
    });
  }
});
