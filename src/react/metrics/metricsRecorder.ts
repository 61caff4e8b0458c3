import type { ResilienceEvent } from '../../resilience';

/** Length of one time-series bucket, and how much history is kept (the export covers all of it). */
export const BUCKET_MS = 5_000;
export const HISTORY_MS = 10 * 60_000;

export interface BackendBucket {
  requests: number;
  errors: number;
  durations: number[];
}

export interface MetricsBucket {
  start: number;
  backends: Record<string, BackendBucket>;
  fallbacks: Record<string, number>;
  chaos: number;
  /** Orchestrator results by how they ended: the method that worked (self_healing, fallback, retry) or the failure (failed, circuit_open). */
  recoveries: Record<string, number>;
  /** Last seen in the bucket (carried forward when nothing changed). */
  outboxDepth: number;
  risk: number | null;
}

export interface Transition {
  at: number;
  state: string;
}

export interface MetricsHistory {
  readonly buckets: readonly MetricsBucket[];
  /** Breaker states per backend, in order. */
  readonly breakers: Readonly<Record<string, readonly Transition[]>>;
  readonly socket: readonly Transition[];
  /** The last runtime chaos injections, oldest first (for a bug report: the same seed gives the same list). */
  readonly injections: readonly Injection[];
}

/** One runtime chaos injection as the export lists it. */
export interface Injection {
  at: number;
  key: string;
  seq: number;
  kind: string;
  target: string;
}

const INJECTIONS_KEPT = 200;

/**
 * Time series of the runtime's events for the developer panel: per 5 s bucket, requests, errors and attempt
 * durations per backend, fallback use by strategy, orchestrator results per method, chaos injections, outbox
 * depth and predictor risk; plus
 * breaker and socket state timelines. Keeps the last 10 minutes.
 */
export function createMetricsRecorder(now: () => number) {
  const buckets: MetricsBucket[] = [];
  const breakers: Record<string, Transition[]> = {};
  const socket: Transition[] = [];
  const injections: Injection[] = [];
  let outboxDepth = 0;
  let risk: number | null = null;
  let version = 0;

  const bucketAt = (at: number): MetricsBucket => {
    const start = at - (at % BUCKET_MS);
    const last = buckets[buckets.length - 1];
    if (last && last.start === start) return last;
    const bucket: MetricsBucket = { start, backends: {}, fallbacks: {}, chaos: 0, recoveries: {}, outboxDepth, risk };
    buckets.push(bucket);
    while (buckets.length > 0 && (buckets[0]?.start ?? 0) < at - HISTORY_MS) buckets.shift();
    return bucket;
  };
  const backend = (bucket: MetricsBucket, name: string): BackendBucket => (bucket.backends[name] ??= { requests: 0, errors: 0, durations: [] });
  const transition = (list: Transition[], at: number, state: string) => {
    if (list[list.length - 1]?.state !== state) list.push({ at, state });
    while (list.length > 1 && (list[1]?.at ?? 0) < at - HISTORY_MS) list.shift();
  };

  return {
    record(event: ResilienceEvent): void {
      const bucket = bucketAt(event.at);
      switch (event.type) {
        case 'request.attempted': {
          const b = backend(bucket, event.backend);
          b.requests += 1;
          if (!event.ok) b.errors += 1;
          b.durations.push(event.durationMs);
          break;
        }
        case 'breaker.opened':
          transition((breakers[event.backend] ??= [{ at: event.at, state: 'closed' }]), event.at, 'open');
          break;
        case 'breaker.halfOpened':
          transition((breakers[event.backend] ??= []), event.at, 'half-open');
          break;
        case 'breaker.closed':
          transition((breakers[event.backend] ??= []), event.at, 'closed');
          break;
        case 'socket.state':
          transition(socket, event.at, event.state);
          break;
        case 'fallback.used':
          bucket.fallbacks[event.strategy] = (bucket.fallbacks[event.strategy] ?? 0) + 1;
          break;
        case 'chaos.injected':
          bucket.chaos += 1;
          injections.push({ at: event.at, key: event.key, seq: event.seq, kind: event.kind, target: event.target });
          if (injections.length > INJECTIONS_KEPT) injections.shift();
          break;
        case 'recovery.finished': {
          const outcome = event.result.method ?? event.result.status;
          bucket.recoveries[outcome] = (bucket.recoveries[outcome] ?? 0) + 1;
          break;
        }
        case 'outbox.enqueued':
        case 'outbox.sent':
        case 'outbox.deadLettered':
        case 'outbox.drained':
          outboxDepth = event.pending;
          bucket.outboxDepth = outboxDepth;
          break;
        case 'prediction':
          risk = event.score;
          bucket.risk = risk;
          break;
        default:
          return;
      }
      version += 1;
    },
    history(): MetricsHistory {
      bucketAt(now()); // the present bucket, so charts end now
      return { buckets: buckets.map((b) => ({ ...b, recoveries: { ...b.recoveries } })), breakers: { ...breakers }, socket: [...socket], injections: [...injections] };
    },
    get version() {
      return version;
    },
  };
}

export type MetricsRecorder = ReturnType<typeof createMetricsRecorder>;

/** 95th percentile (nearest rank) of a list of durations; null when empty. */
export function p95(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)] ?? null;
}
