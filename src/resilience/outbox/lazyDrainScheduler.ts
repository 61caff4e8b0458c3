import { reportInternalError } from '../core/guard';
import { loadDeferred } from '../flags/loadWithFlag';
import type { DrainScheduler, DrainSchedulerParts } from './drainScheduler';

/** Loads the outbox's replay code (a chunk of its own in a build). */
export type LoadDrainScheduler = () => Promise<{ createDrainScheduler(parts: DrainSchedulerParts): DrainScheduler }>;

/**
 * The outbox's replays without their code in the first load: the drain passes, the batch replay and the
 * backoff timer (~3.8 KB gz) are imported at start-up, after the first load. Submitting needs none of it (an
 * answer is stored durably at once); a drain asked meanwhile waits for the code, and another tab's change notice
 * is handled once it is there. A failed load is reported (`runtime.internalError`): the drain answers that
 * nothing was sent (the queue stays, durable) and the next trigger tries again.
 */
export function lazyDrainScheduler(parts: DrainSchedulerParts, load: LoadDrainScheduler = () => import('../afterFirstLoad')): DrainScheduler {
  const { events } = parts.options;
  const report = (error: unknown) => reportInternalError(events, 'outbox', error);
  const { calls, code } = loadDeferred({ load, what: 'the outbox replay code', report, build: (module) => module.createDrainScheduler(parts) });
  let noticeKept = false;
  return {
    start(force) {
      const loaded = calls.current();
      // Loaded: the scheduler's own promise, so overlapping triggers still share one drain.
      if (loaded) return loaded.start(force);
      return calls.ask((scheduler) => scheduler.start(force)).catch(() => ({ sent: 0, deadLettered: 0, remaining: parts.mirror.pending() }));
    },
    onRemoteChange() {
      if (calls.current()) return calls.current()?.onRemoteChange();
      // One kept notice stands for any number: the loaded scheduler reloads the whole queue.
      if (noticeKept) return;
      noticeKept = true;
      calls.run((scheduler) => {
        noticeKept = false;
        scheduler.onRemoteChange();
      });
    },
    dispose() {
      code.dispose();
      calls.current()?.dispose();
      calls.dispose();
    },
  };
}
