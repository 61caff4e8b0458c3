/** Calls kept while a service's code loads; beyond it the oldest are dropped (and counted). */
export const DEFERRED_CALLS_LIMIT = 1_000;

/**
 * Calls to a service whose code is still loading (a lazy facade's): kept in call order and made on the loaded
 * service as soon as it is there, then made at once. A failed load rejects the waiting `ask`s with its error and
 * keeps the `run`s for the next load. What the deferred facades share (lazyEscalations.ts, lazyCheckpoints.ts).
 */
export interface DeferredCalls<T> {
  /** The loaded service, or undefined while it loads. */
  current(): T | undefined;
  /** `act` on the loaded service: now when it is loaded, else as soon as it loads. */
  run(act: (real: T) => void): void;
  /** `act` on the loaded service, as `run`; rejects if `act` throws or the load in flight fails. */
  ask<R>(act: (real: T) => R | Promise<R>): Promise<R>;
  /**
   * `attach(real, listener)` as soon as the service is there; the returned function detaches it, or stops it
   * being attached when called before the load.
   */
  listen<L>(listener: L, attach: (real: T, listener: L) => () => void): () => void;
  /** The code loaded: the kept calls are made, in order. Returns how many were dropped meanwhile. */
  loaded(real: T): number;
  /** The load failed: waiting `ask`s reject with `error`; `run`s stay for the next load. */
  failed(error: unknown): void;
  /** No more calls are made; the kept ones are dropped, waiting `ask`s rejected. */
  dispose(): void;
}

interface Kept<T> {
  readonly act: (real: T) => void;
  readonly reject?: (error: unknown) => void;
}

export interface DeferredCallsOptions {
  /** Told of every call kept while nothing is loaded (a facade retries a failed load there). */
  onWait?: () => void;
  /** A kept `run` that threw when made on load (the others are still made). */
  onError: (error: unknown) => void;
  limit?: number;
}

export function deferredCalls<T>({ onWait = () => undefined, onError, limit = DEFERRED_CALLS_LIMIT }: DeferredCallsOptions): DeferredCalls<T> {
  let real: T | undefined;
  let kept: Kept<T>[] = [];
  let dropped = 0;
  let disposed = false;
  const keep = (call: Kept<T>) => {
    if (kept.length >= limit) {
      kept.shift()?.reject?.(new Error('Dropped: too many calls while the code loaded'));
      dropped += 1;
    }
    kept.push(call);
    onWait();
  };
  const run = (act: (real: T) => void): void => {
    if (disposed) return;
    if (real !== undefined) act(real);
    else keep({ act });
  };
  return {
    current: () => real,
    run,
    ask<R>(act: (real: T) => R | Promise<R>): Promise<R> {
      if (disposed) return Promise.reject(new Error('The runtime was disposed'));
      if (real !== undefined) {
        // Loaded: the service's own promise (the same object for calls it coalesces), no wrapper.
        try {
          return Promise.resolve(act(real));
        } catch (error) {
          return Promise.reject(error);
        }
      }
      return new Promise<R>((resolve, reject) => {
        const call = (service: T) => {
          try {
            resolve(act(service));
          } catch (error) {
            reject(error);
          }
        };
        keep({ act: call, reject });
      });
    },
    listen(listener, attach) {
      let detach: (() => void) | undefined;
      let gone = false;
      run((service) => {
        if (!gone) detach = attach(service, listener);
      });
      return () => {
        gone = true;
        detach?.();
      };
    },
    loaded(service) {
      if (disposed) return 0;
      real = service;
      const calls = kept;
      kept = [];
      for (const call of calls) {
        try {
          call.act(service);
        } catch (error) {
          onError(error);
        }
      }
      return dropped;
    },
    failed(error) {
      const waiting = kept.filter((call) => call.reject !== undefined);
      kept = kept.filter((call) => call.reject === undefined);
      waiting.forEach((call) => call.reject?.(error));
    },
    dispose() {
      disposed = true;
      const calls = kept;
      kept = [];
      calls.forEach((call) => call.reject?.(new Error('The runtime was disposed')));
    },
  };
}
