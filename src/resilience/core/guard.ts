import type { EventBus } from './eventBus';

/**
 * Graceful degradation of the runtime itself: runs one step of a subsystem; if it throws, reports
 * `runtime.internalError` and returns `whenOff()`, the behaviour the operation would have with the subsystem's
 * flag off. Resilience machinery must never make an operation fail that would succeed without it.
 */
export function guard<T>(events: EventBus, subsystem: string, step: () => T, whenOff: () => T): T {
  try {
    return step();
  } catch (error) {
    reportInternalError(events, subsystem, error);
    return whenOff();
  }
}

/** Async form of {@link guard}: a rejected step also falls back to `whenOff()`. */
export async function guardAsync<T>(
  events: EventBus,
  subsystem: string,
  step: () => Promise<T>,
  whenOff: () => T | Promise<T>,
): Promise<T> {
  try {
    return await step();
  } catch (error) {
    reportInternalError(events, subsystem, error);
    return whenOff();
  }
}

/** Emits `runtime.internalError` for a caught exception inside the runtime. Never throws. */
export function reportInternalError(events: EventBus, subsystem: string, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  events.emit('runtime.internalError', { subsystem, message, error });
}
