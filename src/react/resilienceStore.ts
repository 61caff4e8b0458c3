import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  createNotifyBatcher,
  failureTraits,
  systemClock,
  throttledScheduler,
  type FlushScheduler,
  type BreakerSnapshot,
  type ConnectionStatus,
  type ConnectivityState,
  type FlagsSnapshot,
  type OutboxSnapshot,
  type ResilienceEvent,
  type ResilienceRuntime,
} from '../resilience';

/** Everything the UI shows about the runtime; replaced (never mutated) on each change. */
export interface ResilienceState {
  readonly connectivity: ConnectivityState;
  readonly breakers: BreakerSnapshot;
  /** Failed requests per backend since its breaker last closed (what pushed it open). */
  readonly breakerFailures: Readonly<Record<string, number>>;
  readonly flags: FlagsSnapshot;
  /** The runtime's connection status (`runtime.snapshot().connection`): what the banner says. */
  readonly status: ConnectionStatus;
  /** The most recent runtime events, newest last (a bounded ring for the developer panel). */
  readonly events: readonly ResilienceEvent[];
  /** The outbox as the UI shows it: pending count, intervention list, whether saving offline is durable. */
  readonly outbox: OutboxSnapshot;
  /** How far the running sync is ("Syncing 12 of 30…"); null when no sync is reporting progress. */
  readonly syncProgress: SyncProgress | null;
}

export interface SyncProgress {
  readonly done: number;
  readonly total: number;
}

export interface ResilienceStoreOptions {
  /**
   * Backends whose breakers are restored at once (e.g. `['api']`), so a breaker left open by an earlier page
   * load shows before the first request. Others appear when first used.
   */
  backends?: readonly string[];
  /** Size of the recent-events ring. Default 50. */
  eventLimit?: number;
  /** Commit changes batched (default) or each at once (`false`, for comparison). */
  batched?: boolean;
  /**
   * When a batch commits. Default `throttledScheduler` on the real clock: a lone change in the next microtask, a
   * burst at most once per animation frame (16 ms; the display's time, not the runtime clock's, so a test's manual
   * runtime clock cannot stall the UI). `microtaskScheduler` commits once per synchronous burst.
   */
  scheduler?: FlushScheduler;
}

export interface ResilienceStore extends StoreApi<ResilienceState> {
  /**
   * Re-reads the runtime's snapshots and follows its events until the returned function is called.
   * Idempotent per connection; safe under StrictMode's mount–unmount–mount.
   */
  connect(): () => void;
  /**
   * Commits the changes still waiting for the frame now. Call it just before showing an outcome that the shown
   * state must agree with: a verdict next to "1 pending" that is already sent would be a stale word.
   */
  commitNow(): void;
}

type StatePatch = { -readonly [K in keyof ResilienceState]?: ResilienceState[K] };

const DEFAULT_EVENT_LIMIT = 50;
const EVENTS_KEPT_UNDER_PRESSURE = 10;
/** The display's time: monotonic (performance.now), so a wall-clock step cannot stall the UI. */
const displayClock = { ...systemClock(), now: () => performance.now() };

/** A store for one runtime (no module singletons): zustand's vanilla store fed by runtime subscriptions. */
export function createResilienceStore(runtime: ResilienceRuntime, options: ResilienceStoreOptions = {}): ResilienceStore {
  const eventLimit = options.eventLimit ?? DEFAULT_EVENT_LIMIT;
  const primeBreakers = () => {
    for (const backend of options.backends ?? []) runtime.breakers.get(backend);
  };
  primeBreakers();

  const store = createStore<ResilienceState>()(() => ({
    connectivity: runtime.connectivity.state(),
    breakers: runtime.breakers.snapshot(),
    breakerFailures: {},
    flags: runtime.flags.snapshot(),
    status: runtime.snapshot().connection,
    events: [],
    outbox: runtime.outbox.snapshot(),
    syncProgress: null,
  }));
  const commit = (patch: StatePatch) => store.setState((state) => ({ ...state, ...patch }));
  // Changes are gathered and committed together (a 1,000-entry drain is a few dozen store updates, not
  // thousands); `batched: false` commits each change at once.
  let pending: StatePatch | undefined;
  const batcher = options.batched === false ? undefined : createNotifyBatcher(options.scheduler ?? throttledScheduler(displayClock), rethrowLater);
  const flush = () => {
    const patch = pending;
    pending = undefined;
    if (patch) commit(patch);
  };
  const update = (patch: StatePatch) => {
    if (!batcher) return commit(patch);
    pending = { ...pending, ...patch };
    batcher.schedule(flush);
  };
  /** The state as it will be after the pending commit. */
  const view = (): ResilienceState => (pending ? { ...store.getState(), ...pending } : store.getState());

  const onEvent = (event: ResilienceEvent) => {
    const { events, breakerFailures } = view();
    const ring = events.length >= eventLimit ? [...events.slice(events.length - eventLimit + 1), event] : [...events, event];
    const patch: StatePatch = { events: ring };
    if (event.type === 'request.failed' && failureTraits(event.code).breaker === 'failure') {
      patch.breakerFailures = { ...breakerFailures, [event.backend]: (breakerFailures[event.backend] ?? 0) + 1 };
    } else if (event.type === 'breaker.closed') {
      patch.breakerFailures = { ...breakerFailures, [event.backend]: 0 };
    } else if (event.type === 'outbox.progress') {
      patch.syncProgress = { done: event.done, total: event.total };
    } else if (event.type === 'outbox.drained') {
      patch.syncProgress = null;
    }
    update(patch);
  };

  return {
    ...store,
    commitNow: flush,
    connect() {
      primeBreakers();
      update({
        connectivity: runtime.connectivity.state(),
        breakers: runtime.breakers.snapshot(),
        flags: runtime.flags.snapshot(),
        outbox: runtime.outbox.snapshot(),
        status: runtime.snapshot().connection,
      });
      const unsubscribers = [
        runtime.events.subscribe(onEvent),
        // One feed for the runtime's state, already batched by the runtime.
        runtime.subscribe(({ connectivity, breakers, flags, outbox, connection }) =>
          update({ connectivity, breakers, flags, outbox, status: connection, ...(outbox.draining ? {} : { syncProgress: null }) }),
        ),
        // Memory pressure: the recent-events ring keeps only its newest few.
        runtime.evictors.register('recentEvents', () => {
          const { events } = view();
          if (events.length <= EVENTS_KEPT_UNDER_PRESSURE) return { entries: 0 };
          update({ events: events.slice(events.length - EVENTS_KEPT_UNDER_PRESSURE) });
          return { entries: events.length - EVENTS_KEPT_UNDER_PRESSURE };
        }),
      ];
      return () => {
        for (const unsubscribe of unsubscribers) unsubscribe();
        flush();
      };
    },
  };
}

/** A store subscriber that threw: surfaced as an uncaught error (the error tracker's global handler sees it). */
function rethrowLater(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}
