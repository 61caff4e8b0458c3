import type { ErrorCode } from '../core/errors';
import { failureTraits } from '../core/failureTraits';

/** How one outcome counts for a breaker. */
export type BreakerVerdict = 'success' | 'failure' | 'ignore';

/**
 * Maps an outcome to a breaker verdict. Cancellation (ABORTED) is the caller's choice, not a backend failure,
 * and a 4xx proves the backend is up: neither may trip a breaker. Anything else unknown is ignored.
 */
export function breakerVerdict(errorCode: ErrorCode | undefined): BreakerVerdict {
  if (errorCode === undefined) return 'success';
  const counted = failureTraits(errorCode).breaker;
  return counted === 'alive' ? 'success' : counted;
}
