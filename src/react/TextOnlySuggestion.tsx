import { useEffect, useState } from 'react';
import { useRuntime } from './hooks';
import { useMode } from './useMode';

/**
 * The predictor's suggestion (`prediction.suggestion`) as a non-modal offer: the device is at its limit, text-only
 * is lighter. Shown while the suggestion stands and the student has not chosen text-only or said "Not now".
 */
export function TextOnlySuggestion() {
  const runtime = useRuntime();
  const { studentChoice } = useMode();
  const [suggestion, setSuggestion] = useState<{ reason: string } | null>(null);
  const [dismissed, setDismissed] = useState(false);
  useEffect(
    () =>
      runtime.events.subscribe((event) => {
        if (event.type !== 'prediction.suggestion' || event.suggestion !== 'text-only') return;
        setSuggestion(event.active ? { reason: event.reason } : null);
        if (!event.active) setDismissed(false);
      }),
    [runtime],
  );
  if (!suggestion || dismissed || studentChoice === 'text-only') return null;
  return (
    <div role="status" className="text-only-suggestion">
      <p>This device is struggling ({suggestion.reason}). Text-only mode is lighter: tutor replies arrive whole, without streaming or voice.</p>
      <button type="button" onClick={() => runtime.modes.setStudentChoice('text-only')}>
        Switch to text-only
      </button>{' '}
      <button type="button" className="button-quiet" onClick={() => setDismissed(true)}>
        Not now
      </button>
    </div>
  );
}
