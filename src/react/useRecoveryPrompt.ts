import { useEffect, useReducer } from 'react';
import { useRuntime } from './hooks';
import { NO_PROMPT, recoveryPromptReducer, type RecoveryPrompt } from './recoveryPrompt';

/**
 * The question the recovery dialog should ask now, if any, and `answer()` to close it (the same cause is not
 * asked again until the runtime recovers). Follows the runtime's events from mount on.
 */
export function useRecoveryPrompt(): { prompt: RecoveryPrompt | null; answer: () => void } {
  const runtime = useRuntime();
  const [state, dispatch] = useReducer(recoveryPromptReducer, NO_PROMPT);
  useEffect(
    () => runtime.events.subscribe((event) => dispatch({ type: 'event', event, pending: runtime.outbox.snapshot().pending })),
    [runtime],
  );
  return { prompt: state.prompt, answer: () => dispatch({ type: 'answered' }) };
}
