import { classify, interactiveRetryPolicy, type ResilienceError, type ResilienceRuntime, type RetryPolicy } from '../../resilience';

/** The backend key of the HTTP API's breaker (the runtime's default). */
export const RECOVERY_BACKEND = 'api';

/** The final retry of a recovery: the same request once more, after one backoff delay, inside what is left of the deadline. */
export const ONCE_MORE: RetryPolicy = interactiveRetryPolicy(8_000, { maxRetries: 1 });

/** One deadline per student action: the first try, healing, the fallback chain and the final retry all fit in it. */
export const INTERACTIVE_DEADLINE_MS = 8_000;

/** The part of the deadline the first try leaves for healing and the fallback chain. */
export const RECOVERY_RESERVE_MS = 1_500;

/** What the primary path is told: the time (runtime clock) by which it must have given up. */
export interface PrimaryBudget {
  readonly deadlineAt: number;
}

/** The parts of the runtime a recovered operation uses; without `orchestrator`, always the plain fallback path. */
export type RecoveryRuntime = Pick<ResilienceRuntime, 'fallback' | 'flags' | 'clock'> & {
  readonly orchestrator?: Pick<ResilienceRuntime['orchestrator'], 'orchestrateRecovery'>;
};

export interface RecoverableOperation<P, D> {
  /** Operation name for the orchestrator (its events, history and escalations), e.g. "lesson_data". */
  readonly op: string;
  /**
   * This request's own identity (a lesson id, an ask id): concurrent recoveries share a whole recovery, and so
   * a value, only when it is the same. Without one a recovery shares nothing but the heal.
   */
  readonly requestKey?: string;
  /** The fallback chain to serve from, if the operation has one. */
  readonly fallback?: { readonly opType: string; readonly data: D };
  /** The primary network path; rejects on failure. It must give up by `budget.deadlineAt`. */
  readonly primary: (budget: PrimaryBudget) => Promise<P>;
  /** Go straight to recovery with this reason (the primary is known to be down). Only the plain path skips. */
  readonly skipPrimary?: ResilienceError;
  /**
   * Chain first: the plain path runs (primary, then the chain) and only a failure of both goes to the
   * orchestrator (no fallback there: the chain has just failed). For operations that must not wait for healing
   * before the chain answers (the tutor's no-wait rules).
   */
  readonly chainFirst?: boolean;
}

/** Where the value came from: the primary path (first try, healed re-run or final retry), or a fallback. */
export type Served<P, F> = { readonly from: 'primary'; readonly value: P } | { readonly from: 'fallback'; readonly value: F; readonly strategy: string };

/**
 * One app operation with the runtime's recovery behind it. The primary runs first; when it fails,
 * the RecoveryOrchestrator decides: self-healed → the primary once more; circuit open → what the fallback chain
 * served meanwhile (else the error); recovered by fallback or by the final retry → that value; failed → the
 * error (the orchestrator has escalated it: `escalation.raised`, the recovery dialog). A fallback that served
 * is never escalated. `chainFirst` runs the plain path first and recovers only when it failed as a whole. With the `orchestrator` flag off (or no orchestrator) it is exactly today's plain path:
 * `fallback.executeWithFallback` with the primary first. A skipped primary (known down) also takes the plain
 * path, so nothing waits on it.
 */
export async function runWithRecovery<P, F, D>(runtime: RecoveryRuntime, operation: RecoverableOperation<P, D>): Promise<Served<P, F>> {
  const { orchestrator } = runtime;
  // One deadline from the moment the student acted; the first try leaves a reserve for healing and the chain.
  const deadlineAt = runtime.clock.now() + INTERACTIVE_DEADLINE_MS;
  const first: PrimaryBudget = { deadlineAt: operation.fallback ? deadlineAt - RECOVERY_RESERVE_MS : deadlineAt };
  const orchestrated = orchestrator !== undefined && runtime.flags.isEnabled('orchestrator');
  if (!orchestrated || (operation.skipPrimary && !operation.chainFirst)) return plainPath<P, F, D>(runtime, operation, operation.skipPrimary, first);
  let firstError: unknown;
  try {
    return operation.chainFirst ? await plainPath<P, F, D>(runtime, operation, operation.skipPrimary, first) : { from: 'primary', value: await operation.primary(first) };
  } catch (error) {
    firstError = error;
  }
  const result = await orchestrator.orchestrateRecovery<P | F, D>(firstError, {
    op: operation.op,
    backend: RECOVERY_BACKEND,
    deadlineAt,
    ...(operation.requestKey === undefined ? {} : { requestKey: operation.requestKey }),
    ...(operation.fallback && !operation.chainFirst ? { fallback: operation.fallback } : {}),
    retry: async (_signal, budget) => {
      try {
        return { ok: true, value: await operation.primary({ deadlineAt: budget.deadlineAt ?? deadlineAt }) };
      } catch (error) {
        return { ok: false, error: classify(error) };
      }
    },
    retryPolicy: ONCE_MORE,
  });
  switch (result.status) {
    case 'recovered':
      return result.method === 'fallback'
        ? { from: 'fallback', value: result.value as F, strategy: result.strategy }
        : { from: 'primary', value: result.value as P };
    case 'circuit_open':
      if (result.fallback) return { from: 'fallback', value: result.fallback.value as F, strategy: result.fallback.strategy };
      throw classify(firstError);
    case 'healed':
      // The cause was repaired (e.g. the connection is back): the primary once more, then the plain chain.
      try {
        return { from: 'primary', value: await operation.primary({ deadlineAt }) };
      } catch (error) {
        if (operation.chainFirst) throw classify(error);
        return plainPath<P, F, D>(runtime, operation, classify(error), { deadlineAt });
      }
    case 'failed':
      // The flag went off meanwhile: the orchestrator did nothing, so the plain chain still gets its turn.
      if (!runtime.flags.isEnabled('orchestrator')) return plainPath<P, F, D>(runtime, operation, result.error, { deadlineAt });
      throw result.error;
  }
}

/** Today's path: the fallback system with the primary first, or only the chain when `skipped` is given. */
async function plainPath<P, F, D>(runtime: RecoveryRuntime, operation: RecoverableOperation<P, D>, skipped: ResilienceError | undefined, budget: PrimaryBudget): Promise<Served<P, F>> {
  if (!operation.fallback) {
    if (skipped) throw skipped;
    return { from: 'primary', value: await operation.primary(budget) };
  }
  const outcome = await runtime.fallback.executeWithFallback<P | F, D>(async () => ({ ok: true, value: await operation.primary(budget) }), operation.fallback.opType, {
    data: operation.fallback.data,
    ...(skipped ? { skipPrimary: true, error: skipped } : {}),
  });
  if (!outcome.ok) throw outcome.error;
  return outcome.source === 'fallback'
    ? { from: 'fallback', value: outcome.value as F, strategy: outcome.strategy ?? 'unknown' }
    : { from: 'primary', value: outcome.value as P };
}
