import { deferredCalls, type DeferredCalls } from '../core/deferredCalls';
import type { FeatureFlags } from './featureFlags';
import type { FlagName } from './flagNames';

/** A subsystem's code loaded once its flag is on (see {@link loadWithFlag}). */
export interface FlaggedLoad {
  /** Resolves once the load in flight settles; at once when none is (the flag off, or already loaded). */
  ready(): Promise<void>;
  /** Tries a failed load again now (no-op while one is in flight, or once loaded or disposed). */
  retry(): void;
  /** Stops watching the flag; a load still in flight is ignored when it lands. */
  dispose(): void;
}

/**
 * Imports a subsystem's code only once `flag` is on, at start-up or on a later change, and hands it to `loaded`
 * (once). `starting` runs as a load begins (e.g. to keep what happens meanwhile). A failed load goes to `failed`
 * and is tried again at the next flag change or `retry()`; so does an error thrown by `loaded` (not retried:
 * the code is there). `ready()` never rejects. Without a `flag` the code is imported at once: after the first
 * load, not in it. What the lazy facades of the runtime share (lazyPredictor.ts, lazyMonitoring.ts,
 * lazyEscalations.ts, lazyCheckpoints.ts, lazyRecovery.ts, lazyDrainScheduler.ts): a subsystem whose flag is off,
 * or that is not needed to render, costs no bytes of the first load.
 */
export function loadWithFlag<M>(options: {
  /** Omitted: always wanted, loaded at once (`flags` may then be omitted too). */
  flag?: FlagName;
  flags?: FeatureFlags;
  load: () => Promise<M>;
  starting?: () => void;
  loaded: (module: M) => void;
  failed: (error: unknown) => void;
}): FlaggedLoad {
  let done = false;
  let loading: Promise<void> | undefined;
  const start = (): void => {
    if (done || loading || (options.flag !== undefined && options.flags?.isEnabled(options.flag) !== true)) return;
    options.starting?.();
    loading = options.load().then(
      (module) => {
        if (done) return;
        done = true;
        stopWatching();
        try {
          options.loaded(module);
        } catch (error) {
          options.failed(error); // the code loaded but would not start: flag-off behaviour, as for a failed load
        }
      },
      (error: unknown) => {
        loading = undefined;
        if (!done) options.failed(error);
      },
    );
  };
  const stopWatching = options.flag === undefined ? () => undefined : (options.flags?.subscribe(start) ?? (() => undefined));
  start();
  return {
    ready: () => loading ?? Promise.resolve(),
    retry: start,
    dispose() {
      done = true;
      stopWatching();
    },
  };
}

/**
 * A service whose code is imported at once, after the first load, with the calls made meanwhile kept in order
 * (`deferredCalls`) and made on it once `build` made it from the loaded module. A failed load rejects the waiting
 * asks and is reported as "Loading <what> failed"; the next kept call tries again. What the facades of
 * afterFirstLoad.ts share.
 */
export function loadDeferred<M, T>(options: {
  load: () => Promise<M>;
  build: (module: M) => T;
  what: string;
  report: (error: unknown) => void;
  /** Told of each failed load, after the waiting asks were rejected. */
  failed?: (error: unknown) => void;
}): { calls: DeferredCalls<T>; code: FlaggedLoad } {
  const { report, what } = options;
  const calls = deferredCalls<T>({ onWait: () => code.retry(), onError: report });
  const code = loadWithFlag({
    load: options.load,
    loaded(module) {
      const dropped = calls.loaded(options.build(module));
      if (dropped > 0) report(new Error(`${dropped} calls to ${what} were dropped while its code loaded`));
    },
    failed(error) {
      calls.failed(error);
      report(new Error(`Loading ${what} failed: ${String(error)}`));
      options.failed?.(error);
    },
  });
  return { calls, code };
}
