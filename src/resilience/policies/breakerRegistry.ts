import { systemRandom, type Clock, type RandomSource } from '../core/clock';
import type { EventBus } from '../core/eventBus';
import { reportInternalError } from '../core/guard';
import { createListeners } from '../core/listeners';
import { watchBreakerRecovery } from './breakerRecovery';
import { parseBreakerState, stateTime, type BreakerState } from './breakerState';
import type { BreakerStateStore } from './breakerStore';
import { createCircuitBreaker, type CircuitBreaker } from './circuitBreaker';
import { consecutiveFailures, failuresInWindow, type TripRuleFactory } from './tripRules';

/** How a breaker trips and recovers: open period, half-open probes and their timeout, trip rules. */
export interface BreakerSettings {
  openDurationMs: number;
  halfOpenMaxProbes: number;
  probeTimeoutMs: number;
  tripRules: readonly TripRuleFactory[];
}

/** 5 consecutive or 5 within 60 s; open 30 s; one probe with its own timeout. */
export const DEFAULT_BREAKER_SETTINGS: BreakerSettings = {
  openDurationMs: 30_000,
  halfOpenMaxProbes: 1,
  probeTimeoutMs: 5_000,
  tripRules: [consecutiveFailures(5), failuresInWindow(5, 60_000)],
};

export interface BreakerRegistryOptions {
  clock: Clock;
  /** Jitter of recovery probes (see `watchRecovery`). Default Math.random. */
  random?: RandomSource;
  events: EventBus;
  store: BreakerStateStore;
  settings?: Partial<BreakerSettings>;
  /** Per-backend overrides, e.g. `{ tutor: { openDurationMs: 300_000 } }`. */
  perBackend?: Readonly<Record<string, Partial<BreakerSettings>>>;
}

/** Every known breaker's state, by backend name. */
export type BreakerSnapshot = Readonly<Record<string, BreakerState>>;

/** One circuit breaker per backend, created on first use; its store persists the state and shares it between tabs. */
export interface BreakerRegistry {
  /** The breaker of `backend`, created on first use with the state restored from the store. */
  get(backend: string): CircuitBreaker;
  /** Every known breaker's state; a new object only after a change. */
  snapshot(): BreakerSnapshot;
  subscribe(listener: (snapshot: BreakerSnapshot) => void): () => void;
  /**
   * Sends `probe` (one cheap call through this backend's breaker, e.g. a health request) when the breaker's open
   * period ends, so a page with nothing to send still finds out that the backend is back; again when a half-open
   * state learnt from another tab never resolves. One tab's probe reaches the backend. Stopped by the returned
   * function or by `dispose()`.
   */
  watchRecovery(backend: string, probe: () => Promise<unknown>): () => void;
  dispose(): void;
}

/**
 * One breaker per backend key, so a failing backend cannot slow or fail another's calls. Local transitions
 * are persisted and broadcast through the store and emitted as breaker.* events; states from other tabs are
 * validated, applied when newer, and emitted too (reason prefixed "another tab:").
 */
export function createBreakerRegistry(options: BreakerRegistryOptions): BreakerRegistry {
  const { clock, events, store } = options;
  const breakers = new Map<string, CircuitBreaker>();
  const listeners = createListeners<BreakerSnapshot>((error) => reportInternalError(events, 'breakers', error));
  const watchers = new Set<() => void>();
  let snapshot: BreakerSnapshot = {};

  const changed = (backend: string, state: BreakerState, reason: string) => {
    snapshot = { ...snapshot, [backend]: state };
    if (state.state === 'open') events.emit('breaker.opened', { backend, reason, reopenAt: state.reopenAt });
    else if (state.state === 'halfOpen') events.emit('breaker.halfOpened', { backend, reason });
    else events.emit('breaker.closed', { backend, reason });
    notify();
  };
  const notify = () => listeners.notify(snapshot);

  const validated = (backend: string, raw: unknown, origin: string): BreakerState | undefined => {
    if (raw === undefined) return undefined;
    const state = parseBreakerState(raw);
    if (!state) reportInternalError(events, 'breakers', new Error(`Ignoring a malformed breaker state for "${backend}" from ${origin}`));
    return state;
  };

  const create = (backend: string, initialState: BreakerState | undefined): CircuitBreaker => {
    const settings = { ...DEFAULT_BREAKER_SETTINGS, ...options.settings, ...options.perBackend?.[backend] };
    const breaker = createCircuitBreaker({
      backend,
      clock,
      ...settings,
      initialState,
      acquireProbeLease: () => store.acquireProbeLease(backend, settings.probeTimeoutMs + 1_000),
      onTransition: (state, reason) => {
        try {
          store.save(backend, state);
        } catch (error) {
          reportInternalError(events, 'breakers', error);
        }
        changed(backend, state, reason);
      },
    });
    breakers.set(backend, breaker);
    snapshot = { ...snapshot, [backend]: breaker.state() };
    // A restored open state is news to watchers (recovery probes, the UI), though not a transition.
    if (initialState !== undefined && initialState.state !== 'closed') notify();
    return breaker;
  };

  const unsubscribeStore = store.subscribe((backend, raw) => {
    const state = validated(backend, raw, 'another tab');
    if (!state) return;
    const breaker = breakers.get(backend);
    if (!breaker) return void create(backend, state);
    if (stateTime(state) < stateTime(breaker.state())) return; // an older update arriving late
    breaker.applyRemote(state);
    changed(backend, state, `another tab: ${state.state === 'closed' ? 'closed' : state.reason}`);
  });

  const registry: BreakerRegistry = {
    get(backend) {
      const existing = breakers.get(backend);
      if (existing) return existing;
      let restored: BreakerState | undefined;
      try {
        restored = validated(backend, store.load(backend), 'storage');
      } catch (error) {
        reportInternalError(events, 'breakers', error);
      }
      return create(backend, restored);
    },
    snapshot: () => snapshot,
    subscribe: listeners.subscribe,
    watchRecovery(backend, probe) {
      const stop = watchBreakerRecovery({
        clock,
        random: options.random ?? systemRandom(),
        state: () => snapshot[backend],
        subscribe: (listener) => registry.subscribe(listener),
        probe,
      });
      const unwatch = () => {
        if (watchers.delete(unwatch)) stop();
      };
      watchers.add(unwatch);
      return unwatch;
    },
    dispose() {
      for (const unwatch of [...watchers]) unwatch();
      unsubscribeStore();
      listeners.clear();
    },
  };
  return registry;
}
