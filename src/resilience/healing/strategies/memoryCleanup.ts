import type { EventBus } from '../../core/eventBus';
import { reportInternalError } from '../../core/guard';
import type { EvictorRegistry } from '../evictors';
import type { HealingStrategy } from '../healingTypes';

/**
 * MEMORY_PRESSURE: run every registered evictor (in-memory caches, histories) and report what was freed
 * (`heal.memoryFreed`). Healed when anything was freed; durable data (the outbox in IndexedDB) is never touched.
 */
export function memoryCleanup(evictors: EvictorRegistry, events: EventBus): HealingStrategy {
  return {
    name: 'memoryCleanup',
    canHeal: (error) => error.code === 'MEMORY_PRESSURE' && evictors.size > 0,
    async heal() {
      const freed = evictors.evictAll((name, error) => reportInternalError(events, `healing.evictor.${name}`, error));
      events.emit('heal.memoryFreed', freed);
      return freed.entries > 0 || freed.bytes > 0;
    },
  };
}
