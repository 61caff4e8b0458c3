import { useEffect, useMemo, useReducer } from 'react';
import { useRuntime } from './hooks';
import { NO_PROMPT, recoveryPromptReducer, type RecoveryPrompt } from './recoveryPrompt';

/**
 * The question the recovery dialog should ask now, if any, and `answer()` to close it (the same cause is not
 * asked again until the runtime recovers). Follows the runtime's events from mount on. Escalations of
 * `quietOps` (operations whose page shows its own error and "Try again") never ask.
 */
export function useRecoveryPrompt(quietOps: readonly string[] = []): { prompt: RecoveryPrompt | null; answer: () => void } {
  const runtime = useRuntime();
  const [state, dispatch] = useReducer(recoveryPromptReducer, NO_PROMPT);
  const quietKey = quietOps.join('\n');
  const quiet = useMemo(() => new Set(quietKey ? quietKey.split('\n') : []), [quietKey]);
  useEffect(
    () => runtime.events.subscribe((event) => dispatch({ type: 'event', event, offline: runtime.connectivity.isOffline(), quietOps: quiet })),
    [runtime, quiet],
  );
  return { prompt: state.prompt, answer: () => dispatch({ type: 'answered' }) };
}
