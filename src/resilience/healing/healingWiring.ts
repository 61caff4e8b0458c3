import type { Clock } from '../core/clock';
import type { ErrorCode } from '../core/errors';
import type { EventBus } from '../core/eventBus';
import { reportInternalError } from '../core/guard';
import { guardedStorage, type SyncStorageLike } from '../core/syncStorage';
import type { FeatureFlags } from '../flags/featureFlags';
import type { ConnectivityMonitor } from '../transport/connectivity';
import type { StreamSockets } from '../transport/streamSocketWiring';
import { installChunkErrorHandler, type ChunkErrorSource } from './chunkErrorHandler';
import { createEvictorRegistry, type EvictorRegistry } from './evictors';
import type { HealingStrategy } from './healingTypes';
import { createSelfHealingSystem, type SelfHealingSystem } from './selfHealingSystem';
import { apiRetryHealing } from './strategies/apiRetry';
import { chunkReload } from './strategies/chunkReload';
import { performanceMemoryReader, startMemorySampler, type HeapReading } from './memorySampler';
import { memoryCleanup } from './strategies/memoryCleanup';
import { storageReconnection } from './strategies/storageReconnection';
import { websocketReconnection } from './strategies/websocketReconnection';

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

/** Builds the SelfHealingSystem with the five browser strategies registered where they can act. */
export function createHealing(deps: {
  clock: Clock;
  events: EventBus;
  flags: FeatureFlags;
  connectivity: ConnectivityMonitor;
  sockets: StreamSockets;
  config: HealingConfig;
}): { healing: SelfHealingSystem; evictors: EvictorRegistry; dispose(): void } {
  const { clock, events, config } = deps;
  const healing = createSelfHealingSystem({
    clock,
    events,
    enabled: () => deps.flags.isEnabled('selfHealing'),
    maxAttempts: config.maxAttempts,
    windowMs: config.windowMs,
  });
  const evictors = createEvictorRegistry();
  const register = (codes: ErrorCode[], strategy: HealingStrategy) => codes.forEach((code) => healing.registerStrategy(code, strategy));

  register(['SOCKET_CLOSED', 'SOCKET_STALE'], websocketReconnection({ clock, sockets: deps.sockets.live, timeoutMs: config.socketHealTimeoutMs }));
  register(
    ['NETWORK', 'TIMEOUT', 'AUTH'],
    apiRetryHealing({ clock, probe: (reason) => deps.connectivity.probe(reason), refreshSession: config.refreshSession }),
  );
  if (config.reopenStorage) register(['STORAGE_CLOSED'], storageReconnection(config.reopenStorage));
  register(['MEMORY_PRESSURE'], memoryCleanup(evictors, events));
  if (config.reload) {
    const storage = guardedStorage(
      () => (config.sessionStorage === undefined ? browserSessionStorage() : config.sessionStorage),
      (operation, error) => reportInternalError(events, 'healing.sessionStorage', new Error(`sessionStorage.${operation} failed: ${String(error)}`)),
    );
    register(['CHUNK_LOAD'], chunkReload({ clock, reload: config.reload, storage, guardWindowMs: config.chunkReloadGuardMs }));
  }
  const uninstall = config.chunkErrorSource
    ? installChunkErrorHandler(config.chunkErrorSource, (error) => void healing.handleError(error, { op: 'chunk' }))
    : () => undefined;
  const readHeap = config.memorySampler === false ? undefined : (config.memorySampler?.read ?? performanceMemoryReader());
  const sampler = readHeap
    ? startMemorySampler({
        clock,
        read: readHeap,
        onPressure: (error) => void healing.handleError(error, { op: 'memory' }),
        ...(config.memorySampler ? { intervalMs: config.memorySampler.intervalMs, pressureRatio: config.memorySampler.pressureRatio } : {}),
      })
    : undefined;
  return {
    healing,
    evictors,
    dispose() {
      uninstall();
      sampler?.stop();
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
