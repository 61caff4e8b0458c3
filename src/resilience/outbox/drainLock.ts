import type { Clock, TimerHandle } from '../core/clock';
import type { SyncStorageLike } from '../core/syncStorage';
import { storageLease, webLockLease, type LockManagerLike } from '../policies/probeLeases';

/** Exclusive right, across tabs, to drain the outbox. `tryAcquire` resolves null when another tab holds it. */
export interface DrainLock {
  tryAcquire(): Promise<{ release(): void } | null>;
}

export const DRAIN_LOCK_NAME = 'outbox-drain';

/**
 * Web Locks when present: `ifAvailable` returns at once if another tab drains, and the browser frees the lock
 * if the holder dies. Otherwise a localStorage lease `{owner, expiresAt}` renewed by a heartbeat while held,
 * so a tab that crashes mid-drain blocks the others for at most `leaseTtlMs` (best effort: not atomic).
 */
export function createDrainLock(options: {
  locks: LockManagerLike | null | undefined;
  storage: SyncStorageLike;
  clock: Clock;
  owner: string;
  leaseTtlMs?: number;
}): DrainLock {
  const { locks, storage, clock, owner } = options;
  if (locks) return { tryAcquire: () => webLockLease(locks, DRAIN_LOCK_NAME) };
  const ttlMs = options.leaseTtlMs ?? 10_000;
  const key = `resilience.lock.${DRAIN_LOCK_NAME}`;
  return {
    async tryAcquire() {
      const lease = await storageLease(storage, key, owner, clock, ttlMs);
      if (!lease) return null;
      let heartbeat: TimerHandle | undefined;
      const renew = () => {
        heartbeat = clock.setTimeout(() => {
          void storageLease(storage, key, owner, clock, ttlMs);
          renew();
        }, ttlMs / 3);
      };
      renew();
      return {
        release() {
          clock.clearTimeout(heartbeat);
          lease.release();
        },
      };
    },
  };
}

/** The browser's Web Locks API, if any. */
export function defaultLockManager(): LockManagerLike | undefined {
  const nav = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator;
  return nav?.locks ?? undefined;
}
