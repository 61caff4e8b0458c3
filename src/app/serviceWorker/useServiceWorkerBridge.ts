import { useEffect } from 'react';
import type { Outbox } from '../../resilience';
import type { ServiceWorkerUpdates } from './serviceWorkerUpdates';

/**
 * Connects the worker to the signed-in student's outbox: a wake-up from the worker (Background Sync) calls
 * the outbox's own service-worker trigger, and while answers wait the tab asks the browser for a sync
 * wake-up (where Background Sync exists; elsewhere the outbox's other triggers do the job).
 */
export function useServiceWorkerBridge(updates: ServiceWorkerUpdates | null, outbox: Outbox | null): void {
  useEffect(() => {
    if (!updates || !outbox) return;
    const stopDrain = updates.onDrainRequest(() => outbox.notifyServiceWorkerMessage());
    let waiting = false;
    const follow = () => {
      const pending = outbox.snapshot().pending > 0;
      if (pending && !waiting) void updates.requestBackgroundSync();
      waiting = pending;
    };
    follow();
    const stopFollowing = outbox.subscribe(follow);
    return () => {
      stopDrain();
      stopFollowing();
    };
  }, [updates, outbox]);
}
