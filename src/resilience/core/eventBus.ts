import type { Clock } from './clock';
import type { ResilienceEvent, ResilienceEventMap, ResilienceEventType } from './events';

/** Receives every event emitted on an `EventBus`. */
export type EventListener = (event: ResilienceEvent) => void;

/** Synchronous typed event bus every subsystem reports to; a listener that throws never breaks the emitter. */
export interface EventBus {
  /**
   * Delivers the event synchronously to every listener. Never throws. The bus takes ownership of `payload`
   * (pass a fresh object): it is stamped in place with `type` and `at` (`at`, else `clock.now()`) and delivered
   * as the event itself, so emitting allocates nothing more. Does nothing (not even read the clock) without
   * listeners.
   */
  emit<K extends ResilienceEventType>(type: K, payload: ResilienceEventMap[K], at?: number): void;
  /** Adds a listener; returns the function that removes it (idempotent). */
  subscribe(listener: EventListener): () => void;
  /** Lets hot paths skip building payloads nobody reads. */
  hasListeners(): boolean;
}

/**
 * The typed event bus. A listener that throws is isolated: the emitter never sees the exception, the other
 * listeners still get the event, and the failure is reported once as `runtime.internalError` (a listener that
 * throws while handling that report is dropped silently, so a broken listener cannot recurse).
 */
export function createEventBus(clock: Clock): EventBus {
  // Copy-on-write array: emit iterates a stable snapshot without allocating.
  let listeners: readonly EventListener[] = [];
  let reportingListenerFailure = false;

  const deliver = (event: ResilienceEvent): void => {
    const current = listeners;
    for (let i = 0; i < current.length; i++) {
      const listener = current[i] as EventListener;
      try {
        listener(event);
      } catch (error) {
        reportListenerFailure(event, error);
      }
    }
  };

  const reportListenerFailure = (event: ResilienceEvent, error: unknown): void => {
    if (reportingListenerFailure) return;
    reportingListenerFailure = true;
    try {
      deliver({
        type: 'runtime.internalError',
        at: clock.now(),
        subsystem: 'events',
        message: `An event listener threw while handling ${event.type}: ${String((error as Error)?.message ?? error)}`,
        error,
      });
    } finally {
      reportingListenerFailure = false;
    }
  };

  return {
    emit(type, payload, at) {
      if (listeners.length === 0) return;
      // Stamped in place rather than copied with `{ type, at, ...payload }`: the copy was ≈ 0.15 µs per event.
      const event = payload as typeof payload & { type: typeof type; at: number };
      event.type = type;
      event.at = at ?? clock.now();
      deliver(event as unknown as ResilienceEvent);
    },
    subscribe(listener) {
      listeners = [...listeners, listener];
      let active = true;
      return () => {
        if (!active) return;
        active = false;
        listeners = listeners.filter((l) => l !== listener);
      };
    },
    hasListeners: () => listeners.length > 0,
  };
}
