// A tiny least-recently-used map: generated days are cached so a client that re-reads a
// sliding window does not regenerate it, while a 10-year backfill stays in bounded memory.

/** Map with a size bound; `get` refreshes recency, `set` evicts the oldest entry. */
export class Lru<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly max: number) {}

  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as K);
  }

  clear(): void {
    this.map.clear();
  }
}
