/**
 * Counters kept twice: since start, and in time buckets so a trailing window (e.g. the last 5 minutes) can be
 * summed without keeping every event. Adding is a couple of map look-ups (the monitor's per-event cost).
 */
export interface WindowedTally {
  add(key: string, at: number, amount?: number): void;
  /** Since start. */
  total(key: string): number;
  /** In the window ending at `now` (bucket resolution: up to one bucket older than the window). */
  recent(key: string, now: number): number;
  /** Every key ever added, in first-seen order. */
  keys(): readonly string[];
}

interface Bucket {
  readonly start: number;
  readonly counts: Map<string, number>;
}

export function createWindowedTally(windowMs: number, bucketMs: number): WindowedTally {
  const totals = new Map<string, number>();
  const buckets: Bucket[] = [];

  const bucketAt = (at: number): Bucket => {
    const start = at - (at % bucketMs);
    const last = buckets[buckets.length - 1];
    if (last && last.start === start) return last;
    if (last && last.start > start) return last; // a late event counts in the newest bucket
    const bucket: Bucket = { start, counts: new Map() };
    buckets.push(bucket);
    while (buckets.length > 0 && (buckets[0] as Bucket).start <= at - windowMs - bucketMs) buckets.shift();
    return bucket;
  };

  return {
    add(key, at, amount = 1) {
      totals.set(key, (totals.get(key) ?? 0) + amount);
      const counts = bucketAt(at).counts;
      counts.set(key, (counts.get(key) ?? 0) + amount);
    },
    total: (key) => totals.get(key) ?? 0,
    recent(key, now) {
      let sum = 0;
      const since = now - windowMs;
      for (const bucket of buckets) if (bucket.start + bucketMs > since) sum += bucket.counts.get(key) ?? 0;
      return sum;
    },
    keys: () => [...totals.keys()],
  };
}
