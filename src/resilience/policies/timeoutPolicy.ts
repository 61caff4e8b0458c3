import { systemClock, type Clock } from '../core/clock';
import { ResilienceError } from '../core/errors';
import type { Result } from '../core/result';
import { definePolicy, type Next, type Policy, type PolicyContext } from './policy';
import { clockDeadline } from './exactDeadline';

/** Options of the standalone `timeout` policy. */
export interface TimeoutOptions {
  clock?: Clock;
  /** Names the backend in the TIMEOUT error. */
  backend?: string;
}

/**
 * A timeout policy: the operation gets a signal that aborts after `timeoutMs` (or when the caller's signal
 * aborts), and the policy settles at that moment with TIMEOUT (or ABORTED) even if the operation ignores its
 * signal. Timers run on the given clock, so fake timers drive it.
 */
export function timeout(timeoutMs: number, options: TimeoutOptions = {}): Policy {
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) throw new RangeError(`timeout: timeoutMs must be a positive number, got ${String(timeoutMs)}`);
  const deadlineFor = clockDeadline(options.clock ?? systemClock());
  return definePolicy((next, context) => runWithDeadline(next, context, timeoutMs, deadlineFor, options.backend));
}

async function runWithDeadline<T>(
  next: Next<T>,
  context: PolicyContext,
  timeoutMs: number,
  deadlineFor: ReturnType<typeof clockDeadline>,
  backend: string | undefined,
): Promise<Result<T, ResilienceError>> {
  const deadline = deadlineFor(timeoutMs, context.signal);
  const failure = (): Result<T, ResilienceError> =>
    deadline.timedOut()
      ? { ok: false, error: new ResilienceError('TIMEOUT', `No result${backend ? ` from "${backend}"` : ''} within ${timeoutMs} ms`, { backend }) }
      : { ok: false, error: new ResilienceError('ABORTED', 'The operation was aborted by the caller', { backend, cause: context.signal?.reason }) };
  if (deadline.signal.aborted) {
    deadline.dispose();
    return failure();
  }
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<Result<T, ResilienceError>>((resolve) => {
    onAbort = () => resolve(failure());
    deadline.signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const result = await Promise.race([next({ signal: deadline.signal, attempt: context.attempt }), aborted]);
    // An operation that rejected because its signal aborted is a timeout/abort, not whatever it threw.
    return !result.ok && deadline.signal.aborted ? failure() : result;
  } finally {
    if (onAbort) deadline.signal.removeEventListener('abort', onAbort);
    deadline.dispose();
  }
}
