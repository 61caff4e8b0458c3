import type { BreakerState } from './breakerState';
import type { ProbeLease } from './probeLease';

/**
 * Where breaker states live beyond one page: persisted so they survive a reload, broadcast so other tabs stop
 * hammering a backend one tab found down, and a cross-tab lease so only one tab probes in half-open.
 * Implementations never throw; the registry validates whatever `load` and remote messages return.
 */
export interface BreakerStateStore {
  /** The persisted state for `backend` (unvalidated), or undefined. */
  load(backend: string): unknown;
  /** Persists and broadcasts a local transition. */
  save(backend: string, state: BreakerState): void;
  /** Hears states other tabs saved (unvalidated). */
  subscribe(listener: (backend: string, state: unknown) => void): () => void;
  /** Resolves the lease, or null when another tab holds it. */
  acquireProbeLease(backend: string, ttlMs: number): Promise<ProbeLease | null>;
  dispose(): void;
}

/**
 * In-memory store: one tab, no persistence. Stores created with the same `hub` behave like tabs of one
 * browser (shared persistence, synchronous broadcast to the others, one lease holder), which is what tests
 * and the Node benchmark use.
 */
export function createMemoryBreakerStore(hub: MemoryBreakerHub = createMemoryBreakerHub()): BreakerStateStore {
  const listeners = new Set<(backend: string, state: unknown) => void>();
  const member = (backend: string, state: unknown) => {
    for (const listener of listeners) listener(backend, state);
  };
  hub.members.add(member);
  return {
    load: (backend) => hub.persisted.get(backend),
    save(backend, state) {
      hub.persisted.set(backend, state);
      for (const other of hub.members) if (other !== member) other(backend, state);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    async acquireProbeLease(backend) {
      if (hub.leases.has(backend)) return null;
      hub.leases.add(backend);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          hub.leases.delete(backend);
        },
      };
    },
    dispose() {
      hub.members.delete(member);
      listeners.clear();
    },
  };
}

export interface MemoryBreakerHub {
  readonly persisted: Map<string, unknown>;
  readonly members: Set<(backend: string, state: unknown) => void>;
  readonly leases: Set<string>;
}

export function createMemoryBreakerHub(): MemoryBreakerHub {
  return { persisted: new Map(), members: new Set(), leases: new Set() };
}
