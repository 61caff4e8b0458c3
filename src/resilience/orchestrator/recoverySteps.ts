import type { Clock, RandomSource } from '../core/clock';
import type { ResilienceError } from '../core/errors';
import type { FallbackOutcome } from '../fallback/fallbackTypes';
import { runWithRetry, type OfflineAwareness } from '../policies/retry';
import type { RetryPolicy } from '../policies/retryProfiles';
import type { BreakerView, FallbackRunner, RecoveryContext } from './recoveryTypes';

/**
 * Step 4: how long until the backend's breaker admits a probe, or undefined when it is not open. A CIRCUIT_OPEN
 * error for a backend this tab has no state for (e.g. half-open with the probe slot taken) counts as open too.
 */
export function openCircuitWaitMs(breakers: BreakerView | undefined, backend: string, error: ResilienceError, now: number): number | undefined {
  const state = breakers?.snapshot()[backend];
  if (state?.state === 'open') return Math.max(0, state.reopenAt - now);
  if (error.code === 'CIRCUIT_OPEN') return Math.max(0, error.retryAfterMs ?? 0);
  return undefined;
}

/** Step 5: the fallback chain without the primary (it just failed); flag `fallback` off → the error again. */
export function serveFromFallback<T>(fallback: FallbackRunner, error: ResilienceError, context: RecoveryContext<T>): Promise<FallbackOutcome<T>> {
  const spec = context.fallback as NonNullable<RecoveryContext<T>['fallback']>;
  return fallback.executeWithFallback<T>(async () => ({ ok: false, error }), spec.opType, {
    skipPrimary: true,
    error,
    data: spec.data,
    signal: context.signal,
  });
}

/**
 * Step 6: the operation again with backoff. The failure that started the recovery counts as the first attempt,
 * so the first retry waits a backoff delay instead of hammering a backend that has just failed. With a
 * deadline the policy's budget is clipped to what is left of it (a Retry-After or backoff beyond it stops at
 * once), and each attempt is told the deadline, so it cannot start a retry loop of its own past it.
 */
export function finalRetry<T>(
  retry: NonNullable<RecoveryContext<T>['retry']>,
  error: ResilienceError,
  policy: RetryPolicy,
  deps: { clock: Clock; random: RandomSource; offline?: OfflineAwareness; signal?: AbortSignal; deadlineAt?: number },
) {
  const startedAt = deps.clock.now();
  const { deadlineAt } = deps;
  const clipped = deadlineAt === undefined ? policy : { ...policy, maxElapsedMs: Math.max(0, Math.min(policy.maxElapsedMs, deadlineAt - startedAt)) };
  return runWithRetry<T>(() => retry(deps.signal, { deadlineAt }), clipped, deps, { result: { ok: false, error }, startedAt });
}
