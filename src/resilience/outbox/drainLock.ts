import type { Clock, TimerHandle } from '../core/clock';
import type { KeyValueStore } from '../core/storage';
import { webLockLease, type LockManagerLike } from '../policies/probeLeases';

export interface DrainLease {
  release(): void;
}

/**
 * Exclusive right, across tabs, to drain one student's outbox. `tryAcquire` resolves null when another tab
 * holds it; `onLost` is called if the right is taken away while held (only the storage lease can lose it).
 */
export interface DrainLock {
  tryAcquire(onLost?: () => void): Promise<DrainLease | null>;
}

export interface DrainLockOptions {
  /** Default navigator.locks; null (or none in this browser) → the IndexedDB lease. */
  locks?: LockManagerLike | null;
  /** The store holding the lease record: the outbox's meta store, in the same database as the queue. */
  leaseStore: KeyValueStore;
  name: string;
  /** This tab's id. */
  owner: string;
  clock: Clock;
  /** Monotonic ms (performance.now): how long a lease has been seen unchanged. Never the wall clock. */
  monotonicNow: () => number;
  /** A lease whose heartbeat has not moved for this long (as this tab measured it) is taken over. Default 10 s. */
  leaseTtlMs?: number;
}

/**
 * Web Locks when present: `ifAvailable` returns at once if another tab drains, and the browser frees the lock
 * if the holder dies. Otherwise a lease record in IndexedDB, taken and renewed by compare-and-set inside one
 * readwrite transaction, which IndexedDB runs one at a time across tabs: of two tabs racing, exactly one finds
 * the record free and writes its own. (A localStorage lease cannot do this: each Chromium renderer reads its
 * own cached copy, so "write, then read back" always sees its own write.)
 *
 * The holder bumps a heartbeat counter every ttl/3. Another tab takes the lease over only after seeing the
 * same heartbeat for `leaseTtlMs` on its own monotonic clock, so neither wall-clock jumps nor clocks that
 * differ between tabs can make a live lease look expired. If it is taken over anyway (a holder whose timers
 * were frozen for longer than the ttl), the holder learns it at its next heartbeat and `onLost` stops it.
 */
export function createDrainLock(options: DrainLockOptions): DrainLock {
  const { name } = options;
  const locks = options.locks === undefined ? defaultLockManager() : options.locks;
  if (locks) return { tryAcquire: () => webLockLease(locks, name) };
  return storageDrainLease(options);
}

interface LeaseRecord {
  owner: string;
  beat: number;
}

function storageDrainLease(options: DrainLockOptions): DrainLock {
  const { leaseStore, owner, clock, monotonicNow } = options;
  const ttlMs = options.leaseTtlMs ?? 10_000;
  const key = `lease/${options.name}`;
  /** Another tab's lease as this tab last saw it change. */
  let seen: (LeaseRecord & { sinceMs: number }) | undefined;

  const take = () =>
    leaseStore.transaction(async (tx) => {
      const held = readLease(await tx.get(key));
      if (held && held.owner !== owner) {
        const now = monotonicNow();
        if (!seen || seen.owner !== held.owner || seen.beat !== held.beat) {
          seen = { ...held, sinceMs: now };
          return false;
        }
        if (now - seen.sinceMs < ttlMs) return false;
      }
      seen = undefined;
      tx.set(key, { owner, beat: (held?.beat ?? 0) + 1 } satisfies LeaseRecord);
      return true;
    });

  /** Bumps our heartbeat; false if another tab holds the record now. */
  const renew = () =>
    leaseStore.transaction(async (tx) => {
      const held = readLease(await tx.get(key));
      if (held && held.owner !== owner) return false;
      tx.set(key, { owner, beat: (held?.beat ?? 0) + 1 } satisfies LeaseRecord);
      return true;
    });

  const release = () =>
    leaseStore.transaction(async (tx) => {
      if (readLease(await tx.get(key))?.owner === owner) tx.del(key);
    });

  return {
    async tryAcquire(onLost) {
      if (!(await take())) return null;
      let heartbeat: TimerHandle | undefined;
      let held = true;
      const beat = () => {
        heartbeat = clock.setTimeout(() => {
          renew().then(
            (still) => {
              if (!held) return;
              if (still) beat();
              else {
                held = false;
                onLost?.();
              }
            },
            () => held && beat(), // storage hiccup: keep the lease, try again at the next beat
          );
        }, ttlMs / 3);
      };
      beat();
      return {
        release() {
          if (!held) return;
          held = false;
          clock.clearTimeout(heartbeat);
          release().catch(() => {}); // a record left behind is taken over after the ttl
        },
      };
    },
  };
}

function readLease(value: unknown): LeaseRecord | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { owner, beat } = value as Partial<LeaseRecord>;
  return typeof owner === 'string' && typeof beat === 'number' && Number.isFinite(beat) ? { owner, beat } : undefined;
}

/** The browser's Web Locks API, if any. */
function defaultLockManager(): LockManagerLike | undefined {
  const nav = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator;
  return nav?.locks ?? undefined;
}
