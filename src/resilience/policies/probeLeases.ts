import type { Clock } from '../core/clock';
import type { SyncStorageLike } from '../core/syncStorage';
import type { ProbeLease } from './probeLease';

/** The part of the Web Locks API (navigator.locks) we use. */
export interface LockManagerLike {
  request(
    name: string,
    options: { ifAvailable: boolean },
    callback: (lock: unknown) => Promise<void> | undefined,
  ): Promise<unknown>;
}

/**
 * Lease through Web Locks with `ifAvailable`: resolves null at once if another tab holds the lock. The lock is
 * held until `release()`; the browser frees it if the tab dies, so a crashed prober cannot block the others.
 */
export function webLockLease(locks: LockManagerLike, name: string): Promise<ProbeLease | null> {
  return new Promise((resolve, reject) => {
    locks
      .request(name, { ifAvailable: true }, (lock) => {
        if (!lock) {
          resolve(null);
          return undefined;
        }
        return new Promise<void>((release) => resolve({ release: () => release() }));
      })
      .catch(reject);
  });
}

/**
 * Fallback where Web Locks are missing: a lease record `{owner, expiresAt}` in localStorage. Not atomic (two
 * tabs can race between read and write), so the lease is read back after writing and expires after `ttlMs`
 * so a closed tab cannot hold it forever. Good enough to stop most duplicate probes; Web Locks are preferred.
 */
export function storageLease(
  storage: SyncStorageLike,
  key: string,
  owner: string,
  clock: Clock,
  ttlMs: number,
): Promise<ProbeLease | null> {
  const now = clock.now();
  const holder = readLease(storage.getItem(key));
  if (holder && holder.owner !== owner && holder.expiresAt > now) return Promise.resolve(null);
  storage.setItem(key, JSON.stringify({ owner, expiresAt: now + ttlMs }));
  // Unreadable storage (missing, private mode) reads back nothing: behave as a lone tab and probe.
  const after = readLease(storage.getItem(key));
  if (after && after.owner !== owner) return Promise.resolve(null);
  return Promise.resolve({
    release() {
      if (readLease(storage.getItem(key))?.owner === owner) storage.removeItem(key);
    },
  });
}

function readLease(text: string | null): { owner: string; expiresAt: number } | undefined {
  if (text === null) return undefined;
  try {
    const value = JSON.parse(text) as { owner?: unknown; expiresAt?: unknown };
    return typeof value.owner === 'string' && typeof value.expiresAt === 'number'
      ? { owner: value.owner, expiresAt: value.expiresAt }
      : undefined;
  } catch {
    return undefined;
  }
}
