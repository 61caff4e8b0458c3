import { ResilienceError, type FallbackStrategy } from '../../../resilience';
import type { LessonSnapshots } from '../lessonSnapshots';
import { localHintReply } from './localHints';
import type { TutoringFallbackData, TutoringFallbackValue } from './tutoringFallback';

/**
 * Last of the `ai_tutoring` chain: hints from the lesson the student has open, read from the local snapshot,
 * so it works with the whole server down. Applies only when that lesson was saved on this device.
 */
export function localHintStrategy(snapshots: LessonSnapshots): FallbackStrategy<TutoringFallbackValue, TutoringFallbackData> {
  return {
    name: 'localHints',
    tier: 3, // the exercise's own hints: works with the server down, answers least
    canHandle: ({ data }) => snapshots.find(data.lessonId) !== undefined,
    async execute({ data }) {
      const snapshot = snapshots.find(data.lessonId);
      if (!snapshot) return { ok: false, error: new ResilienceError('UNKNOWN', `Lesson "${data.lessonId}" is not saved on this device`) };
      return { ok: true, value: { text: localHintReply(snapshot.lesson, data.text, snapshots.completed(data.lessonId)), source: 'local-hint' } };
    },
  };
}
