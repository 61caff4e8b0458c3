import type { WorkflowRecoveryDecision } from './workflowDecision';
import type { ErrorCode, ResilienceError } from '../core/errors';
import type { BreakerState } from '../policies/breakerState';
import type { RetryPolicy } from '../policies/retryProfiles';
import type { FallbackOutcome, FallbackRequest, PrimaryOperation } from '../fallback/fallbackTypes';

/** The part of the SelfHealingSystem the orchestrator uses (runtime.healing satisfies it). */
export interface Healer {
  handleError(error: unknown, context?: { readonly op?: string; readonly backend?: string; readonly [key: string]: unknown }): Promise<{
    readonly healed: boolean;
    readonly strategy?: string;
    readonly escalated?: boolean;
  }>;
}

/** The part of the IntelligentFallbackSystem the orchestrator uses. */
export interface FallbackRunner {
  executeWithFallback<T, D = unknown>(operation: PrimaryOperation<T>, opType: string, request?: FallbackRequest<D>): Promise<FallbackOutcome<T>>;
}

/** Breaker states by backend (the BreakerRegistry satisfies it); read, never changed, by the orchestrator. */
export interface BreakerView {
  snapshot(): Readonly<Record<string, BreakerState>>;
}

/** The predictor's latest risk score and level, as the orchestrator reads it. */
export interface PredictionSnapshot {
  readonly score: number;
  readonly level: 'low' | 'elevated' | 'high';
}

/** Optional risk predictor; its snapshot is recorded with the recovery and handed to the healer. */
export interface Predictor {
  snapshot(): PredictionSnapshot;
}

/** What needs a person: shown to the student (recovery dialog) and to developers. */
export interface EscalationItem {
  readonly id: string;
  readonly op: string;
  readonly code: ErrorCode;
  readonly message: string;
  readonly causeKey: string;
  readonly raisedAt: number;
  readonly prediction?: PredictionSnapshot;
}

/** Takes escalations into a manual intervention list (the outbox's or the escalation subsystem's). */
export interface Escalator {
  escalate(item: EscalationItem): void | Promise<void>;
}

/** What is left of a request's deadline, handed to its final retry. */
export interface RecoveryBudget {
  /** Runtime-clock time by which the request must have its answer; undefined = no deadline. */
  readonly deadlineAt: number | undefined;
}

/** The operation again: like a PrimaryOperation, told what is left of the request's deadline. */
export type RetryOperation<T> = (signal: AbortSignal | undefined, budget: RecoveryBudget) => ReturnType<PrimaryOperation<T>>;

/** What the orchestrator needs to recover one failed operation. */
export interface RecoveryContext<T = unknown, D = unknown> {
  /** Operation name, part of the dedupe key and of every event. */
  readonly op: string;
  /** Breaker key; default the error's backend, then "api". */
  readonly backend?: string;
  /** Failures with the same key share one self-healing attempt. Default `code|backend|op`. */
  readonly causeKey?: string;
  /**
   * The request's own identity (e.g. `lesson_data:fractions`, or a question's ask id). Only calls with the same
   * cause AND the same request key share a whole recovery (its fallback value and final retry); without one a
   * call shares nothing but the heal, so a value is never handed to a request it was not computed for.
   */
  readonly requestKey?: string;
  /**
   * Runtime-clock time by which the student must have an answer (one deadline from the moment they acted):
   * the heal waits at most until shortly before it, the final retry gets only what is left of it.
   */
  readonly deadlineAt?: number;
  /** The fallback chain to serve from (also served while the breaker is open). */
  readonly fallback?: { readonly opType: string; readonly data?: D };
  /** The operation again, for the final retry (it should go through the breaker, e.g. api.request, and honour the budget). */
  readonly retry?: RetryOperation<T>;
  readonly retryPolicy?: RetryPolicy;
  readonly signal?: AbortSignal;
}

/** The step of the recovery flow that succeeded. */
export type RecoveryMethod = 'self_healing' | 'fallback' | 'retry';

/** How a recovery ended: healed, circuit open (with any fallback value), recovered by fallback or retry, or failed. */
export type RecoveryResult<T = unknown> =
  | { readonly status: 'healed'; readonly method: 'self_healing'; readonly strategy?: string }
  | {
      readonly status: 'circuit_open';
      /** Until the breaker lets a probe through. */
      readonly waitTimeMs: number;
      /** What the fallback chain served meanwhile, if anything. */
      readonly fallback?: { readonly strategy: string; readonly value: T; readonly stale: boolean };
    }
  | { readonly status: 'recovered'; readonly method: 'fallback'; readonly strategy: string; readonly value: T; readonly stale: boolean }
  | { readonly status: 'recovered'; readonly method: 'retry'; readonly value: T; readonly attempts: number }
  | { readonly status: 'failed'; readonly error: ResilienceError; readonly escalated?: boolean };

/** One finished recovery in the bounded history (no values: they may be large or personal). */
export interface RecoveryRecord {
  readonly op: string;
  readonly causeKey: string;
  readonly code: ErrorCode;
  readonly status: RecoveryResult['status'];
  readonly method?: RecoveryMethod;
  /** For a failed workflow step: which of the four recoveries was chosen (orchestrator.decideWorkflowStep). */
  readonly decision?: WorkflowRecoveryDecision;
  readonly strategy?: string;
  readonly startedAt: number;
  readonly durationMs: number;
  /** Callers that shared this recovery (1 = no concurrent duplicate). */
  readonly callers: number;
  readonly escalated: boolean;
  readonly prediction?: PredictionSnapshot;
}
