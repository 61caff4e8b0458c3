import { useEffect, useId, useState, type FormEvent } from 'react';
import type { Exercise } from '../../protocol/api';
import { describeError } from '../errors/describeError';
import { useUnsavedWork } from '../serviceWorker/unsavedWork';
import { useServices } from '../services/ServicesContext';
import { ExerciseOutcome, type SubmitPhase } from './ExerciseOutcome';
import { HintList } from './HintList';
import { useLessonCheckpointHandle } from '../resilience/lessonCheckpointContext';
import { useCommitNow } from '../../react';

interface ExerciseCardProps {
  lessonId: string;
  exercise: Exercise;
  /** 1-based position, used to name the exercise ("Exercise 1"). */
  number: number;
  done: boolean;
  onCorrect: (exerciseId: string) => void;
}

export function ExerciseCard({ lessonId, exercise, number, done, onCorrect }: ExerciseCardProps) {
  const { answers } = useServices();
  // The verdict and "N pending" show together: the pending count's change is committed before the verdict.
  const commitNow = useCommitNow();
  const checkpoint = useLessonCheckpointHandle();
  const index = number - 1;
  const [answer, setAnswer] = useState(() => checkpoint?.initial.drafts[exercise.id] ?? '');
  const [phase, setPhase] = useState<SubmitPhase>({ state: 'idle' });
  const titleId = useId();
  const inputId = useId();
  const errorId = useId();
  const submitting = phase.state === 'submitting';
  const queuedId = phase.state === 'answered' && phase.result.status !== 'checked' ? phase.result.entryId : undefined;
  // The text last checked or saved; a different text in the box is a draft a reload would lose.
  const [savedAnswer, setSavedAnswer] = useState<string | null>(null);
  useUnsavedWork(submitting || (answer.trim() !== '' && answer.trim() !== savedAnswer));

  // A queued answer that syncs while this page is open (or one retried from "Needs your attention") shows its
  // real outcome in place of "Saved offline".
  useEffect(() => {
    if (queuedId === undefined || !answers.watch) return;
    return answers.watch(queuedId, (result) => {
      commitNow();
      setPhase({ state: 'answered', result });
      if (result.status === 'checked' && result.correct) onCorrect(exercise.id);
    });
  }, [answers, queuedId, onCorrect, exercise.id, commitNow]);
  const solved = () => {
    onCorrect(exercise.id);
    checkpoint?.stepCompleted(index);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (submitting) return;
    if (answer.trim() === '') {
      setPhase({ state: 'failed', message: 'Type an answer first.' });
      return;
    }
    setPhase({ state: 'submitting' });
    try {
      const result = await answers.submit({ lessonId, exerciseId: exercise.id, answer: answer.trim() });
      commitNow();
      setSavedAnswer(answer.trim());
      setPhase({ state: 'answered', result });
      if (result.status === 'checked' && result.correct) solved();
    } catch (error) {
      // The typed answer stays in the box so trying again is one press away.
      setPhase({ state: 'failed', message: `Your answer was not sent. ${describeError(error)}` });
    }
  };

  return (
    <section role="group" aria-labelledby={titleId} className="card exercise" aria-current={checkpoint?.current === index ? 'step' : undefined}>
      <div className="exercise-title">
        <h3 id={titleId}>Exercise {number}</h3>
        {done && <span className="badge">Done</span>}
      </div>
      <p className="prompt">{exercise.prompt}</p>
      <form onSubmit={submit} noValidate>
        <label htmlFor={inputId}>Answer</label>
        <div className="field-row">
          <input
            id={inputId}
            type="text"
            autoComplete="off"
            value={answer}
            onChange={(event) => {
              setAnswer(event.target.value);
              checkpoint?.draftChanged(index, exercise.id, event.target.value);
            }}
            aria-describedby={phase.state === 'failed' ? errorId : undefined}
          />
          <button type="submit" disabled={submitting} aria-busy={submitting}>
            {submitting && <span className="spinner" aria-hidden="true" />}
            Submit answer
          </button>
        </div>
      </form>
      <ExerciseOutcome phase={phase} />
      {phase.state === 'failed' && (
        <p id={errorId} role="alert" className="field-error">
          {phase.message}
        </p>
      )}
      <HintList hints={exercise.hints} initialShown={checkpoint?.initial.hintsShown[exercise.id]} onShownChange={(shown) => checkpoint?.hintsChanged(index, exercise.id, shown)} />
    </section>
  );
}
