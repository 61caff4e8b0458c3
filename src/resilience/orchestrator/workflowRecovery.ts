import type { Clock } from '../core/clock';
import type { RecoveryLedger } from './recoveryLedger';
import { decideWorkflowRecovery, type WorkflowDecision, type WorkflowStepFailure } from './workflowDecision';

/** A decision to report back on once its recovery finished. */
export interface WorkflowDecisionHandle extends WorkflowDecision {
  /** The chosen recovery finished: `ok` it worked. Timed into the decision's per-method metrics. Once. */
  settle(ok: boolean): void;
}

/**
 * Records workflow decisions in the orchestrator's ledger: one history entry per decision (op
 * `workflow:<id>`, `decision`) and, when settled, a sample in that decision's metrics.
 */
export function createWorkflowRecovery(ledger: RecoveryLedger, clock: Clock) {
  return (failure: WorkflowStepFailure): WorkflowDecisionHandle => {
    const chosen = decideWorkflowRecovery(failure);
    const startedAt = clock.now();
    const op = `workflow:${failure.workflow}`;
    ledger.recordRecovery({ op, causeKey: `${failure.error.code}|${op}|${failure.step}`, code: failure.error.code, status: 'failed', decision: chosen.decision, startedAt, durationMs: 0, callers: 1, escalated: chosen.decision === 'escalate' });
    let settled = false;
    return {
      ...chosen,
      settle(ok) {
        if (settled) return;
        settled = true;
        ledger.recordStep(chosen.decision, ok, clock.now() - startedAt);
      },
    };
  };
}
