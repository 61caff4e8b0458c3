import type { RandomSource } from '../core/clock';

/** A backoff strategy: the delay before retry number `retry` (1 = the first retry). */
export interface Backoff {
  delayMs(retry: number, random: RandomSource): number;
}

export interface ExponentialBackoffOptions {
  initialMs: number;
  maxIntervalMs: number;
  multiplier: number;
  /** Jitter factor r: the delay is uniform in [interval·(1−r), interval·(1+r)], then capped at maxIntervalMs. */
  randomization: number;
}

/**
 * Exponential backoff with jitter (the Google/"ExponentialBackOff" scheme): interval_n = initial·multiplier^(n−1)
 * capped at maxIntervalMs, randomised by ±randomization so clients that failed together do not retry together.
 * Unlike that scheme, the randomised delay never exceeds maxIntervalMs, so the cap is a promise.
 */
export function exponentialBackoff(options: ExponentialBackoffOptions): Backoff {
  const { initialMs, maxIntervalMs, multiplier, randomization } = options;
  if (!(initialMs >= 0) || !(maxIntervalMs >= initialMs) || !(multiplier >= 1) || !(randomization >= 0 && randomization <= 1)) {
    throw new RangeError(
      `exponentialBackoff: invalid options ${JSON.stringify(options)} (need initialMs ≥ 0, maxIntervalMs ≥ initialMs, multiplier ≥ 1, 0 ≤ randomization ≤ 1)`,
    );
  }
  return {
    delayMs(retry, random) {
      const interval = Math.min(initialMs * multiplier ** Math.max(0, retry - 1), maxIntervalMs);
      const jittered = interval * (1 - randomization + 2 * randomization * random());
      return Math.min(Math.round(jittered), maxIntervalMs);
    },
  };
}

/** Bounds of {@link exponentialBackoff}'s delay for a given retry, for callers and tests that reason about it. */
export function exponentialBackoffBounds(options: ExponentialBackoffOptions, retry: number): { minMs: number; maxMs: number } {
  const interval = Math.min(options.initialMs * options.multiplier ** Math.max(0, retry - 1), options.maxIntervalMs);
  return {
    minMs: Math.round(interval * (1 - options.randomization)),
    maxMs: Math.min(Math.round(interval * (1 + options.randomization)), options.maxIntervalMs),
  };
}
