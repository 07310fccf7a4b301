// The decoder is total (docs/architecture.md "Decoder"): for any input — valid fake-cloud items
// mutated field by field, responses of them, or arbitrary values — decodeItem/decodeResponse
// return, every point passes the schema's checkPoint and lies in its day's window (docs/metrics.md
// "Windows", computed with luxon in src/bench/decode-fuzz.ts), and every warning names its day
// (and, for a dropped value, the field). `npm run fuzz` runs the same properties a million times.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeItem } from '../../src/decode/index.js';
import { caseArb, problemsOf, runCase, validPool } from '../../src/bench/decode-fuzz.js';

const RUNS = 2000;
const SEED = Number(process.env.FC_SEED ?? 20260121);

describe('decoder totality (fast-check)', () => {
  it('the valid pool decodes without warnings other than the 8-byte records note', () => {
    // Guards the property below against a pool that is already broken (it would only test drops).
    for (const e of validPool()) {
      const day = decodeItem({ date_time: e.date, summary: e.summaryB64, data: e.data, data_hr: e.dataHr }, { timeZone: e.zone, user: 'u' });
      expect(day.warnings.filter((w) => w.code !== 'DATA_WIDTH'), `${e.zone} ${e.date}`).toEqual([]);
      expect(day.points.length).toBeGreaterThan(100);
    }
  });

  it(`${RUNS} mutated and arbitrary inputs: no throw, every point schema-valid and inside its window, warnings name day and field`, () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        expect(problemsOf(runCase(c))).toEqual([]);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
