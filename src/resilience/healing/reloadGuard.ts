import type { Clock } from '../core/clock';
import type { SyncStorageLike } from '../core/syncStorage';

/** The sessionStorage key where `createReloadGuard` records the last automatic reload of this tab. */
export const CHUNK_RELOAD_KEY = 'resilience.chunkReloadAt';

/** Options of `createReloadGuard`; `key` defaults to `CHUNK_RELOAD_KEY`. */
export interface ReloadGuardOptions {
  clock: Clock;
  /** Per-tab storage that survives a reload: sessionStorage in the browser. */
  storage: SyncStorageLike;
  /** At most one automatic reload per this window. Default 5 min. */
  windowMs?: number;
  key?: string;
}

/** The automatic-reload budget of one tab (see `createReloadGuard`). */
export interface ReloadGuard {
  /** No automatic reload of this tab within the window (a clock that stepped back does not unlock one). */
  allowed(): boolean;
  /** Marks a reload now; false when the mark cannot be written and read back (then do not reload). */
  mark(): boolean;
}

/**
 * The one budget of automatic reloads of a tab: the chunk-reload heal and the service-worker update share it
 * (same sessionStorage key), so together they reload a tab at most once per window and can never loop. The
 * time of the reload is written first; a tab that cannot store the mark never reloads by itself.
 */
export function createReloadGuard(options: ReloadGuardOptions): ReloadGuard {
  const windowMs = options.windowMs ?? 5 * 60_000;
  const key = options.key ?? CHUNK_RELOAD_KEY;
  const lastReloadAt = (): number | null => {
    const stored = Number(options.storage.getItem(key));
    return Number.isFinite(stored) && stored > 0 ? stored : null;
  };
  return {
    allowed() {
      const last = lastReloadAt();
      return last === null || Math.abs(options.clock.now() - last) >= windowMs;
    },
    mark() {
      const stamp = String(options.clock.now());
      options.storage.setItem(key, stamp);
      return options.storage.getItem(key) === stamp;
    },
  };
}
