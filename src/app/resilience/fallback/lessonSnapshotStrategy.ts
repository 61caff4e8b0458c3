import { ResilienceError, type FallbackStrategy } from '../../../resilience';
import type { LessonSnapshot, LessonSnapshots } from '../lessonSnapshots';
import type { LessonFallbackData } from './tutoringFallback';

/**
 * The `lesson_data` chain after the response cache (which `api.request({cache})` already serves, labelled
 * stale): the last copy of the lesson kept in localStorage. Its absence leaves the caller's error standing.
 */
export function lessonSnapshotStrategy(snapshots: LessonSnapshots): FallbackStrategy<LessonSnapshot, LessonFallbackData> {
  return {
    name: 'lessonSnapshot',
    canHandle: ({ data }) => snapshots.find(data.lessonId) !== undefined,
    async execute({ data }) {
      const snapshot = snapshots.find(data.lessonId);
      if (!snapshot) return { ok: false, error: new ResilienceError('UNKNOWN', `Lesson "${data.lessonId}" is not saved on this device`) };
      return { ok: true, value: snapshot, stale: true };
    },
  };
}
