import { useCallback, useState } from 'react';
import type { Progress } from '../../protocol/api';
import { useLoad, type LoadState } from '../hooks/useLoad';
import { LESSONS_HREF } from '../routing/route';
import { useServices } from '../services/ServicesContext';
import { ExerciseCard } from './ExerciseCard';
import { LessonProgressSummary } from './LessonProgressSummary';
import { LoadError } from './LoadError';
import { PageHeading } from './PageHeading';
import { TutorChat } from './TutorChat';

export function LessonPage({ lessonId }: { lessonId: string }) {
  const services = useServices();
  const lesson = useLoad(useCallback(() => services.lessons.get(lessonId), [services, lessonId]));
  const progress = useLoad(useCallback(() => services.progress.get(), [services]));
  const [solvedHere, setSolvedHere] = useState<ReadonlySet<string>>(() => new Set());
  const markSolved = useCallback((id: string) => setSolvedHere((solved) => new Set(solved).add(id)), []);

  return (
    <div className="lesson-page">
      <a className="back-link" href={LESSONS_HREF}>
        ← All lessons
      </a>
      {lesson.state.status === 'loading' && <p className="muted">Loading the lesson…</p>}
      {lesson.state.status === 'error' && <LoadError what="This lesson" error={lesson.state.error} onRetry={lesson.retry} />}
      {lesson.state.status === 'ready' && (
        <div className="lesson-layout">
          <article className="lesson-main">
            <PageHeading>{lesson.state.data.title}</PageHeading>
            <LessonProgressSummary
              lessonId={lessonId}
              exerciseIds={lesson.state.data.exercises.map((exercise) => exercise.id)}
              progress={progress.state}
              solvedHere={solvedHere}
            />
            <p className="introduction">{lesson.state.data.introduction}</p>
            <h2>Exercises</h2>
            {lesson.state.data.exercises.map((exercise, index) => (
              <ExerciseCard
                key={exercise.id}
                lessonId={lessonId}
                exercise={exercise}
                number={index + 1}
                done={solvedHere.has(exercise.id) || completedOnServer(progress.state, lessonId, exercise.id)}
                onCorrect={markSolved}
              />
            ))}
          </article>
          <TutorChat lessonId={lessonId} />
        </div>
      )}
    </div>
  );
}

function completedOnServer(progress: LoadState<Progress>, lessonId: string, exerciseId: string): boolean {
  return progress.status === 'ready' && (progress.data.lessons[lessonId]?.completed.includes(exerciseId) ?? false);
}
