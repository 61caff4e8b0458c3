import { useEffect, useSyncExternalStore } from 'react';
import type { Outbox, ReloadGuard } from '../../resilience';
import { claimAutomaticReload } from './autoUpdate';
import type { ServiceWorkerUpdates } from './serviceWorkerUpdates';
import { hasUnsavedWork, subscribeUnsavedWork } from './unsavedWork';

export const UPDATE_READY_TEXT = 'A new version is ready — Reload';

export interface UpdatePromptProps {
  updates: ServiceWorkerUpdates;
  /** The signed-in student's outbox; null without a runtime (then only unsaved work is considered). */
  outbox: Outbox | null;
  guard: ReloadGuard;
}

/**
 * "A new version is ready — Reload" while a new version waits. The `role=status` region is always rendered
 * (empty otherwise) so screen readers follow it. The tab reloads when the student presses Reload, or by
 * itself when nothing would be lost (autoUpdate.ts); anything else waits for the student.
 */
export function UpdatePrompt({ updates, outbox, guard }: UpdatePromptProps) {
  const update = useSyncExternalStore(updates.subscribe, updates.snapshot);

  useEffect(() => {
    const consider = () => {
      const inputs = { update: updates.snapshot(), unsavedWork: hasUnsavedWork(), outbox: outbox?.snapshot() ?? null, guard };
      if (claimAutomaticReload(inputs)) updates.applyUpdate();
    };
    consider();
    const stops = [updates.subscribe(consider), subscribeUnsavedWork(consider), outbox?.subscribe(consider)];
    return () => stops.forEach((stop) => stop?.());
  }, [updates, outbox, guard]);

  return (
    <div role="status" className={update.updateReady ? 'update-prompt update-prompt-ready' : 'update-prompt'}>
      {update.updateReady && (
        <p>
          A new version is ready —{' '}
          <button type="button" onClick={() => updates.applyUpdate()} disabled={update.applying} aria-busy={update.applying}>
            Reload
          </button>
        </p>
      )}
    </div>
  );
}
