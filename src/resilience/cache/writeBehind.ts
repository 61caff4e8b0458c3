import type { Clock, TimerHandle } from '../core/clock';
import { classify } from '../core/classify';
import type { EventBus } from '../core/eventBus';
import type { CachedResponse, CachePutOutcome, ResponseCache } from './responseCache';

/** Least time between the starts of two writes of one key (the newest copy waits in memory meanwhile). */
export const CACHE_WRITE_INTERVAL_MS = 1_000;

/**
 * Write-behind for the response cache: `store` returns at once and the copy is written after. Per user and
 * key at most one write is in flight, and a key is written at most once per {@link CACHE_WRITE_INTERVAL_MS}:
 * results arriving meanwhile replace the queued copy, and one write of the newest follows when both the
 * write in flight has settled and the interval has passed. A page polling one endpoint costs one write a
 * second, not one per response; `pending` serves the queued copy to this tab meanwhile, so a failure right
 * after still gets the newest. What a crash can cost: the stored copy may be up to the interval older than
 * the newest response (the previous copy is kept, never a torn one). A failed write is a `cache.writeFailed`
 * event, never an error to anyone.
 */
export interface WriteBehind {
  store(op: string, user: string, key: string, value: unknown, storedAt: number): void;
  /** The newest copy queued behind an in-flight write of the same key (newer than what storage holds). */
  pending<T>(user: string, key: string): CachedResponse<T> | undefined;
  /** Starts the writes still queued (no interval is waited for) and clears the interval timers. */
  dispose(): void;
}

/** One user's key: the copy waiting to be written (if any) and where its writes stand. Reused across writes. */
interface Slot {
  readonly user: string;
  readonly key: string;
  /** A copy is waiting (op, value, storedAt are it). */
  queued: boolean;
  op: string;
  value: unknown;
  storedAt: number;
  writing: boolean;
  /** Written less than `intervalMs` ago: the timer that lets the next write go. */
  cooling: TimerHandle | undefined;
}

export function createWriteBehind(cache: ResponseCache, events: EventBus, clock: Pick<Clock, 'setTimeout' | 'clearTimeout'>, intervalMs = CACHE_WRITE_INTERVAL_MS): WriteBehind {
  /** Slots by user, then key: no key string is built per request (a page polling one endpoint reuses one slot). */
  const slots = new Map<string, Map<string, Slot>>();
  let disposed = false;

  const slotOf = (user: string, key: string, create: boolean): Slot | undefined => {
    let byKey = slots.get(user);
    if (byKey === undefined) {
      if (!create) return undefined;
      slots.set(user, (byKey = new Map()));
    }
    let slot = byKey.get(key);
    if (slot === undefined && create) byKey.set(key, (slot = { user, key, queued: false, op: '', value: undefined, storedAt: 0, writing: false, cooling: undefined }));
    return slot;
  };

  /** An idle slot (nothing waiting, no write, no interval running) is forgotten, so slots stay as few as the keys in use. */
  const settle = (slot: Slot): void => {
    if (slot.queued) flush(slot);
    else if (!slot.writing && slot.cooling === undefined) {
      const byKey = slots.get(slot.user);
      byKey?.delete(slot.key);
      if (byKey?.size === 0) slots.delete(slot.user);
    }
  };

  const flush = (slot: Slot): void => {
    if (!slot.queued) return;
    const { op, value, storedAt } = slot;
    slot.queued = false;
    slot.value = undefined;
    slot.writing = true;
    if (!disposed && intervalMs > 0) {
      slot.cooling = clock.setTimeout(() => {
        slot.cooling = undefined;
        if (!slot.writing) settle(slot);
      }, intervalMs);
    }
    let written: Promise<CachePutOutcome>;
    try {
      written = cache.put(slot.user, slot.key, value, storedAt);
    } catch (error) {
      written = Promise.reject(error);
    }
    written
      .then(
        (outcome) => {
          if (outcome.evicted > 0) events.emit('cache.evicted', { entries: outcome.evicted, reason: 'bounds' });
          if (outcome.stored) events.emit('cache.stored', { op, key: slot.key });
        },
        (error: unknown) => {
          const { code, message } = classify(error);
          events.emit('cache.writeFailed', { op, key: slot.key, code, message });
        },
      )
      .finally(() => {
        slot.writing = false;
        if (slot.cooling === undefined) settle(slot);
      });
  };

  return {
    store(op, user, key, value, storedAt) {
      const slot = slotOf(user, key, true) as Slot;
      slot.queued = true;
      slot.op = op;
      slot.value = value;
      slot.storedAt = storedAt;
      if (!slot.writing && slot.cooling === undefined) flush(slot);
    },
    pending<T>(user: string, key: string) {
      const slot = slotOf(user, key, false);
      return slot?.queued ? { value: slot.value as T, storedAt: slot.storedAt } : undefined;
    },
    dispose() {
      disposed = true;
      for (const byKey of slots.values()) {
        for (const slot of byKey.values()) {
          if (slot.cooling !== undefined) clock.clearTimeout(slot.cooling);
          slot.cooling = undefined;
          if (!slot.writing) flush(slot);
        }
      }
    },
  };
}
