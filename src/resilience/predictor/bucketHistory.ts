/** Aggregates of one time bucket. Durations are kept per backend, capped, for the p95. */
export interface Bucket {
  start: number;
  requests: number;
  errors: number;
  timeouts: number;
  retries: number;
  latencySumMs: number;
  durationsByBackend: Map<string, number[]>;
  stales: number;
  reconnects: number;
  storageErrors: number;
  longTaskMs: number;
  maxLagMs: number;
  /** Last gauge sample in the bucket (memory used / limit), if any. */
  memoryRatio: number | undefined;
}

/** Samples per backend per bucket kept for the p95 (the rest only count). Bounds memory and tick cost. */
const MAX_DURATIONS = 64;

export interface BucketHistory {
  /** The bucket covering `now`, rolling older ones out of the ring. */
  current(now: number): Bucket;
  /** Buckets overlapping [now − spanMs, now], oldest first (skips empty gaps: absent buckets had no data). */
  within(now: number, spanMs: number): Bucket[];
  readonly bucketMs: number;
  clear(): void;
}

/**
 * A ring of fixed time buckets (sliding windows at bucket resolution). Everything the collector hears goes
 * into the current bucket; snapshots read the last few. O(buckets) to read, O(1) to write.
 */
export function createBucketHistory(bucketMs: number, size: number): BucketHistory {
  const ring: (Bucket | undefined)[] = new Array<Bucket | undefined>(size).fill(undefined);
  const indexFor = (start: number) => Math.floor(start / bucketMs) % size;
  return {
    bucketMs,
    current(now) {
      const start = Math.floor(now / bucketMs) * bucketMs;
      const index = indexFor(start);
      const existing = ring[index];
      if (existing && existing.start === start) return existing;
      const fresh = emptyBucket(start);
      ring[index] = fresh;
      return fresh;
    },
    within(now, spanMs) {
      const out: Bucket[] = [];
      const newest = Math.floor(now / bucketMs) * bucketMs;
      const oldest = newest - Math.max(0, Math.ceil(spanMs / bucketMs) - 1) * bucketMs;
      for (let start = Math.max(oldest, newest - (size - 1) * bucketMs); start <= newest; start += bucketMs) {
        const bucket = ring[indexFor(start)];
        if (bucket && bucket.start === start) out.push(bucket);
      }
      return out;
    },
    clear: () => ring.fill(undefined),
  };
}

export function recordDuration(bucket: Bucket, backend: string, durationMs: number): void {
  let list = bucket.durationsByBackend.get(backend);
  if (!list) bucket.durationsByBackend.set(backend, (list = []));
  if (list.length < MAX_DURATIONS) list.push(durationMs);
  else list[bucket.requests % MAX_DURATIONS] = durationMs;
}

function emptyBucket(start: number): Bucket {
  return {
    start,
    requests: 0,
    errors: 0,
    timeouts: 0,
    retries: 0,
    latencySumMs: 0,
    durationsByBackend: new Map(),
    stales: 0,
    reconnects: 0,
    storageErrors: 0,
    longTaskMs: 0,
    maxLagMs: 0,
    memoryRatio: undefined,
  };
}
