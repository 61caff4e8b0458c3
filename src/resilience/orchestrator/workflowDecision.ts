import { failureTraits } from '../core/failureTraits';
import type { ResilienceError } from '../core/errors';

/**
 * The four recovery strategies for a failed workflow step: resume (continue from the last checkpoint),
 * restart (the step, or the whole workflow, afresh), reassign (another strategy or backend does the step),
 * escalate (to the intervention queue: a person has to act).
 */
export type WorkflowRecoveryDecision = 'resume' | 'restart' | 'reassign' | 'escalate';

/** The facts `decideWorkflowRecovery` decides from when a workflow step failed. */
export interface WorkflowStepFailure {
  /** Workflow id, e.g. `lesson:fractions-1`. */
  workflow: string;
  step: number;
  error: ResilienceError;
  /** A valid checkpoint exists to resume from. */
  hasCheckpoint: boolean;
  /** Times this step already failed (0 = the first failure). */
  attempts: number;
  /** Other strategies or backends that can do the step (fallback chain entries, another backend). */
  alternatives: number;
  /** The step's saved state itself failed validation (quarantined). */
  stateCorrupt?: boolean;
}

/** The recovery `decideWorkflowRecovery` chose, and why. */
export interface WorkflowDecision {
  decision: WorkflowRecoveryDecision;
  /** Why, in a word a log can group by. */
  reason: 'transient' | 'noCheckpoint' | 'badState' | 'backendDown' | 'needsPerson' | 'exhausted';
}

/** Attempts of one step before anything but escalation is given up. */
export const MAX_STEP_ATTEMPTS = 3;

/**
 * Chooses the recovery of a failed workflow step from the failure's cause (pure; the table is in
 * docs/architecture.md, Checkpoints). Too many attempts of one step escalate whatever the cause.
 */
export function decideWorkflowRecovery(failure: WorkflowStepFailure): WorkflowDecision {
  // transient: a failure of the path, not of the work; backendDown: someone else should do it; badState: the same
  // state fails the same way; needsPerson: sign in again, free space, a refused request.
  const cause = failureTraits(failure.error.code).workflow;
  if (cause === 'needsPerson') return { decision: 'escalate', reason: 'needsPerson' };
  if (failure.attempts >= MAX_STEP_ATTEMPTS) return { decision: 'escalate', reason: 'exhausted' };
  if (failure.stateCorrupt || cause === 'badState') return { decision: 'restart', reason: 'badState' };
  if (cause === 'backendDown') {
    if (failure.alternatives > 0) return { decision: 'reassign', reason: 'backendDown' };
    return failure.hasCheckpoint ? { decision: 'resume', reason: 'transient' } : { decision: 'restart', reason: 'noCheckpoint' };
  }
  if (cause === 'transient') return failure.hasCheckpoint ? { decision: 'resume', reason: 'transient' } : { decision: 'restart', reason: 'noCheckpoint' };
  // UNKNOWN: nothing says a retry helps, so another strategy if there is one, else a person.
  return failure.alternatives > 0 ? { decision: 'reassign', reason: 'backendDown' } : { decision: 'escalate', reason: 'needsPerson' };
}
