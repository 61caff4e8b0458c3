import type { Clock } from '../../core/clock';
import type { SyncStorageLike } from '../../core/syncStorage';
import type { HealingStrategy } from '../healingTypes';

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

export const CHUNK_RELOAD_KEY = 'resilience.chunkReloadAt';

/**
 * CHUNK_LOAD after a deploy (the old hashed chunks are gone): reload once so the new index.html and chunks
 * load. The time of the reload is written to sessionStorage first; while it is within the guard window the
 * strategy does not apply, so a chunk that is really broken cannot cause a reload loop (the system escalates
 * instead). If the mark cannot be written and read back, it does not reload at all. The outbox lives in
 * IndexedDB, so queued answers survive the reload and replay at start-up.
 */
export function chunkReload(options: ChunkReloadOptions): HealingStrategy {
  const guardWindowMs = options.guardWindowMs ?? 5 * 60_000;
  const key = options.key ?? CHUNK_RELOAD_KEY;
  const lastReloadAt = (): number | null => {
    const stored = Number(options.storage.getItem(key));
    return Number.isFinite(stored) && stored > 0 ? stored : null;
  };

  return {
    name: 'chunkReload',
    canHeal(error) {
      if (error.code !== 'CHUNK_LOAD') return false;
      const last = lastReloadAt();
      // abs(): a clock that stepped back must not unlock a second reload.
      return last === null || Math.abs(options.clock.now() - last) >= guardWindowMs;
    },
    async heal() {
      const mark = String(options.clock.now());
      options.storage.setItem(key, mark);
      if (options.storage.getItem(key) !== mark) return false; // cannot guard against a loop: do not reload
      options.reload();
      return true;
    },
  };
}
