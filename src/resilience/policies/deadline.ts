/** What every deadline strategy hands out (sharedDeadline.ts is the default; exactDeadline.ts the others). */

/** A signal that aborts after a deadline or when the caller's signal aborts; `dispose()` when done. */
export interface Deadline {
  readonly signal: AbortSignal;
  timedOut(): boolean;
  dispose(): void;
}

/**
 * `now`: the caller's current `clock.now()` when it has one at hand (saves a clock read on the hot path).
 * `dispose` (when present) clears whatever timers the factory still has scheduled; the runtime calls it.
 */
export type DeadlineFactory = ((timeoutMs: number, outer: AbortSignal | undefined, now?: number) => Deadline) & { dispose?(): void };

/** The abort reason of a deadline: a `TimeoutError`, as `AbortSignal.timeout` gives. */
export function timeoutReason(timeoutMs: number): Error {
  const message = `Timed out after ${timeoutMs} ms`;
  return typeof DOMException === 'function' ? new DOMException(message, 'TimeoutError') : Object.assign(new Error(message), { name: 'TimeoutError' });
}
