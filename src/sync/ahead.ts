// One request ahead (docs/architecture.md "Overlap"): while the caller decodes and
// writes one answer, the next request is already on its way. Huami still sees one request at
// a time from an account (the next starts only once the previous answered), but neither side
// waits for the other: the sync's wall time approaches the slower of the two instead of
// their sum.

/**
 * Yield `fetch(item)` for each item in order, the next request started as soon as the current
 * one has answered. A failed request is thrown when its turn comes (the answers before it are
 * used first). `stop()` is asked before each new request (an aborted run starts none). When
 * the caller stops early (break, throw), the request in flight is awaited and its result
 * dropped, so that nothing outlives the run.
 */
export async function* oneAhead<T, R>(items: readonly T[], fetch: (item: T) => Promise<R>, stop: () => boolean = () => false): AsyncGenerator<{ item: T; answer: R }> {
  let next: Promise<R> | undefined;
  const start = (item: T): Promise<R> => {
    const p = fetch(item);
    p.catch(() => undefined); // thrown when its turn comes, or dropped
    return p;
  };
  try {
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as T;
      if (!next) {
        if (stop()) return;
        next = start(item);
      }
      const current = next;
      next = undefined;
      const answer = await current;
      const following = items[i + 1];
      if (i + 1 < items.length && !stop()) next = start(following as T);
      yield { item, answer };
    }
  } finally {
    if (next) await next.catch(() => undefined);
  }
}

/**
 * The items of `source` in consecutive windows of at least `cap` (by `size`), the last one
 * shorter: a forced rewrite clears a whole window's old points with one set of DELETE
 * statements before writing any of it (src/sync/batch.ts clearDays). A failure of `source`
 * is thrown after the window gathered so far was yielded (its answers are still good).
 */
export async function* windows<T>(source: AsyncIterable<T>, size: (item: T) => number, cap: number): AsyncGenerator<T[]> {
  let window: T[] = [];
  let n = 0;
  try {
    for await (const item of source) {
      window.push(item);
      n += size(item);
      if (n < cap) continue;
      const full = window;
      window = [];
      n = 0;
      yield full;
    }
  } catch (err) {
    if (window.length) yield window;
    throw err;
  }
  if (window.length) yield window;
}
