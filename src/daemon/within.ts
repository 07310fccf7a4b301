// Waiting for work to end, but not forever: the runner's, the sync worker's and the worker
// host's stop each give what is still going a bounded grace period.

/** Whether every one of `promises` resolved within `ms`; rejects as soon as one of them does. */
export async function allWithin(promises: readonly Promise<unknown>[], ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([Promise.all(promises).then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
