import { ResilienceError, type FallbackStrategy } from '../../../resilience';
import type { TutorAnswerCache } from '../tutorAnswerCache';
import type { TutoringFallbackData, TutoringFallbackValue } from './tutoringFallback';

/**
 * First of the `ai_tutoring` chain: the reply the server gave earlier to the same normalised question in the
 * same lesson. A miss is `canHandle() === false`, so misses do not count against it in the ranking.
 */
export function cachedAnswerStrategy(answers: TutorAnswerCache): FallbackStrategy<TutoringFallbackValue, TutoringFallbackData> {
  return {
    name: 'cachedAnswer',
    tier: 1, // the live tutor's own earlier answer to this very question
    canHandle: ({ data }) => answers.find(data.lessonId, data.text) !== undefined,
    async execute({ data }) {
      const saved = answers.find(data.lessonId, data.text);
      if (!saved) return { ok: false, error: new ResilienceError('UNKNOWN', 'No saved answer to this question') };
      return { ok: true, value: { text: saved.text, source: 'cache' }, stale: true };
    },
  };
}

