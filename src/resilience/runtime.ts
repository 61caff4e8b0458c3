import { systemClock, systemRandom, type Clock, type RandomSource } from './core/clock';
import { createEventBus, type EventBus } from './core/eventBus';
import { guard, reportInternalError } from './core/guard';
import { createRuntimeState, type RuntimeSnapshot } from './runtimeState';
import { createConnectionStatus } from './modes/connectionStatus';
import { createIdGenerator, type IdGenerator } from './core/ids';
import { browserLocalStorage, guardedStorage, type SyncStorageLike } from './core/syncStorage';
import { createFeatureFlags, type FeatureFlags } from './flags/featureFlags';
import { startServedFlags } from './flags/servedFlags';
import { NO_CHAOS_SEAMS } from './chaos/chaosSeams';
import { createBreakerRegistry, type BreakerRegistry } from './policies/breakerRegistry';
import { createMemoryBreakerStore, type BreakerStateStore } from './policies/breakerStore';
import { createBrowserBreakerStore } from './policies/browserBreakerStore';
import type { ApiClient } from './transport/apiClient';
import type { FetchLike } from './transport/apiTypes';
import { createConnectivityMonitor, type ConnectivityEventSource, type ConnectivityMonitor } from './transport/connectivity';
import type { ResponseCache } from './cache/responseCache';
import type { Outbox } from './outbox/outbox';
import { DATABASE_NAME } from './outbox/databaseName';
import { lazyStorageServices } from './outbox/lazyStorageServices';
import type { StreamSocketConfig } from './transport/streamSocketWiring';
import { lazyStreamSockets } from './transport/lazyStreamSockets';
import type { StreamSocket } from './transport/socket/socketTypes';
import { createHealing } from './healing/healingWiring';
import type { SelfHealingSystem } from './healing/selfHealingSystem';
import type { EvictorRegistry } from './healing/evictors';
import type { IntelligentFallbackSystem } from './fallback/fallbackSystem';
import type { RecoveryOrchestrator } from './orchestrator/recoveryOrchestrator';
import { lazyRecovery } from './orchestrator/lazyRecovery';
import { createModeStore, type ModeStore } from './modes/modeStore';
import { startEvidenceRecheck } from './modes/evidenceRecheck';
import type { Monitoring } from './monitoring/monitoringWiring';
import { lazyMonitoring } from './monitoring/lazyMonitoring';
import { lazyCheckpoints } from './checkpoint/lazyCheckpoints';
import type { CheckpointService } from './checkpoint/checkpoints';
import { lazyPredictor } from './predictor/lazyPredictor';
import type { RuntimePredictor } from './predictor/predictorWiring';
import { createNetworkTuning } from './predictor/actions/networkTuning';
import { lazyEscalations } from './escalation/lazyEscalations';
import type { InterventionQueue } from './escalation/interventionQueue';
import { assertKnownOptions, type ResilienceRuntimeConfig } from './runtimeConfig';

export type { ResilienceRuntimeConfig } from './runtimeConfig';

/**
 * The running runtime: every subsystem, built and wired once by `createResilienceRuntime`; `dispose()` stops them
 * all.
 */
export interface ResilienceRuntime {
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly ids: IdGenerator;
  readonly events: EventBus;
  readonly flags: FeatureFlags;
  readonly breakers: BreakerRegistry;
  readonly api: ApiClient;
  readonly connectivity: ConnectivityMonitor;
  /** Durable offline queue of user actions. */
  readonly outbox: Outbox;
  /** Response cache per user; `api.request({cache})` uses it, logout calls `purgeUser`. */
  readonly cache: ResponseCache;
  /** The socket from `config.socket`, or null. Reconnects by itself whatever the selfHealing flag says. */
  readonly socket: StreamSocket | null;
  /** Opens another tutor socket wired to this runtime (closed by dispose()). */
  connectSocket(config: StreamSocketConfig): StreamSocket;
  /** SelfHealingSystem; the `selfHealing` flag off → handleError answers healed:false at once. */
  readonly healing: SelfHealingSystem;
  /** In-memory caches and histories register an evictor here; the memory-cleanup strategy runs them. */
  readonly evictors: EvictorRegistry;
  /** IntelligentFallbackSystem; flag `fallback` off → the primary only. */
  readonly fallback: IntelligentFallbackSystem;
  /** RecoveryOrchestrator; flag `orchestrator` off → `{status:'failed', error}` at once. */
  readonly orchestrator: RecoveryOrchestrator;
  /** online | degraded | text-only | offline, derived in one place, with the student's text-only choice. */
  readonly modes: ModeStore;
  /** ResilienceMonitor and the error-tracker bridge; flag `monitoring` off → no metrics, nothing reported. */
  readonly monitoring: Monitoring;
  /** Verified checkpoints of long workflows, per student (flag `checkpoints` off → nothing saved or resumed). */
  readonly checkpoints: CheckpointService;
  /** Error predictor (flag `predictor`): live metrics → risk level → preventive actions; off → nothing runs. */
  readonly predictor: RuntimePredictor;
  /**
   * Everything a UI shows (connectivity, breakers, flags, outbox, mode, socket) in one object, always current;
   * a new object only after a change.
   */
  snapshot(): RuntimeSnapshot;
  /** Hears changes of {@link snapshot}, batched: at most once per animation frame. Returns the unsubscribe. */
  subscribe(listener: (snapshot: RuntimeSnapshot) => void): () => void;
  /**
   * "Try again" from the student: says so on the bus (pages re-run what failed), checks connectivity now,
   * reconnects the socket at once and syncs the outbox, ignoring backoffs. Never throws.
   */
  requestRetry(): void;
  /** Forgets what the runtime keeps for `userId` on this device (saved responses, checkpoints, intervention items). Never rejects. */
  purgeUser(userId: string): Promise<void>;
  /** Manual intervention queue of the student (flag `escalation`); also the orchestrator's default escalator. */
  readonly escalations: InterventionQueue;
  /** Stops listeners, timers and channels. The runtime must not be used afterwards. */
  dispose(): void;
}

/**
 * The composition root: builds and wires every runtime service from one config. Nothing else creates runtime
 * services or keeps module-level state; tests build one per test. The predictor and monitoring load their code
 * only once their flag is on (lazyPredictor.ts, lazyMonitoring.ts); the API client's pipeline with storage, the
 * outbox and the response cache, the intervention queue, the checkpoints and the recovery flow (fallback and
 * orchestrator) load theirs at once, after the first load, and do what was asked meanwhile once it is there
 * (lazyStorageServices.ts, lazyEscalations.ts, lazyCheckpoints.ts, lazyRecovery.ts).
 */
export function createResilienceRuntime(config: ResilienceRuntimeConfig = {}): ResilienceRuntime {
  assertKnownOptions(config);
  const baseClock = config.clock ?? systemClock();
  const clock = config.chaos ? config.chaos.clock(baseClock) : baseClock;
  const random = config.random ?? systemRandom();
  const events = createEventBus(clock);
  const chaos = config.chaos ? config.chaos.seams(events, clock, baseClock) : NO_CHAOS_SEAMS;
  const ids = createIdGenerator(clock, random);
  const fetchImpl = config.api?.fetch ?? defaultFetch();
  const baseUrl = config.api?.baseUrl ?? '';
  const storage = guardedStorage(
    () => (config.storage?.local === undefined ? browserLocalStorage() : config.storage.local),
    (operation, error) => reportInternalError(events, 'storage', new Error(`localStorage.${operation} failed: ${String(error)}`)),
  );

  const connectivitySource = config.connectivity?.source ?? defaultConnectivitySource();
  const databaseName = config.storage?.databaseName ?? DATABASE_NAME;
  const flagsConfig = config.flags ?? {};
  const flags = createFeatureFlags({ source: flagsConfig.source ?? null, userId: config.userId, allowOverrides: flagsConfig.allowOverrides ?? false, storage, storageKey: flagsConfig.overridesKey, events });
  const served = flagsConfig.served;
  const servedFlags = served
    ? startServedFlags({
        url: baseUrl + (served.path ?? '/api/flags'),
        fetch: fetchImpl,
        clock,
        events,
        flags,
        storage,
        cacheKey: served.cacheKey,
        intervalMs: served.intervalMs,
        onlineSource: connectivitySource,
      })
    : null;

  const breakerStore = config.breakers?.store ?? defaultBreakerStore(storage, clock, ids(), events);
  const breakers = createBreakerRegistry({
    clock,
    random,
    events,
    store: breakerStore,
    settings: config.breakers?.defaults,
    perBackend: config.breakers?.perBackend,
  });

  // Innermost: the real timeout, retry and breaker handle what chaos injects. The served flags stay outside it.
  const backendFetch = chaos.backendFetch(fetchImpl);
  const healthPath = config.connectivity?.healthPath ?? '/api/health';
  const healthUrl = baseUrl + healthPath;
  const connectivity = createConnectivityMonitor({
    clock,
    events,
    source: connectivitySource,
    probeHealth: async (signal) => (await backendFetch(healthUrl, { method: 'GET', signal, cache: 'no-store' })).ok,
  });
  const syncConnectivity = () => (flags.isEnabled('connectivity') ? connectivity.start() : connectivity.stop());
  syncConnectivity();
  const unsubscribeFlags = flags.subscribe(syncConnectivity);
  // Before any socket exists, so the status hears its first `connecting`.
  const connection = createConnectionStatus({
    events,
    connectivity: { snapshot: () => connectivity.state(), subscribe: connectivity.subscribe },
    breakers,
    onError: (error) => reportInternalError(events, 'connectionStatus', error),
  });

  // Read by the API client, set by the predictor's slow-network action.
  const tuning = createNetworkTuning();
  const storageServices = lazyStorageServices({
    indexedDB: config.storage?.indexedDB,
    databaseName,
    config: config.outbox ?? {},
    monotonicNow: config.monotonicNow ?? defaultMonotonicNow(clock),
    clock,
    random,
    events,
    flags,
    ids,
    tabId: ids(),
    syncStorage: storage,
    api: {
      baseUrl,
      fetch: backendFetch,
      clock,
      random,
      events,
      flags,
      breakers,
      connectivity,
      timeoutImplementation: config.api?.timeoutImplementation,
      defaultTimeoutMs: config.api?.defaultTimeoutMs,
      interactiveBudgetMs: config.api?.interactiveBudgetMs,
      backgroundPolicy: config.api?.backgroundRetryPolicy,
      extraHeaders: config.api?.extraHeaders,
      // The same injected refresh as the apiRetry healing strategy: a 401 refreshes once, then retries once.
      refreshSession: config.healing?.refreshSession,
      timeoutScale: tuning.timeoutFactor,
    },
    connectivity,
    onlineSource: connectivitySource,
    userId: config.userId,
    // A lost IndexedDB connection goes to self-healing (built below), whose storage strategy reopens it.
    onStorageConnectionLost: (error) => healingServices.healing.handleError(error, { op: 'storage' }),
    storageFaults: chaos.storageFaults,
    ...(config.responseCache ? { cacheBounds: config.responseCache } : {}),
  });
  const { api } = storageServices;

  // The API's breaker probes by itself when its open period ends (a page with nothing to send still recovers).
  breakers.watchRecovery('api', () => api.request({ op: 'health', backend: 'api', method: 'GET', path: healthPath, retry: false }));

  // Subscribed before the services below so their first events are counted too.
  const monitoring = lazyMonitoring({ clock, events, flags, config: config.monitoring });
  const sockets = lazyStreamSockets({ clock, random, events, flags, ids, connectivity, wrapWebSocket: chaos.wrapWebSocket });
  const socket = config.socket ? sockets.connect(config.socket) : null;
  const healingServices = createHealing({
    clock,
    events,
    flags,
    connectivity,
    sockets,
    // The storage strategy reopens the runtime's own database unless the embedder injects another reopen.
    config: { reopenStorage: () => storageServices.reopenStorage(), ...config.healing },
  });
  const stopChaosTicker = chaos.startTicker(healingServices.healing);
  // Memory pressure empties the response cache when it lives in memory (no IndexedDB); the outbox never.
  const unregisterCacheEvictor = healingServices.evictors.register('responseCache.memory', () => ({ entries: storageServices.evictCacheMemory() }));
  const predictor = lazyPredictor({ clock, events, flags, api: storageServices.api, outbox: storageServices.outbox, healer: healingServices.healing, tuning, config: config.predictor ?? {} });
  const escalations = lazyEscalations({ indexedDB: config.storage?.indexedDB, databaseName, clock, events, flags, outbox: storageServices.outbox, userId: config.userId, api: storageServices.api, connectivity, storage, config: config.escalation ?? {} });
  const recoveryConfig = { ...config.recovery, predictor: config.recovery?.predictor ?? predictor, escalator: config.recovery?.escalator ?? escalations };
  const recovery = lazyRecovery({ clock, random, events, ids, flags, storage, breakers, connectivity, healer: healingServices.healing, config: recoveryConfig, userId: config.userId });
  const modes = createModeStore({ clock, events, storage, connectivity, breakers, flags, socketFallbackOps: recoveryConfig.socketFallbackOps, deviceOnlyFallbackOps: recoveryConfig.deviceOnlyFallbackOps });
  // Limited mode after a fallback ends on healthy evidence; when nothing else would bring it, ask for it.
  const evidenceRecheck = startEvidenceRecheck({
    clock,
    events,
    modes,
    coveredElsewhere: () => connectivity.isOffline() || Object.values(breakers.snapshot()).some((state) => state.state !== 'closed'),
    check: () => api.request({ op: 'health', method: 'GET', path: healthPath, retry: false }),
  });
  const checkpoints = lazyCheckpoints({ indexedDB: config.storage?.indexedDB, databaseName, clock, events, flags, syncStorage: storage, userId: config.userId, config: config.checkpoints ?? {} });

  const state = createRuntimeState(
    clock,
    { connectivity: { snapshot: () => connectivity.state(), subscribe: connectivity.subscribe }, breakers, flags, outbox: storageServices.outbox, mode: modes, socket, connection },
    (error) => reportInternalError(events, 'runtimeState', error),
  );

  return {
    clock,
    random,
    ids,
    snapshot: state.snapshot,
    subscribe: state.subscribe,
    requestRetry() {
      events.emit('recovery.retryRequested', { by: 'student' });
      void connectivity.probe('student asked to try again');
      guard(events, 'socket', () => socket?.reconnectNow(), () => undefined);
      void storageServices.outbox.syncNow().catch((error: unknown) => reportInternalError(events, 'outbox', error));
    },
    async purgeUser(userId) {
      for (const [subsystem, purge] of [
        ['responseCache', () => storageServices.cache.purgeUser(userId)],
        ['checkpoints', () => checkpoints.purgeUser(userId)],
        ['escalation', () => escalations.purgeUser(userId)],
      ] as const) {
        try {
          await purge();
        } catch (error) {
          reportInternalError(events, subsystem, new Error(`Purging ${subsystem} for a user failed: ${String(error)}`));
        }
      }
    },
    events,
    flags,
    breakers,
    api: storageServices.api,
    connectivity,
    outbox: storageServices.outbox,
    cache: storageServices.cache,
    socket,
    connectSocket: (socketConfig) => sockets.connect(socketConfig),
    healing: healingServices.healing,
    evictors: healingServices.evictors,
    fallback: recovery.fallback,
    orchestrator: recovery.orchestrator,
    modes,
    monitoring,
    checkpoints,
    predictor,
    escalations,
    dispose() {
      state.dispose();
      connection.dispose();
      escalations.dispose();
      checkpoints.dispose();
      servedFlags?.dispose();
      unsubscribeFlags();
      predictor.dispose();
      connectivity.stop();
      breakers.dispose();
      breakerStore.dispose();
      storageServices.dispose();
      healingServices.dispose();
      evidenceRecheck.dispose();
      unregisterCacheEvictor();
      stopChaosTicker();
      recovery.dispose();
      modes.dispose();
      sockets.dispose();
      monitoring.dispose();
    },
  };
}

function defaultFetch(): FetchLike {
  // Wrapped so a fetch patched after start-up (tests, service-worker shims) is still the one called.
  return (url, init) => globalThis.fetch(url, init);
}

function defaultBreakerStore(storage: SyncStorageLike, clock: Clock, tabId: string, events: EventBus): BreakerStateStore {
  if (typeof document === 'undefined') return createMemoryBreakerStore();
  return createBrowserBreakerStore({
    storage,
    clock,
    tabId,
    onError: (operation, error) => reportInternalError(events, 'breakerStore', new Error(`${operation}: ${String(error)}`)),
  });
}

function defaultConnectivitySource(): ConnectivityEventSource | undefined {
  const candidate = globalThis as Partial<ConnectivityEventSource> & { document?: unknown };
  return candidate.document !== undefined && typeof candidate.addEventListener === 'function'
    ? (candidate as ConnectivityEventSource)
    : undefined;
}

function defaultMonotonicNow(clock: Clock): () => number {
  const performance = (globalThis as { performance?: { now(): number } }).performance;
  return performance ? () => performance.now() : () => clock.now();
}
