import type { Clock } from './clock';

/** Schedules one flush of a batch of notifications; returns the function that cancels it. */
export type FlushScheduler = (flush: () => void) => () => void;

/** Coalesces notifications: each queued callback runs once per flush, whatever the number of changes. */
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
  let cancel: (() => void) | undefined;
  let disposed = false;

  const flush = () => {
    scheduled = false;
    cancel = undefined;
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
      cancel = scheduler(flush);
    },
    flush,
    dispose() {
      disposed = true;
      queue.clear();
      cancel?.();
      cancel = undefined;
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
    return () => {
      done = true;
      clock.clearTimeout(timer);
      if (frame !== undefined) caf?.(frame);
    };
  };
}

/**
 * At most one flush per `intervalMs` (one animation frame by default): a lone change is flushed at once, in a
 * microtask, so a UI never lags behind an isolated event; during a burst the next flush waits for the rest of the
 * interval on the runtime clock. Works the same with and without a document (no requestAnimationFrame needed).
 */
export function throttledScheduler(clock: Clock, intervalMs = 16): FlushScheduler {
  let lastFlushAt = -Infinity;
  return (flush) => {
    let cancelled = false;
    const run = () => {
      if (cancelled) return;
      lastFlushAt = clock.now();
      flush();
    };
    // Clamped: a wall clock stepped back (sleep, NTP) must not hold the next flush for the size of the step.
    const waitMs = Math.min(intervalMs, lastFlushAt + intervalMs - clock.now());
    if (waitMs <= 0) {
      queueMicrotask(run);
      return () => void (cancelled = true);
    }
    const timer = clock.setTimeout(run, waitMs);
    return () => {
      cancelled = true;
      clock.clearTimeout(timer);
    };
  };
}

/**
 * Flushes in the next microtask: everything that changed in one synchronous burst (a batch of 50 acknowledged
 * answers, a flags update) is one notification, and a UI is never behind by more than the current task.
 */
export const microtaskScheduler: FlushScheduler = (flush) => {
  let cancelled = false;
  queueMicrotask(() => {
    if (!cancelled) flush();
  });
  return () => void (cancelled = true);
};
