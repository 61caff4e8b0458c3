/**
 * Trip rules decide *when* a closed breaker opens; the breaker's state machine decides *what* happens. A new
 * rule is a new small object, not a new option on the breaker.
 */
export interface TripRule {
  /** Human-readable condition, used as the reason in breaker events ("5 consecutive failures"). */
  readonly description: string;
  /** Records a counted failure; returns true when the breaker should open. */
  recordFailure(nowMs: number): boolean;
  recordSuccess(nowMs: number): void;
  reset(): void;
}

/** Each breaker gets fresh rule instances (rules hold per-backend counts). */
export type TripRuleFactory = () => TripRule;

/** Opens after `threshold` failures in a row; any success starts the count again. */
export function consecutiveFailures(threshold = 5): TripRuleFactory {
  assertPositiveInteger('consecutiveFailures threshold', threshold);
  return () => {
    let count = 0;
    return {
      description: `${threshold} consecutive failures`,
      recordFailure: () => ++count >= threshold,
      recordSuccess: () => {
        count = 0;
      },
      reset: () => {
        count = 0;
      },
    };
  };
}

/** Opens when `threshold` failures fall within any `windowMs` span, whatever succeeded in between. */
export function failuresInWindow(threshold = 5, windowMs = 60_000): TripRuleFactory {
  assertPositiveInteger('failuresInWindow threshold', threshold);
  assertPositiveInteger('failuresInWindow windowMs', windowMs);
  return () => {
    let failureTimes: number[] = [];
    return {
      description: `${threshold} failures within ${windowMs / 1000} s`,
      recordFailure(nowMs) {
        failureTimes = failureTimes.filter((t) => nowMs - t < windowMs);
        failureTimes.push(nowMs);
        return failureTimes.length >= threshold;
      },
      recordSuccess: () => undefined,
      reset: () => {
        failureTimes = [];
      },
    };
  };
}

function assertPositiveInteger(field: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${field} must be a positive integer, got ${String(value)}`);
}
