import type { Clock, RandomSource } from '../core/clock';
import { ResilienceError, type ErrorCode } from '../core/errors';
import type { RetryStopReason } from '../core/events';
import type { Result } from '../core/result';
import type { RetryPolicy } from './retryProfiles';
import { sleep } from './sleep';

/** What the retryer needs to know about connectivity (the connectivity monitor satisfies it). */
export interface OfflineAwareness {
  isOffline(): boolean;
  /** Resolves true when back online, false when `signal` aborted or `maxWaitMs` passed first. */
  waitForOnline(maxWaitMs: number, signal?: AbortSignal): Promise<boolean>;
}

export interface RetryContext {
  clock: Clock;
  random: RandomSource;
  signal?: AbortSignal;
  offline?: OfflineAwareness;
  /** Called before each wait; `attempt` is the number of the attempt that will follow the delay. */
  onRetry?(attempt: number, delayMs: number, reason: ErrorCode): void;
}

export type RetryOutcome<T> =
  | { ok: true; value: T; attempts: number }
  | { ok: false; error: ResilienceError; attempts: number; stopReason: RetryStopReason; fallbackAdvised: boolean };

/**
 * Runs `attempt` until it succeeds or the policy says stop. Guarantees: no retry is scheduled past
 * `policy.maxElapsedMs`; a Retry-After is honoured (capped at `retryAfterCapMs`) and, if it does not fit in the
 * remaining budget, the retryer stops at once and advises the fallback; an aborted signal ends the loop with
 * no further attempt and no pending timer; while offline, background work waits for connectivity instead of
 * spending retries. Never throws: a throwing `attempt` is an UNKNOWN failure.
 */
export async function runWithRetry<T>(
  attempt: (attemptNumber: number) => Promise<Result<T, ResilienceError>>,
  policy: RetryPolicy,
  context: RetryContext,
  /** The already settled first attempt, so callers can keep the retry machinery off the happy path. */
  first?: { result: Result<T, ResilienceError>; startedAt: number },
): Promise<RetryOutcome<T>> {
  const { clock, signal } = context;
  const startedAt = first?.startedAt ?? clock.now();
  let retriesUsed = 0;
  for (let attemptNumber = 1; ; attemptNumber++) {
    let result: Result<T, ResilienceError>;
    try {
      result = attemptNumber === 1 && first ? first.result : await attempt(attemptNumber);
    } catch (cause) {
      result = { ok: false, error: new ResilienceError('UNKNOWN', 'A retried operation threw instead of returning a result', { cause }) };
    }
    if (result.ok) return { ok: true, value: result.value, attempts: attemptNumber };

    const stop = (stopReason: RetryStopReason, error = result.error): RetryOutcome<T> => ({
      ok: false,
      error,
      attempts: attemptNumber,
      stopReason,
      fallbackAdvised: stopReason !== 'aborted' && stopReason !== 'notRetryable',
    });
    const { error } = result;
    if (signal?.aborted || error.code === 'ABORTED') return stop('aborted', abortedError(error, signal));
    if (!error.retryable) return stop('notRetryable');

    const remainingMs = policy.maxElapsedMs - (clock.now() - startedAt);
    if (context.offline?.isOffline()) {
      const blocked = await waitWhileOffline(policy, context, remainingMs);
      if (blocked) return stop(blocked, blocked === 'aborted' ? abortedError(error, signal) : error);
      continue; // an attempt that failed only because we were offline does not spend a retry
    }
    if (retriesUsed >= policy.maxRetries) return stop('exhausted');

    let delayMs = policy.backoff.delayMs(retriesUsed + 1, context.random);
    if (error.retryAfterMs !== undefined) {
      delayMs = Math.min(error.retryAfterMs, policy.retryAfterCapMs);
      if (delayMs > remainingMs) return stop('retryAfterBeyondBudget');
    }
    if (delayMs > remainingMs) return stop('maxElapsed');

    retriesUsed++;
    context.onRetry?.(attemptNumber + 1, delayMs, error.code);
    if (!(await sleep(clock, delayMs, signal))) return stop('aborted', abortedError(error, signal));
    // Connectivity may have been found down during the wait (the monitor probes after a network error).
    if (context.offline?.isOffline()) {
      const blocked = await waitWhileOffline(policy, context, policy.maxElapsedMs - (clock.now() - startedAt));
      if (blocked) return stop(blocked, blocked === 'aborted' ? abortedError(error, signal) : error);
    }
  }
}

/** Waits for connectivity when the policy allows; returns why to stop, or undefined to go on. */
async function waitWhileOffline(policy: RetryPolicy, context: RetryContext, remainingMs: number): Promise<RetryStopReason | undefined> {
  if (policy.whileOffline === 'stop' || !context.offline) return 'offline';
  const online = await context.offline.waitForOnline(remainingMs, context.signal);
  if (context.signal?.aborted) return 'aborted';
  return online ? undefined : 'offline';
}

function abortedError(last: ResilienceError, signal: AbortSignal | undefined): ResilienceError {
  if (last.code === 'ABORTED') return last;
  return new ResilienceError('ABORTED', 'The operation was aborted by the caller', {
    cause: signal?.reason,
    backend: last.backend,
  });
}
