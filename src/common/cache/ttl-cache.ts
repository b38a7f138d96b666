interface Cached<T> {
  until: number;
  value: Promise<T>;
}

/**
 * A tiny time-bounded, size-bounded cache that also joins concurrent misses into one load. A
 * failed load is forgotten at once, so the next caller tries again.
 */
export class TtlCache<T> {
  private readonly entries = new Map<string, Cached<T>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.until > now) return hit.value;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    const value = load();
    this.entries.set(key, { until: now + this.ttlMs, value });
    value.catch(() => this.entries.delete(key));
    return value;
  }
}
