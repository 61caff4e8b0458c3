import type { OutboxSnapshot, ReloadGuard } from '../../resilience';
import type { UpdateSnapshot } from './serviceWorkerUpdates';

export interface AutoUpdateInputs {
  update: UpdateSnapshot;
  /** A draft, an answer being saved or a conversation on screen (unsavedWork.ts). */
  unsavedWork: boolean;
  /** The student's outbox, or null when the app runs without a runtime. */
  outbox: OutboxSnapshot | null;
  guard: ReloadGuard;
}

/**
 * Whether the tab may reload into a waiting version by itself: only when nothing would be lost (no unsaved
 * work, the outbox loaded and not in the middle of a replay) and the tab's reload budget (shared with the
 * chunk-reload heal) allows it. Marks the budget when it says yes, so one version causes at most one
 * automatic reload per guard window; otherwise the prompt waits for the student.
 */
export function claimAutomaticReload({ update, unsavedWork, outbox, guard }: AutoUpdateInputs): boolean {
  if (!update.updateReady || update.applying || unsavedWork) return false;
  if (outbox && (!outbox.ready || outbox.draining)) return false;
  return guard.allowed() && guard.mark();
}
