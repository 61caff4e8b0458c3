import type { SyncStorageLike } from '../core/syncStorage';

/** Boots in a row that handed out a checkpoint's state and never confirmed it was applied. */
export const CRASHED_RESTORES_BEFORE_SKIP = 2;

/**
 * Crash-loop guard of a restore: before a checkpoint's state is handed out at boot the attempt is counted in
 * synchronous storage (it must survive a renderer crash that leaves no time for an async write); the app
 * confirms once the restored page rendered. A checkpoint whose restore was counted twice unconfirmed is not
 * handed out again.
 */
export interface BootGuard {
  /** True when restoring `seq` already failed to confirm CRASHED_RESTORES_BEFORE_SKIP times. */
  crashedTwice(): { seq: number } | null;
  /** Counts an attempt to restore `seq` (resetting the count if it was another checkpoint). */
  attempt(seq: number): void;
  /** The restore worked: forget the attempts. */
  confirm(): void;
}

export function createBootGuard(storage: SyncStorageLike, key: string): BootGuard {
  const read = (): { seq: number; attempts: number } | null => {
    try {
      const parsed = JSON.parse(storage.getItem(key) ?? 'null') as { seq?: unknown; attempts?: unknown } | null;
      return typeof parsed?.seq === 'number' && typeof parsed.attempts === 'number' ? { seq: parsed.seq, attempts: parsed.attempts } : null;
    } catch {
      return null; // unreadable: treat as no attempt (stored data is untrusted)
    }
  };
  return {
    crashedTwice() {
      const current = read();
      return current && current.attempts >= CRASHED_RESTORES_BEFORE_SKIP ? { seq: current.seq } : null;
    },
    attempt(seq) {
      const current = read();
      storage.setItem(key, JSON.stringify({ seq, attempts: current?.seq === seq ? current.attempts + 1 : 1 }));
    },
    confirm: () => storage.removeItem(key),
  };
}
