// A hand-written progress bar for a terminal (stderr), and a pino destination that
// clears the bar before a log line so the two never garble each other.
import type { DestinationStream } from 'pino';

export interface ProgressBar {
  update(e: { account: string; day: string; done: number; total: number }): void;
  /** Remove the bar from the screen (before other output, and at the end). */
  clear(): void;
  /** A log destination that keeps the bar intact. */
  destination: DestinationStream;
}

/** A one-line bar on `out` (a TTY stream); redraws at most every 100 ms. */
export function createProgressBar(out: NodeJS.WriteStream, width = 30): ProgressBar {
  let line = '';
  let last = 0;
  const draw = (): void => {
    if (line) out.write(`\r${line}\x1b[K`);
  };
  const clear = (): void => {
    if (line) out.write('\r\x1b[K');
  };
  return {
    update(e) {
      const now = Date.now();
      if (now - last < 100 && e.done < e.total) return;
      last = now;
      const ratio = e.total > 0 ? Math.min(1, e.done / e.total) : 1;
      const filled = Math.round(ratio * width);
      line = `${e.account} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${e.done}/${e.total} ${e.day}`;
      draw();
    },
    clear() {
      clear();
      line = '';
    },
    destination: {
      write(msg: string) {
        clear();
        out.write(msg);
        draw();
      },
    },
  };
}
