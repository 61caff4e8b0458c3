import type { AnswerResult } from '../services/types';

export type SubmitPhase =
  | { state: 'idle' }
  | { state: 'submitting' }
  | { state: 'answered'; result: AnswerResult }
  | { state: 'failed'; message: string };

/**
 * The outcome of the last submission. The role=status region is always rendered (empty at first)
 * because screen readers only announce changes to live regions that already exist.
 */
export function ExerciseOutcome({ phase }: { phase: SubmitPhase }) {
  return (
    <div role="status" className={`outcome ${outcomeClass(phase)}`}>
      {phase.state === 'submitting' && <p>Checking your answer…</p>}
      {phase.state === 'answered' && phase.result.status === 'checked' && (
        <p>
          <strong>{phase.result.correct ? 'Correct' : 'Not quite…'}</strong> {withoutVerdict(phase.result.feedback)}
        </p>
      )}
      {phase.state === 'answered' && phase.result.status === 'queued' && (
        <p>
          <strong>Saved offline — will sync</strong> Your answer is kept on this device and will be checked when the
          connection is back.
        </p>
      )}
      {phase.state === 'answered' && phase.result.status === 'needsAttention' && (
        <p>
          <strong>Not accepted by the server</strong> Your answer was saved, but the server refused it. You can retry
          or discard it under “Needs your attention”.
        </p>
      )}
    </div>
  );
}

function outcomeClass(phase: SubmitPhase): string {
  if (phase.state !== 'answered') return '';
  if (phase.result.status === 'queued') return 'outcome-queued';
  if (phase.result.status === 'needsAttention') return 'outcome-wrong';
  return phase.result.correct ? 'outcome-correct' : 'outcome-wrong';
}

/** The server's feedback may open with its own verdict; the heading already says it, so say it once. */
function withoutVerdict(feedback: string): string {
  return feedback.replace(/^(correct!?|not quite[.:…]?)\s*/i, '');
}
