import { CHUNK_RELOAD_KEY, classify, type SelfHealingSystem, type SyncStorageLike } from '../../resilience';

/** What became of a part of the app that failed to load: the page is reloading, or the student must be told. */
export type ChunkRecovery = 'reloading' | 'failed';

export interface ChunkRecoveryDeps {
  /** The student's runtime healing; absent when the app runs without a runtime. */
  healing: Pick<SelfHealingSystem, 'handleError'> | null;
  /** Where the chunk-reload strategy marks its reload (sessionStorage). */
  sessionStorage: SyncStorageLike | null;
  /** Wall-clock time this page started loading (performance.timeOrigin). */
  pageStartedAt: number;
}

/**
 * A lazy part of the app failed to load. A chunk-load failure (the old hashed file is gone after a deploy)
 * goes to the SelfHealingSystem, whose chunk-reload strategy reloads the page once; within its guard window
 * it declines, so a really broken chunk never loops and the student gets words instead. The page's own
 * `vite:preloadError` handler may already have asked for the reload: a reload mark written since this page
 * started means one is under way, even when this second report is declined.
 */
export async function recoverFromChunkError(error: unknown, deps: ChunkRecoveryDeps): Promise<ChunkRecovery> {
  const classified = classify(error);
  if (classified.code !== 'CHUNK_LOAD' || !deps.healing) return 'failed';
  const outcome = await deps.healing.handleError(classified, { op: 'chunk' });
  return outcome.healed || reloadRequestedSince(deps.sessionStorage, deps.pageStartedAt) ? 'reloading' : 'failed';
}

function reloadRequestedSince(storage: SyncStorageLike | null, since: number): boolean {
  try {
    const markedAt = Number(storage?.getItem(CHUNK_RELOAD_KEY));
    return Number.isFinite(markedAt) && markedAt >= since;
  } catch {
    return false;
  }
}
