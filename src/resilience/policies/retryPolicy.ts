import { systemClock, systemRandom, type Clock, type RandomSource } from '../core/clock';
import type { ErrorCode } from '../core/errors';
import { definePolicy, type Policy } from './policy';
import { runWithRetry, type OfflineAwareness } from './retry';
import { backgroundRetryPolicy, interactiveRetryPolicy, type RetryPolicy } from './retryProfiles';

/** Options of the standalone `retry` policy. */
export interface RetryOptions {
  /** 'interactive' (≤ 2 retries inside 8 s, the default), 'background' (backoff up to 2 min), or a policy. */
  policy?: 'interactive' | 'background' | RetryPolicy;
  clock?: Clock;
  random?: RandomSource;
  /** Connectivity: while offline an interactive retry stops and a background one waits instead of spending attempts. */
  offline?: OfflineAwareness;
  /** Called before each wait with the number of the attempt that follows it. */
  onRetry?(attempt: number, delayMs: number, reason: ErrorCode): void;
}

/**
 * A retry policy: retries retryable failures (NETWORK, TIMEOUT, 5xx, 429…) with jittered exponential backoff,
 * honours Retry-After (and stops at once when it does not fit the policy's time budget), stops on abort with no
 * timer left behind, and never retries a non-retryable failure. The operation should be safe to repeat.
 */
export function retry(options: RetryOptions = {}): Policy {
  const clock = options.clock ?? systemClock();
  const random = options.random ?? systemRandom();
  const policy =
    options.policy === 'background' ? backgroundRetryPolicy() : options.policy === undefined || options.policy === 'interactive' ? interactiveRetryPolicy() : options.policy;
  return definePolicy(async (next, context) => {
    const outcome = await runWithRetry((attempt) => next({ signal: context.signal, attempt }), policy, {
      clock,
      random,
      signal: context.signal,
      offline: options.offline,
      onRetry: options.onRetry,
    });
    return outcome.ok ? { ok: true, value: outcome.value } : { ok: false, error: outcome.error };
  });
}
