import { useState } from 'react';
import { useOutbox, useRuntime, useSyncProgress } from './hooks';

/**
 * "N pending" with a "Sync now" button, and "Syncing 12 of 30…" while a sync reports progress.
 * The polite live region is always rendered (empty when nothing waits) so changes are announced; it is not a
 * role=status, which belongs to the connection banner.
 */
export function PendingWork() {
  const runtime = useRuntime();
  const outbox = useOutbox();
  const progress = useSyncProgress();
  const [problem, setProblem] = useState<string | null>(null);
  const syncing = outbox.draining && progress !== null && progress.total > 0;

  const syncNow = () => {
    setProblem(null);
    runtime.outbox.syncNow().then(
      (report) => {
        if (report.skipped === 'locked') setProblem('Another tab is syncing these answers right now.');
      },
      () => setProblem('Syncing did not start. Please try again.'),
    );
  };

  return (
    <div className="pending-work" aria-live="polite">
      {outbox.pending > 0 && (
        <>
          <p className="pending-count">{outbox.pending} pending</p>
          {syncing && (
            <p className="pending-progress">
              Syncing {progress.done} of {progress.total}…
            </p>
          )}
          <button type="button" className="button-quiet" onClick={syncNow}>
            Sync now
          </button>
          {problem && <p className="pending-problem">{problem}</p>}
        </>
      )}
    </div>
  );
}
