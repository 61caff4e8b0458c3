import type { ResilienceError } from '../core/errors';
import type { Result } from '../core/result';

/** What a fallback strategy learns about the operation it stands in for. */
export interface FallbackContext<D = unknown> {
  /** The operation type the strategy is registered for, e.g. "ai_tutoring". */
  readonly opType: string;
  /** Why the primary path did not serve: its failure, or the caller's reason for skipping it. */
  readonly error: ResilienceError | undefined;
  /** Caller data for the strategies (question text, lesson id…). */
  readonly data: D;
}

/** A strategy's answer: a value (optionally labelled stale, e.g. a cached copy) or a failure value. */
export type StrategyResult<T> =
  | { readonly ok: true; readonly value: T; readonly stale?: boolean }
  | { readonly ok: false; readonly error: ResilienceError };

/**
 * One fallback ("when" separate from "what"): `canHandle` decides cheaply whether it applies now,
 * `execute` produces the value. Either may throw; the fallback system counts that as a failure of this
 * strategy, reports it as `runtime.internalError` and moves on to the next one.
 */
export interface FallbackStrategy<T = unknown, D = unknown> {
  readonly name: string;
  /**
   * Quality tier, lower = better answer (e.g. a saved answer 1, the simplified tutor 2, offline hints 3).
   * Strategies of one tier are reordered by observed success; a better tier always goes first. Default: its
   * registration position, i.e. the registered order is the quality order.
   */
  readonly tier?: number;
  canHandle(context: FallbackContext<D>): boolean;
  execute(context: FallbackContext<D>, signal: AbortSignal | undefined): Promise<StrategyResult<T>>;
}

/** The primary path: resolves a failure value (a thrown error is classified the same way). */
export type PrimaryOperation<T> = (signal: AbortSignal | undefined) => Promise<Result<T, ResilienceError>>;

/** Per-call options of `IntelligentFallbackSystem.executeWithFallback`. */
export interface FallbackRequest<D = unknown> {
  /** Go straight to the strategies (e.g. the breaker is open); ignored when the `fallback` flag is off. */
  readonly skipPrimary?: boolean;
  /** The reason the primary was skipped, handed to the strategies. */
  readonly error?: ResilienceError;
  readonly data?: D;
  /** Aborting stops the chain: no further strategy starts. */
  readonly signal?: AbortSignal;
}

/**
 * One step of the chain, in the order it ran. A `cannotHandle` step did not run and is not counted in the metrics;
 * a `threw` step counts as a failure of that strategy.
 */
export interface FallbackAttempt {
  /** "primary" or a strategy name. */
  readonly name: string;
  readonly ok: boolean;
  readonly durationMs: number;
  readonly code?: ResilienceError['code'];
  readonly skipped?: 'cannotHandle' | 'threw';
}

/**
 * What `executeWithFallback` resolved with: the value and who served it, or the last error; with every attempt
 * made.
 */
export type FallbackOutcome<T> =
  | {
      readonly ok: true;
      readonly value: T;
      readonly source: 'network' | 'fallback';
      /** The strategy that served (source "fallback" only). */
      readonly strategy?: string;
      readonly stale: boolean;
      readonly attempts: readonly FallbackAttempt[];
    }
  | { readonly ok: false; readonly error: ResilienceError; readonly attempts: readonly FallbackAttempt[] };

/** Observed outcomes of one strategy for one operation type (persisted across reloads). */
export interface StrategyMetrics {
  readonly attempts: number;
  readonly successes: number;
  readonly meanLatencyMs: number;
}
