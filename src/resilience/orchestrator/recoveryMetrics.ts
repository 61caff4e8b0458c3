import type { RecoveryMethod } from './recoveryTypes';
import type { WorkflowRecoveryDecision } from './workflowDecision';

/** Per-step figures: how often the step ran, how often it resolved the failure, how long it took. */
export interface MethodMetrics {
  readonly count: number;
  readonly successes: number;
  readonly successRate: number;
  readonly meanDurationMs: number;
  /** Over the most recent `samplesPerMethod` runs. */
  readonly p95DurationMs: number;
}

/** `recovery` covers whole recoveries (success = anything but `failed`); the rest are the flow's steps. */
export type RecoveryMetrics = Readonly<Record<RecoveryMethod | WorkflowRecoveryDecision | 'recovery', MethodMetrics>>;

/** What the ledger keeps figures of: the flow's steps, whole recoveries and the workflow decisions. */
export const RECOVERY_METRIC_METHODS = ['self_healing', 'fallback', 'retry', 'recovery', 'resume', 'restart', 'reassign', 'escalate'] as const;

/** The metrics of a ledger that recorded nothing (what `orchestrator.metrics()` answers before its code loaded). */
export function emptyRecoveryMetrics(): RecoveryMetrics {
  const zero: MethodMetrics = { count: 0, successes: 0, successRate: 0, meanDurationMs: 0, p95DurationMs: 0 };
  return Object.fromEntries(RECOVERY_METRIC_METHODS.map((method) => [method, zero])) as RecoveryMetrics;
}
