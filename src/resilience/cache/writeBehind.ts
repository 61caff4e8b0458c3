import { classify } from '../core/classify';
import type { EventBus } from '../core/eventBus';
import type { CachedResponse, CachePutOutcome, ResponseCache } from './responseCache';

/**
 * Write-behind for the response cache: `store` returns at once and the copy is written after. Per user and
 * key at most one write is in flight; results arriving meanwhile replace the queued copy, and one write of
 * the newest follows (a burst of successes costs two writes, not one each). A failed write is a
 * `cache.writeFailed` event, never an error to anyone.
 */
export interface WriteBehind {
  store(op: string, user: string, key: string, value: unknown, storedAt: number): void;
  /** The newest copy queued behind an in-flight write of the same key (newer than what storage holds). */
  pending<T>(user: string, key: string): CachedResponse<T> | undefined;
}

interface QueuedWrite {
  op: string;
  user: string;
  key: string;
  value: unknown;
  storedAt: number;
}

export function createWriteBehind(cache: ResponseCache, events: EventBus): WriteBehind {
  const queued = new Map<string, QueuedWrite>();
  const writing = new Set<string>();
  const slotOf = (user: string, key: string) => `${user.length}:${user}/${key}`;

  const flush = (slot: string): void => {
    const next = queued.get(slot);
    if (!next) return;
    queued.delete(slot);
    writing.add(slot);
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
        flush(slot);
      });
  };

  return {
    store(op, user, key, value, storedAt) {
      const slot = slotOf(user, key);
      queued.set(slot, { op, user, key, value, storedAt });
      if (!writing.has(slot)) flush(slot);
    },
    pending<T>(user: string, key: string) {
      const write = queued.get(slotOf(user, key));
      return write ? { value: write.value as T, storedAt: write.storedAt } : undefined;
    },
  };
}
