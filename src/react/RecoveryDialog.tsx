import { useId, useRef } from 'react';
import type { ResilienceRuntime } from '../resilience';
import { useRuntime } from './hooks';
import { isTutorPrompt, type RecoveryPrompt } from './recoveryPrompt';
import { useFocusTrap } from './useFocusTrap';
import { useMode } from './useMode';
import { useRecoveryPrompt } from './useRecoveryPrompt';

export interface RecoveryDialogProps {
  /** "Try again"; default: probe connectivity, reconnect the tutor socket now, sync queued work. */
  onTryAgain?: (runtime: ResilienceRuntime) => void;
  /**
   * Operations whose page reports a failure itself (its own error and "Try again", e.g. opening a lesson):
   * their escalations do not open the dialog. Default none.
   */
  quietOps?: readonly string[];
}

/** Each does something different: retry now, turn streaming and voice off, or close and carry on. */
export type RecoveryAction = 'tryAgain' | 'textOnly' | 'dismiss';

/**
 * The recovery dialog: `role=alertdialog`, modal, focus trapped, Escape closes it and focus goes
 * back where it was. It opens only when the student's choice changes the outcome (see recoveryPrompt.ts).
 */
export function RecoveryDialog({ onTryAgain = tryAgain, quietOps }: RecoveryDialogProps) {
  const runtime = useRuntime();
  const { prompt, answer } = useRecoveryPrompt(quietOps);
  const mode = useMode();
  if (!prompt) return null;
  const words = describePrompt(prompt, mode.studentChoice === 'text-only');
  const act = (action: RecoveryAction) => {
    if (action === 'tryAgain') onTryAgain(runtime);
    if (action === 'textOnly') runtime.modes.setStudentChoice('text-only');
    answer();
  };
  return <RecoveryDialogView title={words.title} description={words.description} actions={words.actions} onAction={act} onClose={answer} />;
}

const ACTION_LABELS: Readonly<Record<RecoveryAction, string>> = {
  tryAgain: 'Try again',
  textOnly: 'Switch to text-only',
  dismiss: 'Dismiss',
};

function RecoveryDialogView(props: { title: string; description: string; actions: readonly RecoveryAction[]; onAction: (action: RecoveryAction) => void; onClose: () => void }) {
  const titleId = useId();
  const descriptionId = useId();
  const dialog = useRef<HTMLDivElement>(null);
  useFocusTrap(dialog, props.onClose);
  return (
    <div className="recovery-backdrop">
      <div ref={dialog} role="alertdialog" aria-modal="true" aria-labelledby={titleId} aria-describedby={descriptionId} className="card recovery-dialog" tabIndex={-1}>
        <h2 id={titleId}>{props.title}</h2>
        <p id={descriptionId}>{props.description}</p>
        <div className="field-row">
          {props.actions.map((action) => (
            <button key={action} type="button" className={action === 'dismiss' ? 'button-quiet' : undefined} onClick={() => props.onAction(action)}>
              {ACTION_LABELS[action]}
            </button>
          ))}
        </div>
      </div>
    </div>
  );
}

/** The dialog's words and choices for a prompt, without codes or jargon. */
export function describePrompt(prompt: RecoveryPrompt, textOnly: boolean): { title: string; description: string; actions: readonly RecoveryAction[] } {
  if (isTutorPrompt(prompt)) {
    return {
      title: 'The live tutor cannot be reached',
      description:
        'We tried to reconnect several times. You can still ask: replies come from saved answers, a simpler tutor or offline hints, and say so. Text-only mode turns off streaming and voice.',
      actions: textOnly ? ['tryAgain', 'dismiss'] : ['tryAgain', 'textOnly', 'dismiss'],
    };
  }
  return {
    title: 'The server is having trouble',
    description: 'We could not fix this on our own. You can try again now, or dismiss this and carry on with what still works.',
    actions: ['tryAgain', 'dismiss'],
  };
}

function tryAgain(runtime: ResilienceRuntime): void {
  runtime.requestRetry();
}
