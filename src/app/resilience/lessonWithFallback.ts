import type { Lesson, Progress } from '../../protocol/api';
import type { ResilienceRuntime } from '../../resilience';
import type { Loaded } from '../services/types';
import { LESSON_DATA, type LessonFallbackData } from './fallback/tutoringFallback';
import type { LessonSnapshot, LessonSnapshots } from './lessonSnapshots';

/**
 * A lesson through the `lesson_data` chain (DESIGN §7): `load` (the API with its response cache, labelled
 * stale) first, then the last snapshot in localStorage (labelled with its age), else the load's own error,
 * which the page shows in plain words. Every fresh copy becomes the new snapshot.
 */
export async function loadLessonWithFallback(
  runtime: Pick<ResilienceRuntime, 'fallback' | 'clock'>,
  snapshots: LessonSnapshots,
  lessonId: string,
  load: () => Promise<Loaded<Lesson>>,
): Promise<Loaded<Lesson>> {
  const outcome = await runtime.fallback.executeWithFallback<Loaded<Lesson> | LessonSnapshot, LessonFallbackData>(
    async () => ({ ok: true, value: await load() }),
    LESSON_DATA,
    { data: { lessonId } },
  );
  if (!outcome.ok) throw outcome.error;
  const { value } = outcome;
  if ('value' in value) {
    if (!value.stale) snapshots.save(value.value);
    return value;
  }
  return { value: value.lesson, stale: { ageMs: Math.max(0, runtime.clock.now() - value.storedAt), storedAt: value.storedAt } };
}

/** Keeps what the server says is finished, so an offline hint can start from the first unfinished exercise. */
export function rememberProgress(snapshots: LessonSnapshots, loaded: Loaded<Progress>): Loaded<Progress> {
  for (const [lessonId, lesson] of Object.entries(loaded.value.lessons)) snapshots.saveCompleted(lessonId, lesson.completed);
  return loaded;
}
