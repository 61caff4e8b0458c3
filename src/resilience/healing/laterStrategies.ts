import type { Clock } from '../core/clock';
import type { ErrorCode } from '../core/errors';
import type { EventBus } from '../core/eventBus';
import type { ConnectivityMonitor } from '../transport/connectivity';
import type { StreamSockets } from '../transport/streamSocketWiring';
import type { EvictorRegistry } from './evictors';
import type { HealingStrategy } from './healingTypes';
import type { HealingConfig } from './healingWiring';
import { performanceMemoryReader, startMemorySampler } from './memorySampler';
import type { SelfHealingSystem } from './selfHealingSystem';
import { apiRetryHealing } from './strategies/apiRetry';
import { memoryCleanup } from './strategies/memoryCleanup';
import { storageReconnection } from './strategies/storageReconnection';
import { websocketReconnection } from './strategies/websocketReconnection';

/** What the strategies loaded after the first load act on. */
export interface LaterStrategiesDeps {
  clock: Clock;
  events: EventBus;
  connectivity: ConnectivityMonitor;
  sockets: StreamSockets;
  evictors: EvictorRegistry;
  config: HealingConfig;
}

/**
 * The healing strategies the first render never needs (socket, API, storage, memory) and the heap sampler,
 * registered on the runtime's healing system once the afterFirstLoad chunk is there (healingWiring.ts). Returns
 * the function that stops the sampler.
 */
export function startHealingStrategies(healing: SelfHealingSystem, deps: LaterStrategiesDeps): () => void {
  const { clock, events, config } = deps;
  const register = (codes: ErrorCode[], strategy: HealingStrategy) => codes.forEach((code) => healing.registerStrategy(code, strategy));
  register(['SOCKET_CLOSED', 'SOCKET_STALE'], websocketReconnection({ clock, sockets: deps.sockets.live, timeoutMs: config.socketHealTimeoutMs }));
  register(
    ['NETWORK', 'TIMEOUT', 'AUTH'],
    apiRetryHealing({ clock, probe: (reason) => deps.connectivity.probe(reason), refreshSession: config.refreshSession }),
  );
  if (config.reopenStorage) register(['STORAGE_CLOSED'], storageReconnection(config.reopenStorage));
  register(['MEMORY_PRESSURE'], memoryCleanup(deps.evictors, events));
  const readHeap = config.memorySampler === false ? undefined : (config.memorySampler?.read ?? performanceMemoryReader());
  const sampler = readHeap
    ? startMemorySampler({
        clock,
        read: readHeap,
        onPressure: (error) => void healing.handleError(error, { op: 'memory' }),
        ...(config.memorySampler ? { intervalMs: config.memorySampler.intervalMs, pressureRatio: config.memorySampler.pressureRatio } : {}),
      })
    : undefined;
  return () => sampler?.stop();
}
