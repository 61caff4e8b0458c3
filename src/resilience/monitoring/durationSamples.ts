/** Summary of durations: count, mean and 95th percentile (nearest rank), null when there is no sample. */
export interface DurationSummary {
  readonly count: number;
  readonly meanMs: number | null;
  readonly p95Ms: number | null;
}

/**
 * Durations per key: since-start count and mean are exact; percentiles come from the last `capacity` samples
 * per key (a ring), which also answers the trailing window.
 */
export function createDurationSamples(capacity: number) {
  const rings = new Map<string, { at: number[]; ms: number[]; next: number; count: number; sumMs: number }>();

  const ringOf = (key: string) => {
    let ring = rings.get(key);
    if (!ring) {
      ring = { at: [], ms: [], next: 0, count: 0, sumMs: 0 };
      rings.set(key, ring);
    }
    return ring;
  };

  return {
    add(key: string, at: number, durationMs: number): void {
      const ring = ringOf(key);
      ring.count += 1;
      ring.sumMs += durationMs;
      ring.at[ring.next] = at;
      ring.ms[ring.next] = durationMs;
      ring.next = (ring.next + 1) % capacity;
    },
    keys: (): readonly string[] => [...rings.keys()],
    /** Since start (`since` undefined) or samples at or after `since`. */
    summary(key: string, since?: number): DurationSummary {
      const ring = rings.get(key);
      if (!ring) return { count: 0, meanMs: null, p95Ms: null };
      const picked = since === undefined ? ring.ms.slice() : ring.ms.filter((_, i) => (ring.at[i] as number) >= since);
      if (picked.length === 0) return { count: 0, meanMs: null, p95Ms: null };
      picked.sort((a, b) => a - b);
      const p95Ms = picked[Math.max(0, Math.ceil(picked.length * 0.95) - 1)] as number;
      if (since !== undefined) return { count: picked.length, meanMs: picked.reduce((s, v) => s + v, 0) / picked.length, p95Ms };
      return { count: ring.count, meanMs: ring.sumMs / ring.count, p95Ms };
    },
  };
}
