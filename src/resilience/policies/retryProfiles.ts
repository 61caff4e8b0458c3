import { exponentialBackoff, type Backoff, type ExponentialBackoffOptions } from './backoff';

/**
 * How a retry loop spaces and bounds its attempts; `interactiveRetryPolicy` and `backgroundRetryPolicy` are the two
 * presets.
 */
export interface RetryPolicy {
  /** Retries after the first attempt (Infinity: bounded by maxElapsedMs only). */
  readonly maxRetries: number;
  /** No retry is scheduled that would start later than this after the first attempt began. */
  readonly maxElapsedMs: number;
  readonly backoff: Backoff;
  /** Longest Retry-After the policy will honour; longer values are capped to this (60 s in both presets). */
  readonly retryAfterCapMs: number;
  /** Stop instead of burning attempts while the connectivity monitor says offline (background work waits). */
  readonly whileOffline: 'wait' | 'stop';
}

export const BACKGROUND_BACKOFF: ExponentialBackoffOptions = {
  initialMs: 100,
  maxIntervalMs: 10_000,
  multiplier: 2,
  randomization: 0.5,
};

export const INTERACTIVE_BACKOFF: ExponentialBackoffOptions = {
  initialMs: 200,
  maxIntervalMs: 1_000,
  multiplier: 2,
  randomization: 0.5,
};

export const RETRY_AFTER_CAP_MS = 60_000;

/** Background work (outbox replay, telemetry): two minutes per round. */
export function backgroundRetryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  return {
    maxRetries: Infinity,
    maxElapsedMs: 120_000,
    backoff: exponentialBackoff(BACKGROUND_BACKOFF),
    retryAfterCapMs: RETRY_AFTER_CAP_MS,
    whileOffline: 'wait',
    ...overrides,
  };
}

/** A student is waiting: at most 2 retries inside the latency budget, then the caller's fallback. */
export function interactiveRetryPolicy(latencyBudgetMs = 8_000, overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  return {
    maxRetries: 2,
    maxElapsedMs: latencyBudgetMs,
    backoff: exponentialBackoff(INTERACTIVE_BACKOFF),
    retryAfterCapMs: RETRY_AFTER_CAP_MS,
    whileOffline: 'stop',
    ...overrides,
  };
}
