import { useCallback, useState } from 'react';
import type { Progress } from '../../protocol/api';
import type { Loaded } from '../services/types';
import { useLoad, type LoadState } from '../hooks/useLoad';
import { needsRefresh, useRefreshOnRecovery } from '../hooks/useRefreshOnRecovery';
import { LESSONS_HREF } from '../routing/route';
import { useServices } from '../services/ServicesContext';
import { ExerciseCard } from './ExerciseCard';
import { LessonProgressSummary } from './LessonProgressSummary';
import { LoadError } from './LoadError';
import { PageHeading } from './PageHeading';
import { StaleLabel } from './StaleLabel';
import { LazyTutorChat } from './LazyTutorChat';
import { ResumeNotice } from './ResumeNotice';
import { useOptionalRuntime } from '../../react/useOptionalRuntime';
import { useLessonCheckpoint } from '../hooks/useLessonCheckpoint';
import { LessonCheckpointContext } from '../resilience/lessonCheckpointContext';
import { devRestoreThrows } from '../resilience/devTools';

export function LessonPage({ lessonId }: { lessonId: string }) {
  const services = useServices();
  const lesson = useLoad(useCallback(() => services.lessons.get(lessonId), [services, lessonId]));
  const progress = useLoad(useCallback(() => services.progress.get(), [services]));
  // An error or a saved copy is replaced by the server's answer once it is reachable again, without a reload.
  useRefreshOnRecovery(needsRefresh(lesson.state), lesson.state.status === 'error' ? lesson.retry : lesson.refresh);
  useRefreshOnRecovery(needsRefresh(progress.state), progress.refresh);
  const [solvedHere, setSolvedHere] = useState<ReadonlySet<string>>(() => new Set());
  const markSolved = useCallback((id: string) => setSolvedHere((solved) => new Set(solved).add(id)), []);
  // Resumes the student's last checkpoint of this lesson (drafts, hints, chat, the exercise they were on).
  const checkpoint = useLessonCheckpoint(useOptionalRuntime(), lessonId, lesson.state.status === 'ready' ? lesson.state.data.value.exercises.length : 0, devRestoreThrows());

  return (
    <div className="lesson-page">
      <a className="back-link" href={LESSONS_HREF}>
        ← All lessons
      </a>
      {(lesson.state.status === 'loading' || (lesson.state.status === 'ready' && checkpoint.status === 'loading')) && <p className="muted">Loading the lesson…</p>}
      {lesson.state.status === 'error' && <LoadError what="This lesson" error={lesson.state.error} onRetry={lesson.retry} />}
      {lesson.state.status === 'ready' && checkpoint.status === 'ready' && (
        <LessonCheckpointContext.Provider value={checkpoint.handle}>
        <div className="lesson-layout" key={checkpoint.generation}>
          <article className="lesson-main">
            <PageHeading>{lesson.state.data.value.title}</PageHeading>
            <StaleLabel stale={lesson.state.data.stale ?? (progress.state.status === 'ready' ? progress.state.data.stale : undefined)} />
            <LessonProgressSummary
              lessonId={lessonId}
              exerciseIds={lesson.state.data.value.exercises.map((exercise) => exercise.id)}
              progress={progress.state}
              solvedHere={solvedHere}
            />
            <ResumeNotice notice={checkpoint.notice} onStartOver={checkpoint.startOver} />
            <p className="introduction">{lesson.state.data.value.introduction}</p>
            <h2>Exercises</h2>
            {lesson.state.data.value.exercises.map((exercise, index) => (
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
          <LazyTutorChat lessonId={lessonId} />
        </div>
        </LessonCheckpointContext.Provider>
      )}
    </div>
  );
}

function completedOnServer(progress: LoadState<Loaded<Progress>>, lessonId: string, exerciseId: string): boolean {
  return progress.status === 'ready' && (progress.data.value.lessons[lessonId]?.completed.includes(exerciseId) ?? false);
}
