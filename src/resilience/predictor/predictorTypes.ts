/** Risk levels, lowest first. */
export const RISK_LEVELS = ['low', 'medium', 'high', 'critical'] as const;
/** A predicted risk level, lowest to highest. */
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** One reason behind a score: its name, what it added, and the measured value in words. */
export interface RiskFactor {
  readonly name: string;
  /** Contribution to the score (0..1). */
  readonly weight: number;
  readonly detail: string;
}

export type PressureState = 'nominal' | 'fair' | 'serious' | 'critical';

/** What the collector saw, over its sliding windows, at `at` (runtime clock). Absent sources are undefined. */
export interface MetricsSnapshot {
  readonly at: number;
  /** Requests finished (succeeded or failed) in the short window, all backends. */
  readonly requests: number;
  /** Failed share in the short window (0..1); 0 without requests. */
  readonly errorRate: number;
  /** The worst backend's p95 duration in the short window (ms); 0 without requests. */
  readonly p95LatencyMs: number;
  /** Timeouts in the short window. */
  readonly timeouts: number;
  readonly retries: number;
  /** Requests finished in the last second (the seed's "connections": a proxy for requests in flight). */
  readonly connections: number;
  /** EWMA over the trend window's buckets of the mean latency (ms) and of the error rate (smoothed for few requests). */
  readonly latencyEwmaMs: number;
  readonly errorEwma: number;
  /** Median of the last three buckets' mean latency (ms): the current level, robust to a one-bucket spike. */
  readonly latencyNowMs: number;
  /** Theil–Sen slope over the trend window: latency ms per second, error rate per second. */
  readonly latencySlopeMsPerS: number;
  readonly errorSlopePerS: number;
  /** Backends whose breaker is open or half-open. */
  readonly openBreakers: readonly string[];
  readonly socketState: 'connecting' | 'open' | 'stale' | 'closed' | undefined;
  /** Socket stale transitions and reconnects scheduled within the long window. */
  readonly socketStales: number;
  readonly socketReconnects: number;
  readonly outboxPending: number;
  /** Age (ms) of the oldest entry still queued since this page saw it enqueued; 0 when empty. */
  readonly outboxOldestAgeMs: number;
  readonly storageErrors: number;
  /** Browser sources; undefined when the API is absent. */
  readonly memoryRatio: number | undefined;
  /** Memory ratio change per second over the trend window. */
  readonly memorySlopePerS: number;
  readonly longTaskMsPerS: number | undefined;
  readonly eventLoopLagMs: number | undefined;
  readonly pressure: PressureState | undefined;
  readonly network: { readonly effectiveType?: string; readonly rttMs?: number; readonly saveData?: boolean } | undefined;
  readonly deviceMemoryGb: number | undefined;
}

/** A scorer turns one snapshot into a score and the factors that explain it. */
export interface RiskScorer {
  readonly name: string;
  score(metrics: MetricsSnapshot): { readonly score: number; readonly factors: readonly RiskFactor[] };
}

/** One evaluation's result, as emitted in the `prediction` event. */
export interface Prediction {
  readonly at: number;
  readonly score: number;
  readonly level: RiskLevel;
  readonly factors: readonly RiskFactor[];
  readonly scorer: string;
}

export function levelRank(level: RiskLevel): number {
  return RISK_LEVELS.indexOf(level);
}

export function atLeast(level: RiskLevel, minimum: RiskLevel): boolean {
  return levelRank(level) >= levelRank(minimum);
}
