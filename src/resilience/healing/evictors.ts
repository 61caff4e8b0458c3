/** What one evictor freed. `bytes` is an estimate when known. */
export interface Eviction {
  entries: number;
  bytes?: number;
}

/** Drops an in-memory cache or trims a history; must be safe to call at any time. */
export type Evictor = () => Eviction;

/** Caches that can give memory back; the memory-cleanup heal runs them all. */
export interface EvictorRegistry {
  /** Returns the function that removes it. */
  register(name: string, evictor: Evictor): () => void;
  readonly size: number;
  /** Runs every evictor; one that throws is skipped and reported through `onError`. */
  evictAll(onError: (name: string, error: unknown) => void): { entries: number; bytes: number; evictors: number };
}

/** Evictors registered by the subsystems that keep memory (response cache, histories, metrics rings). */
export function createEvictorRegistry(): EvictorRegistry {
  const evictors = new Map<string, Evictor>();
  return {
    register(name, evictor) {
      evictors.set(name, evictor);
      return () => {
        if (evictors.get(name) === evictor) evictors.delete(name);
      };
    },
    get size() {
      return evictors.size;
    },
    evictAll(onError) {
      const total = { entries: 0, bytes: 0, evictors: 0 };
      for (const [name, evictor] of evictors) {
        try {
          const freed = evictor();
          total.entries += Math.max(0, freed.entries);
          total.bytes += Math.max(0, freed.bytes ?? 0);
          total.evictors += 1;
        } catch (error) {
          onError(name, error);
        }
      }
      return total;
    },
  };
}
