import type { ErrorCode } from '../core/errors';

/** How one outcome counts for a breaker. */
export type BreakerVerdict = 'success' | 'failure' | 'ignore';

/** Failures that say the backend is unwell. */
const COUNTED_FAILURES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'NETWORK',
  'TIMEOUT',
  'HTTP_5XX',
  'RATE_LIMITED',
  'SOCKET_CLOSED',
  'SOCKET_STALE',
]);

/** The backend answered, just not with what the caller wanted: it is alive. */
const LIVENESS_EVIDENCE: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['HTTP_4XX', 'AUTH', 'CONFLICT']);

/**
 * Maps an outcome to a breaker verdict. Cancellation (ABORTED) is the caller's choice, not a backend failure,
 * and a 4xx proves the backend is up: neither may trip a breaker. Anything else unknown is ignored.
 */
export function breakerVerdict(errorCode: ErrorCode | undefined): BreakerVerdict {
  if (errorCode === undefined) return 'success';
  if (COUNTED_FAILURES.has(errorCode)) return 'failure';
  if (LIVENESS_EVIDENCE.has(errorCode)) return 'success';
  return 'ignore';
}
