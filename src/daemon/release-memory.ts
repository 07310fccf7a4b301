// After a run the daemon sits idle for most of its life, but V8 does not shrink its heap on
// its own: a one-year sync left ~65 MB of heap reserved (22 MB live) and idle RSS at ~160 MB
// for as long as the daemon waited (npm run bench, `idle` scenario). A full garbage collection
// of the "last resort" kind (the one V8 runs under memory pressure) compacts the heap and
// returns the freed pages to the system: idle RSS fell to ~107 MB in the same scenario.
// It blocks for a few ten milliseconds, once per run, while nothing else is happening.
// V8's own memory reducer gets there too, later: without this call RSS was still 157 MB 10 s
// after the run and 105 MB at 60 s (with MALLOC_ARENA_MAX=2), the figure this call reaches in ~1 s.
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';

type GcFunction = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

let gc: GcFunction | undefined;

/** Collect all garbage and give the freed heap back to the system (a no-op when V8 refuses). */
export function releaseMemory(): void {
  try {
    if (!gc) {
      // Exposes `gc` to contexts created from now on only; the main context stays as it was.
      v8.setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as GcFunction;
    }
    gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  } catch {
    // Not essential: the heap then shrinks whenever V8 decides to.
  }
}
