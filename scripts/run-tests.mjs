// The test command (`npm test`): build, run vitest (with the typecheck of src and tests
// alongside, on its own), then print the closing line CI reads: `N passed, N failed,
// N skipped`. Both tsc runs are incremental (build info under node_modules/.cache), so a
// second `npm test` re-checks only what changed.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';

const report = 'test-output/vitest.json';
rmSync(report, { force: true });
const cache = 'node_modules/.cache/mifit-sync';
// An incremental build does not notice a deleted dist/: start from scratch then.
if (!existsSync('dist/cli.js')) rmSync(`${cache}/build.tsbuildinfo`, { force: true });
const tsc = 'node_modules/typescript/bin/tsc';
const started = new Date();
const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--incremental', '--tsBuildInfoFile', `${cache}/build.tsbuildinfo`], { stdio: 'inherit' });
if (build.status === 0) chmodSync('dist/cli.js', 0o755); // as `npm run build` leaves it
if (build.status !== 0) {
  console.log('build failed');
  console.log('0 passed, 1 failed');
  process.exit(build.status ?? 1);
}
// When dist/ last matched src/ (test/support/daemon-cli.ts ensureBuilt() reads it).
writeFileSync('dist/.build-stamp', '');
utimesSync('dist/.build-stamp', started, started);
// The typecheck runs while vitest runs (the suite mostly waits on child processes and HTTP);
// its output is printed after the tests so that the two do not interleave.
const typecheck = new Promise((resolve) => {
  const child = spawn(process.execPath, [tsc, '-p', 'tsconfig.test.json', '--incremental', '--tsBuildInfoFile', `${cache}/test.tsbuildinfo`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (b) => (out += b));
  child.stderr.on('data', (b) => (out += b));
  child.on('close', (status) => resolve({ status, out }));
});
const args = ['vitest', 'run', ...process.argv.slice(2)];
const res = spawnSync('npx', args, { stdio: 'inherit' });
let passed = 0, failed = 0, skipped = 0;
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed = r.numPassedTests ?? 0;
  failed = (r.numFailedTests ?? 0) + (r.numRuntimeErrorTestSuites ?? 0) + (r.numFailedTestSuites && !r.numFailedTests ? r.numFailedTestSuites : 0);
  skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
} else if (res.status !== 0) failed = 1;
if (res.status !== 0 && failed === 0) failed = 1;

// Whole-suite check: no password or token in any log line of any CLI process the
// tests ran (test/support/log-archive.ts collects them). Counted as one more test.
const { findLeaks } = await import('../test/support/log-archive.ts');
const leaks = findLeaks();
if (leaks.length) {
  console.log(`FAIL no secret in any log line of the suite: ${leaks.length} line(s)\n${leaks.slice(0, 20).join('\n')}`);
  failed += 1;
} else {
  console.log('PASS no secret in any log line of the suite');
  passed += 1;
}
const checked = await typecheck;
process.stdout.write(checked.out);
if (checked.status === 0) {
  console.log('PASS typecheck of src and tests');
  passed += 1;
} else {
  console.log('FAIL typecheck of src and tests');
  failed += 1;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
