// Golden files of the health-event decoder: every folder under test/golden/events is a case
// (input.json = {eventType, pages: [{items, next?}, ...]} as the endpoint answers them, the pages'
// items concatenated as the sync will; options.json; expected.lp with types locked by `i`
// suffixes; expected-warnings.json). UPDATE_GOLDEN=1 rewrites the expectations: review by hand.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeEvents } from '../../src/decode/events/index.js';
import { toLines } from '../../src/schema/line-protocol.js';

const ROOT = fileURLToPath(new URL('../golden/events/', import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

describe('health-event decoder golden files', () => {
  const cases = readdirSync(ROOT, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  it('has the cases the issue asks for', () => {
    expect(cases).toEqual(expect.arrayContaining(['stress-dst-berlin-spring-forward', 'paging-next', 'paging-truncate', 'readiness-duplicates', 'readiness-255-flat', 'string-numbers']));
  });

  for (const name of cases) {
    it(`${name}: decodes to expected.lp and expected-warnings.json`, () => {
      const dir = join(ROOT, name);
      const input = readJson(join(dir, 'input.json')) as { eventType: string; pages: { items: unknown[] }[] };
      const opts = readJson(join(dir, 'options.json')) as { timeZone: string; user: string };
      const { days, warnings } = decodeEvents(input.eventType, input.pages.flatMap((p) => p.items), opts);
      const lp = `${toLines(days.flatMap((d) => d.points))}\n`;
      if (UPDATE) {
        writeFileSync(join(dir, 'expected.lp'), lp);
        writeFileSync(join(dir, 'expected-warnings.json'), `${JSON.stringify(warnings, null, 2)}\n`);
      }
      expect(lp).toBe(readFileSync(join(dir, 'expected.lp'), 'utf8'));
      expect(warnings).toEqual(existsSync(join(dir, 'expected-warnings.json')) ? readJson(join(dir, 'expected-warnings.json')) : []);
    });
  }
});
