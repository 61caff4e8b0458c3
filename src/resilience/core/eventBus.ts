import type { Clock } from './clock';
import type { ResilienceEvent, ResilienceEventMap, ResilienceEventType } from './events';

export type EventListener = (event: ResilienceEvent) => void;

export interface EventBus {
  /** Stamps the event with `clock.now()` and delivers it synchronously to every listener. Never throws. */
  emit<K extends ResilienceEventType>(type: K, payload: ResilienceEventMap[K]): void;
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
    emit(type, payload) {
      if (listeners.length === 0) return;
      deliver({ type, at: clock.now(), ...payload } as ResilienceEvent);
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
