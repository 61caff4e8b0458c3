import type { ResilienceRuntime, SyncStorageLike } from '../../resilience';
import { cachedAnswerStrategy } from './fallback/cachedAnswerStrategy';
import { lessonSnapshotStrategy } from './fallback/lessonSnapshotStrategy';
import { localHintStrategy } from './fallback/localHintStrategy';
import { simplifiedTutorStrategy } from './fallback/simplifiedTutorStrategy';
import { AI_TUTORING, LESSON_DATA } from './fallback/tutoringFallback';
import { createLessonSnapshots, type LessonSnapshots } from './lessonSnapshots';
import { createTutorAnswerCache, type TutorAnswerCache } from './tutorAnswerCache';
import { textReplyStrategy, VOICE_SESSION } from '../voice/voiceChain';

/** The app's fallback stores and chains for one student's runtime. */
export interface AppFallbacks {
  readonly answers: TutorAnswerCache;
  readonly snapshots: LessonSnapshots;
  /** Log-out: forgets the saved tutor replies and lesson snapshots of this student. */
  purge(): void;
  /** Unregisters the strategies (the stores stay). */
  dispose(): void;
}

/**
 * Registers the documented chains on `runtime.fallback`, in the documented order (the order a fresh runtime
 * tries them; observed success rates re-rank them later):
 * - `ai_tutoring`: cachedAnswer → simplifiedTutor → localHints;
 * - `lesson_data`: lessonSnapshot (the response cache is served inside api.request, before any strategy);
 * - `voice_session`: text (the reply stays as text with a note when speech fails; src/app/voice).
 * `submit_answer` has no strategy here: answers go through the outbox (answerSubmission.ts) and are never lost.
 */
export function registerAppFallbacks(runtime: ResilienceRuntime, options: { storage: SyncStorageLike | null; userId: string; now?: () => number }): AppFallbacks {
  const now = options.now ?? (() => runtime.clock.now());
  const answers = createTutorAnswerCache({ storage: options.storage, userId: options.userId, now });
  const snapshots = createLessonSnapshots({ storage: options.storage, userId: options.userId, now });
  const unregister = [
    runtime.fallback.registerStrategy(AI_TUTORING, cachedAnswerStrategy(answers)),
    runtime.fallback.registerStrategy(AI_TUTORING, simplifiedTutorStrategy(runtime)),
    runtime.fallback.registerStrategy(AI_TUTORING, localHintStrategy(snapshots)),
    runtime.fallback.registerStrategy(LESSON_DATA, lessonSnapshotStrategy(snapshots)),
    runtime.fallback.registerStrategy(VOICE_SESSION, textReplyStrategy()),
  ];
  return {
    answers,
    snapshots,
    purge() {
      answers.purge();
      snapshots.purge();
    },
    dispose: () => unregister.forEach((remove) => remove()),
  };
}
