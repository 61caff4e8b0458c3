import { useCallback } from 'react';
import { useLoad } from '../hooks/useLoad';
import { needsRefresh, useRefreshOnRecovery } from '../hooks/useRefreshOnRecovery';
import { lessonHref } from '../routing/route';
import { useServices } from '../services/ServicesContext';
import { LoadError } from './LoadError';
import { PageHeading } from './PageHeading';
import { StaleLabel } from './StaleLabel';

export function LessonListPage() {
  const services = useServices();
  const { state, retry, refresh } = useLoad(useCallback(() => services.lessons.list(), [services]));
  useRefreshOnRecovery(needsRefresh(state), state.status === 'error' ? retry : refresh);

  return (
    <section aria-busy={state.status === 'loading'}>
      <PageHeading>Lessons</PageHeading>
      {state.status === 'loading' && <p className="muted">Loading lessons…</p>}
      {state.status === 'error' && <LoadError what="The lessons" error={state.error} onRetry={retry} />}
      {state.status === 'ready' && <StaleLabel stale={state.data.stale} />}
      {state.status === 'ready' && state.data.value.length === 0 && <p>There are no lessons yet.</p>}
      {state.status === 'ready' && state.data.value.length > 0 && (
        <ul className="lesson-list">
          {state.data.value.map((lesson) => (
            <li key={lesson.id} className="card">
              <h2>
                <a href={lessonHref(lesson.id)}>{lesson.title}</a>
              </h2>
              <p>{lesson.summary}</p>
              <p className="muted">
                {lesson.exerciseCount} {lesson.exerciseCount === 1 ? 'exercise' : 'exercises'}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
