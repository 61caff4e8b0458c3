import type { LoadState } from '../hooks/useLoad';
import type { Progress } from '../../protocol/api';
import type { Loaded } from '../services/types';

interface LessonProgressSummaryProps {
  lessonId: string;
  exerciseIds: string[];
  progress: LoadState<Loaded<Progress>>;
  /** Exercises answered correctly on this page since it loaded. */
  solvedHere: ReadonlySet<string>;
}

/** "n of m done": what the server knows plus what was solved since, so it moves without a refetch. */
export function LessonProgressSummary({ lessonId, exerciseIds, progress, solvedHere }: LessonProgressSummaryProps) {
  if (progress.status === 'loading') return <p className="progress muted">Loading your progress…</p>;
  if (progress.status === 'error' && solvedHere.size === 0) {
    return <p className="progress muted">Your progress could not be loaded.</p>;
  }
  const known = progress.status === 'ready' ? (progress.data.value.lessons[lessonId]?.completed ?? []) : [];
  const completed = new Set([...known, ...solvedHere]);
  const done = exerciseIds.filter((id) => completed.has(id)).length;
  return (
    <div className="progress">
      <p>
        {done} of {exerciseIds.length} done
      </p>
      <progress value={done} max={Math.max(exerciseIds.length, 1)} aria-hidden="true" />
    </div>
  );
}
