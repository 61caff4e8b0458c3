import { useRuntime } from './hooks';
import { useMode } from './useMode';

/**
 * "Switch to text-only" and back: text-only turns off streamed replies and voice. The choice is
 * the student's and persists across reloads.
 */
export function TextOnlySwitch() {
  const runtime = useRuntime();
  const { studentChoice } = useMode();
  const textOnly = studentChoice === 'text-only';
  return (
    <button type="button" className="button-quiet text-only-switch" onClick={() => runtime.modes.setStudentChoice(textOnly ? null : 'text-only')}>
      {textOnly ? 'Leave text-only mode' : 'Switch to text-only'}
    </button>
  );
}
