// `npm run fuzz [-- CASES [SEED]]` (not a test): the decoder's totality properties of
// src/bench/decode-fuzz.ts over CASES fast-check cases (default 1,000,000), counted instead of
// stopping at the first failure. Prints the cases, throws, DECODE_FAILED last resorts, schema
// violations, out-of-window points, warnings by code and the wall time; exits 1 when any property
// broke, with the first few failing inputs (rerun with the printed seed to reproduce).
import fc from 'fast-check';
import { caseArb, problemsOf, runCase, validPool, type DecodeCase } from './decode-fuzz.js';

const cases = Number(process.argv[2] ?? 1_000_000);
const seed = Number(process.argv[3] ?? Date.now() % 2 ** 31);
if (!Number.isSafeInteger(cases) || cases <= 0 || !Number.isSafeInteger(seed)) {
  process.stderr.write('usage: npm run fuzz -- [CASES (a positive integer, default 1000000)] [SEED (an integer)]\n');
  process.exit(2);
}

const counts = { cases: 0, itemCases: 0, responseCases: 0, points: 0, warnings: 0, throws: 0, decodeFailed: 0, schemaViolations: 0, outOfWindow: 0, warningProblems: 0, spanProblems: 0 };
const byCode = new Map<string, number>();
const failures: { c: DecodeCase; problems: string[] }[] = [];
const started = performance.now();
const every = Math.max(1, Math.round(cases / 10));

validPool(); // generate the fake items before the clock matters
fc.assert(
  fc.property(caseArb, (c) => {
    const o = runCase(c);
    counts.cases++;
    if (c.kind === 'item') counts.itemCases++;
    else counts.responseCases++;
    counts.points += o.points;
    counts.warnings += o.warnings.length;
    for (const w of o.warnings) byCode.set(w.code, (byCode.get(w.code) ?? 0) + 1);
    if (o.threw) counts.throws++;
    counts.decodeFailed += o.decodeFailed;
    counts.schemaViolations += o.schema.length;
    counts.outOfWindow += o.window.length;
    counts.warningProblems += o.warningProblems.length;
    counts.spanProblems += o.spanProblems.length;
    const problems = problemsOf(o);
    if (problems.length && failures.length < 5) failures.push({ c, problems: problems.slice(0, 5) });
    if (counts.cases % every === 0) process.stderr.write(`${counts.cases} cases, ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
    return true; // counted, not stopped: the run reports every failure class
  }),
  { numRuns: cases, seed },
);
const seconds = (performance.now() - started) / 1000;

const show = (v: unknown): string => {
  const s = JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));
  return s && s.length > 600 ? `${s.slice(0, 600)}...` : String(s);
};
const lines = [
  `decoder fuzz: ${counts.cases} cases (seed ${seed}) in ${seconds.toFixed(1)} s (${((seconds * 1e6) / counts.cases).toFixed(0)} µs per case)`,
  `  item cases              ${counts.itemCases}`,
  `  response cases          ${counts.responseCases}`,
  `  points checked          ${counts.points}`,
  `  throws                  ${counts.throws}`,
  `  DECODE_FAILED           ${counts.decodeFailed}`,
  `  schema violations       ${counts.schemaViolations}`,
  `  out-of-window points    ${counts.outOfWindow}`,
  `  warning problems        ${counts.warningProblems}`,
  `  span problems           ${counts.spanProblems}`,
  `  warnings                ${counts.warnings}, by code:`,
  ...[...byCode].sort((a, b) => b[1] - a[1]).map(([code, n]) => `    ${code.padEnd(22)}${n}`),
];
process.stdout.write(`${lines.join('\n')}\n`);
for (const f of failures) process.stdout.write(`\nFAILED ${show(f.c)}\n  ${f.problems.join('\n  ')}\n`);
process.exit(failures.length ? 1 : 0);
