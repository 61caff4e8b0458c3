import type { Clock } from './clock';

/** Schedules one flush of a batch of notifications. */
export type FlushScheduler = (flush: () => void) => void;

export interface NotifyBatcher {
  /** Queues `notify` for the next flush; a callback queued several times before it runs once. */
  schedule(notify: () => void): void;
  /** Runs what is queued now. */
  flush(): void;
  /** Drops what is queued and ignores later schedules. */
  dispose(): void;
}

/**
 * Batched notification, as TanStack Query's notifyManager: many changes in one burst (a 1,000-entry outbox drain)
 * reach a UI subscriber as one notification per flush. Each queued callback runs once per flush, in the order it
 * was first queued; one that throws goes to `onError` and the rest still run.
 */
export function createNotifyBatcher(scheduler: FlushScheduler, onError: (error: unknown) => void): NotifyBatcher {
  let queue = new Set<() => void>();
  let scheduled = false;
  let disposed = false;

  const flush = () => {
    scheduled = false;
    const batch = queue;
    queue = new Set();
    for (const notify of batch) {
      try {
        notify();
      } catch (error) {
        onError(error);
      }
    }
  };

  return {
    schedule(notify) {
      if (disposed) return;
      queue.add(notify);
      if (scheduled) return;
      scheduled = true;
      scheduler(flush);
    },
    flush,
    dispose() {
      disposed = true;
      queue.clear();
    },
  };
}

/**
 * At most one flush per animation frame while the page is visible; a hidden page (no frames) flushes on a
 * timer instead, so a background tab's state still moves. Without `requestAnimationFrame` (Node, workers) the
 * timer alone. Timers come from the runtime clock.
 */
export function frameScheduler(clock: Clock, fallbackDelayMs = 50): FlushScheduler {
  const raf = (globalThis as { requestAnimationFrame?: (callback: () => void) => number }).requestAnimationFrame;
  const caf = (globalThis as { cancelAnimationFrame?: (handle: number) => void }).cancelAnimationFrame;
  return (flush) => {
    let done = false;
    const once = () => {
      if (done) return;
      done = true;
      flush();
    };
    const timer = clock.setTimeout(() => {
      if (frame !== undefined) caf?.(frame);
      once();
    }, fallbackDelayMs);
    const frame = typeof raf === 'function' ? raf(() => (clock.clearTimeout(timer), once())) : undefined;
  };
}
