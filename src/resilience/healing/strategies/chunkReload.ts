import type { Clock } from '../../core/clock';
import type { SyncStorageLike } from '../../core/syncStorage';
import type { HealingStrategy } from '../healingTypes';
import { createReloadGuard } from '../reloadGuard';

export { CHUNK_RELOAD_KEY } from '../reloadGuard';

export interface ChunkReloadOptions {
  clock: Clock;
  /** Reloads the page (location.reload). */
  reload: () => void;
  /** Per-tab storage that survives a reload: sessionStorage in the browser. */
  storage: SyncStorageLike;
  /** At most one reload per this window. Default 5 min. */
  guardWindowMs?: number;
  key?: string;
}

/**
 * CHUNK_LOAD after a deploy (the old hashed chunks are gone): reload once so the new index.html and chunks
 * load. The time of the reload is written to sessionStorage first (healing/reloadGuard.ts, shared with the
 * service-worker update); while it is within the guard window the strategy does not apply, so a chunk that
 * is really broken cannot cause a reload loop (the system escalates instead). If the mark cannot be written
 * and read back, it does not reload at all. The outbox lives in IndexedDB, so queued answers survive the
 * reload and replay at start-up.
 */
export function chunkReload(options: ChunkReloadOptions): HealingStrategy {
  const guard = createReloadGuard({ clock: options.clock, storage: options.storage, windowMs: options.guardWindowMs, key: options.key });
  return {
    name: 'chunkReload',
    canHeal(error) {
      return error.code === 'CHUNK_LOAD' && guard.allowed();
    },
    async heal() {
      if (!guard.mark()) return false; // cannot guard against a loop: do not reload
      options.reload();
      return true;
    },
  };
}
