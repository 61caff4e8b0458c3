import type { Clock } from '../core/clock';
import { classify } from '../core/classify';
import type { EventBus } from '../core/eventBus';
import { reportInternalError } from '../core/guard';
import { guardedStorage, type SyncStorageLike } from '../core/syncStorage';
import type { FeatureFlags } from '../flags/featureFlags';
import type { ConnectivityMonitor } from '../transport/connectivity';
import type { StreamSockets } from '../transport/streamSocketWiring';
import { installChunkErrorHandler, type ChunkErrorSource } from './chunkErrorHandler';
import { createEvictorRegistry, type EvictorRegistry } from './evictors';
import { loadWithFlag } from '../flags/loadWithFlag';
import type { LaterStrategiesDeps } from './laterStrategies';
import { createSelfHealingSystem, type SelfHealingSystem } from './selfHealingSystem';
import { chunkReload } from './strategies/chunkReload';
import type { HeapReading } from './memorySampler';

/** The app hooks and budgets of the self-healing subsystem. */
export interface HealingConfig {
  /** Reloads the page (chunk reload after a deploy). Without it CHUNK_LOAD is not healed here. */
  reload?: () => void;
  /** Renews the session after a 401; resolves false when it could not. */
  refreshSession?: () => Promise<boolean | void>;
  /** Reopens the IndexedDB connection (STORAGE_CLOSED). */
  reopenStorage?: () => Promise<unknown>;
  /** Guard of the chunk reload; default sessionStorage (without one, the strategy never reloads). */
  sessionStorage?: SyncStorageLike | null;
  chunkReloadGuardMs?: number;
  /** Healing attempts per error code within `windowMs` (default 3 per 60 s). */
  maxAttempts?: number;
  windowMs?: number;
  /** How long the socket strategy waits for the socket to be open again. Default 5 s. */
  socketHealTimeoutMs?: number;
  /** Page events to watch for chunk-load failures (`window`); they are routed to handleError. Default none. */
  chunkErrorSource?: ChunkErrorSource;
  /**
   * The heap sampler that reports MEMORY_PRESSURE: default `performance.memory` where the browser has it
   * (Chromium), every 15 s, pressure at 85 % of the limit; `false` turns it off. Absent measure → no sampler.
   */
  memorySampler?: false | { read?: () => HeapReading | undefined; intervalMs?: number; pressureRatio?: number };
}

/** Loads the strategies registered after the first load (the afterFirstLoad chunk in a build). */
export type LoadHealingStrategies = () => Promise<{ startHealingStrategies(healing: SelfHealingSystem, deps: LaterStrategiesDeps): () => void }>;

/**
 * Builds the SelfHealingSystem with the five browser strategies registered where they can act. The system, the
 * chunk reload and the chunk-error handler are first-load code: the chunk that fails to load after a deploy may
 * be the one that carries the rest. The socket, API, storage and memory strategies and the heap sampler come with
 * the afterFirstLoad chunk (laterStrategies.ts); an error handled before it is there waits for it (a failed load
 * is reported and the error is handled with what is registered: not healed, as with no strategy).
 */
export function createHealing(deps: {
  clock: Clock;
  events: EventBus;
  flags: FeatureFlags;
  connectivity: ConnectivityMonitor;
  sockets: StreamSockets;
  config: HealingConfig;
  load?: LoadHealingStrategies;
}): { healing: SelfHealingSystem; evictors: EvictorRegistry; dispose(): void } {
  const { clock, events, config } = deps;
  const system = createSelfHealingSystem({
    clock,
    events,
    enabled: () => deps.flags.isEnabled('selfHealing'),
    maxAttempts: config.maxAttempts,
    windowMs: config.windowMs,
  });
  const evictors = createEvictorRegistry();
  if (config.reload) {
    const storage = guardedStorage(
      () => (config.sessionStorage === undefined ? browserSessionStorage() : config.sessionStorage),
      (operation, error) => reportInternalError(events, 'healing.sessionStorage', new Error(`sessionStorage.${operation} failed: ${String(error)}`)),
    );
    system.registerStrategy('CHUNK_LOAD', chunkReload({ clock, reload: config.reload, storage, guardWindowMs: config.chunkReloadGuardMs }));
  }
  let stopLater: () => void = () => undefined;
  let loaded = false;
  const later = loadWithFlag({
    load: deps.load ?? (() => import('../afterFirstLoad')),
    loaded(module) {
      loaded = true;
      stopLater = module.startHealingStrategies(system, { clock, events, connectivity: deps.connectivity, sockets: deps.sockets, evictors, config });
    },
    failed: (error) => reportInternalError(events, 'healing', new Error(`Loading the healing strategies failed: ${String(error)}`)),
  });
  const healing: SelfHealingSystem = {
    registerStrategy: system.registerStrategy,
    attemptsFor: system.attemptsFor,
    handleError(error, context) {
      if (loaded || classify(error).code === 'CHUNK_LOAD') return system.handleError(error, context);
      later.retry(); // after a failed load, try it again
      return later.ready().then(() => system.handleError(error, context));
    },
  };
  const uninstall = config.chunkErrorSource
    ? installChunkErrorHandler(config.chunkErrorSource, (error) => void healing.handleError(error, { op: 'chunk' }))
    : () => undefined;
  return {
    healing,
    evictors,
    dispose() {
      later.dispose(); // a load still in flight is ignored when it lands
      uninstall();
      stopLater();
    },
  };
}

function browserSessionStorage(): SyncStorageLike | undefined {
  try {
    return (globalThis as { sessionStorage?: SyncStorageLike }).sessionStorage ?? undefined;
  } catch {
    return undefined;
  }
}
