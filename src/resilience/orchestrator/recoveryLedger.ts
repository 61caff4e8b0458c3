import { RECOVERY_METRIC_METHODS, type MethodMetrics, type RecoveryMetrics } from './recoveryMetrics';
import type { RecoveryMethod, RecoveryRecord } from './recoveryTypes';
import type { WorkflowRecoveryDecision } from './workflowDecision';

export interface RecoveryLedger {
  recordStep(method: RecoveryMethod | WorkflowRecoveryDecision | 'recovery', ok: boolean, durationMs: number): void;
  recordRecovery(record: RecoveryRecord): void;
  /** Oldest first; at most `historySize` entries. */
  history(): readonly RecoveryRecord[];
  metrics(): RecoveryMetrics;
}

/** A bounded ring of finished recoveries plus per-method metrics; memory stays constant however long the tab lives. */
export function createRecoveryLedger(historySize = 100, samplesPerMethod = 100): RecoveryLedger {
  const ring: RecoveryRecord[] = [];
  let next = 0;
  const tallies = new Map(RECOVERY_METRIC_METHODS.map((m) => [m, { count: 0, successes: 0, totalMs: 0, samples: [] as number[], nextSample: 0 }]));

  return {
    recordStep(method, ok, durationMs) {
      const tally = tallies.get(method);
      if (!tally) return;
      tally.count += 1;
      if (ok) tally.successes += 1;
      tally.totalMs += durationMs;
      if (tally.samples.length < samplesPerMethod) tally.samples.push(durationMs);
      else {
        tally.samples[tally.nextSample] = durationMs;
        tally.nextSample = (tally.nextSample + 1) % samplesPerMethod;
      }
    },
    recordRecovery(record) {
      if (ring.length < historySize) ring.push(record);
      else {
        ring[next] = record;
        next = (next + 1) % historySize;
      }
    },
    history: () => [...ring.slice(next), ...ring.slice(0, next)],
    metrics() {
      const out = {} as Record<RecoveryMethod | WorkflowRecoveryDecision | 'recovery', MethodMetrics>;
      for (const [method, t] of tallies) {
        out[method] = {
          count: t.count,
          successes: t.successes,
          successRate: t.count === 0 ? 0 : t.successes / t.count,
          meanDurationMs: t.count === 0 ? 0 : t.totalMs / t.count,
          p95DurationMs: percentile(t.samples, 0.95),
        };
      }
      return out;
    },
  };
}

/** Nearest-rank percentile; 0 for no samples. */
function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
}
