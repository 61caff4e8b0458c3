import type { ReplySource } from '../../services/types';

/** Operation types of the app's fallback chains. */
export const AI_TUTORING = 'ai_tutoring';
export const LESSON_DATA = 'lesson_data';

/** What the `ai_tutoring` strategies learn about the question. */
export interface TutoringFallbackData {
  /** The ask id: the idempotency key of the simplified HTTP ask. */
  readonly id: string;
  readonly lessonId: string;
  readonly text: string;
}

/** A reply served by a fallback, with where it came from so the chat can say so. */
export interface TutoringFallbackValue {
  readonly text: string;
  /** The ask id the server says this reply answers (simplified tutor); absent for local replies. */
  readonly replyTo?: string;
  readonly source: Exclude<ReplySource, 'live'>;
}

export interface LessonFallbackData {
  readonly lessonId: string;
}
