/** Something that tells its listeners when it changes; subscribe returns the function that unsubscribes. */
export interface Subscribable<T> {
  subscribe(listener: (value: T) => void): () => void;
}

/** The listener set behind a {@link Subscribable}. */
export interface Listeners<T> extends Subscribable<T> {
  /** Calls every listener with `value`, synchronously; a listener that throws goes to `onError`, the rest still run. */
  notify(value: T): void;
  readonly size: number;
  clear(): void;
}

/**
 * The one listener set of the runtime. A listener added or removed during a notification does not change that
 * notification (it iterates a snapshot); unsubscribing twice is harmless.
 */
export function createListeners<T>(onError: (error: unknown) => void): Listeners<T> {
  let listeners: readonly ((value: T) => void)[] = [];
  return {
    subscribe(listener) {
      listeners = [...listeners, listener];
      let active = true;
      return () => {
        if (!active) return;
        active = false;
        listeners = listeners.filter((candidate) => candidate !== listener);
      };
    },
    notify(value) {
      const current = listeners;
      for (let i = 0; i < current.length; i++) {
        try {
          (current[i] as (value: T) => void)(value);
        } catch (error) {
          onError(error);
        }
      }
    },
    get size() {
      return listeners.length;
    },
    clear() {
      listeners = [];
    },
  };
}
