import type { Lesson } from '../../protocol/api';
import type { OutboxEntry } from '../../resilience';

/** Finds the lesson an entry refers to, as this device last saw it (the lesson snapshots); undefined if never seen. */
export type LessonLookup = (lessonId: string) => Lesson | undefined;

/**
 * A queued action in the student's words, for the "Needs your attention" list: the lesson's title and the
 * exercise as the lesson page names it ("Exercise 2"), never the ids the server uses. A lesson this device has
 * not saved is "an exercise" rather than an id.
 */
export function describeQueuedAction(entry: OutboxEntry, findLesson: LessonLookup = () => undefined): string {
  const body = entry.request.body;
  if (entry.request.path === '/api/answers' && typeof body === 'object' && body !== null) {
    const { lessonId, exerciseId, answer } = body as Record<string, unknown>;
    if (typeof answer === 'string' && typeof lessonId === 'string' && typeof exerciseId === 'string') {
      return `Your answer “${answer}” to ${whereOf(findLesson(lessonId), exerciseId)}.`;
    }
  }
  return 'A saved change.';
}

function whereOf(lesson: Lesson | undefined, exerciseId: string): string {
  if (!lesson) return 'an exercise';
  const index = lesson.exercises.findIndex((exercise) => exercise.id === exerciseId);
  return index < 0 ? `an exercise in ${lesson.title}` : `${lesson.title}, exercise ${index + 1}`;
}
