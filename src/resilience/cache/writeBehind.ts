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

interface QueuedWrite {
  op: string;
  user: string;
  key: string;
  value: unknown;
  storedAt: number;
}

export function createWriteBehind(cache: ResponseCache, events: EventBus, clock: Pick<Clock, 'setTimeout' | 'clearTimeout'>, intervalMs = CACHE_WRITE_INTERVAL_MS): WriteBehind {
  const queued = new Map<string, QueuedWrite>();
  const writing = new Set<string>();
  /** Keys written less than `intervalMs` ago: the timer that lets the next write go. */
  const cooling = new Map<string, TimerHandle>();
  let disposed = false;
  const slotOf = (user: string, key: string) => `${user.length}:${user}/${key}`;

  const flush = (slot: string): void => {
    const next = queued.get(slot);
    if (!next) return;
    queued.delete(slot);
    writing.add(slot);
    if (!disposed && intervalMs > 0) {
      cooling.set(slot, clock.setTimeout(() => {
        cooling.delete(slot);
        if (!writing.has(slot)) flush(slot);
      }, intervalMs));
    }
    let written: Promise<CachePutOutcome>;
    try {
      written = cache.put(next.user, next.key, next.value, next.storedAt);
    } catch (error) {
      written = Promise.reject(error);
    }
    written
      .then(
        (outcome) => {
          if (outcome.evicted > 0) events.emit('cache.evicted', { entries: outcome.evicted, reason: 'bounds' });
          if (outcome.stored) events.emit('cache.stored', { op: next.op, key: next.key });
        },
        (error: unknown) => {
          const { code, message } = classify(error);
          events.emit('cache.writeFailed', { op: next.op, key: next.key, code, message });
        },
      )
      .finally(() => {
        writing.delete(slot);
        if (!cooling.has(slot)) flush(slot);
      });
  };

  return {
    store(op, user, key, value, storedAt) {
      const slot = slotOf(user, key);
      queued.set(slot, { op, user, key, value, storedAt });
      if (!writing.has(slot) && !cooling.has(slot)) flush(slot);
    },
    pending<T>(user: string, key: string) {
      const write = queued.get(slotOf(user, key));
      return write ? { value: write.value as T, storedAt: write.storedAt } : undefined;
    },
    dispose() {
      disposed = true;
      for (const timer of cooling.values()) clock.clearTimeout(timer);
      cooling.clear();
      for (const slot of [...queued.keys()]) if (!writing.has(slot)) flush(slot);
    },
  };
}
