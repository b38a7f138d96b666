interface Cached<T> {
  until: number;
  value: Promise<T>;
  /** Set once the value has arrived, so that a hit needs no promise. */
  settled?: { value: T };
}

/**
 * A tiny time-bounded, size-bounded cache that also joins concurrent misses into one load. A hit
 * on a value that has arrived returns the value itself: count and page reads are the service's
 * hottest paths, and a promise per read cost more than the lookup. A failed load is forgotten at
 * once, so the next caller tries again. Cached values are shared: callers must not change them.
 */
export class TtlCache<T> {
  private readonly entries = new Map<string, Cached<T>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(key: string, load: () => Promise<T>): T | Promise<T> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.until > now) return hit.settled ? hit.settled.value : hit.value;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    const entry: Cached<T> = { until: now + this.ttlMs, value: load() };
    this.entries.set(key, entry);
    entry.value.then(
      (value) => {
        entry.settled = { value };
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return entry.value;
  }
}
