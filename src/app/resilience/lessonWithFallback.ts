import type { Lesson, Progress } from '../../protocol/api';
import { runWithRecovery, type PrimaryBudget, type RecoveredRunDeps, type ResilienceRuntime } from '../../resilience';
import type { Loaded } from '../services/types';
import { LESSON_DATA, type LessonFallbackData } from './fallback/tutoringFallback';
import type { LessonSnapshot, LessonSnapshots } from './lessonSnapshots';

/**
 * A lesson through the `lesson_data` chain: `load` (the API with its response cache, labelled
 * stale) first, then the last snapshot in localStorage (labelled with its age), else the load's own error,
 * which the page shows in plain words. A failed load goes to the RecoveryOrchestrator (the runtime's `runWithRecovery`):
 * self-healing, the breaker, the snapshot, one final retry, then escalation (the recovery dialog); with the
 * `orchestrator` flag off, straight to the chain. Every fresh copy becomes the new snapshot.
 */
export async function loadLessonWithFallback(
  runtime: Pick<ResilienceRuntime, 'fallback' | 'clock' | 'flags'> & Pick<RecoveredRunDeps, 'orchestrator'>,
  snapshots: LessonSnapshots,
  lessonId: string,
  load: (budget: PrimaryBudget) => Promise<Loaded<Lesson>>,
): Promise<Loaded<Lesson>> {
  const served = await runWithRecovery<Loaded<Lesson>, LessonSnapshot, LessonFallbackData>(runtime, {
    op: LESSON_DATA,
    requestKey: lessonId,
    fallback: { opType: LESSON_DATA, data: { lessonId } },
    primary: load,
  });
  if (served.from === 'primary') {
    if (!served.value.stale) snapshots.save(served.value.value);
    return served.value;
  }
  const snapshot = served.value;
  return { value: snapshot.lesson, stale: { ageMs: Math.max(0, runtime.clock.now() - snapshot.storedAt), storedAt: snapshot.storedAt } };
}

/** Keeps what the server says is finished, so an offline hint can start from the first unfinished exercise. */
export function rememberProgress(snapshots: LessonSnapshots, loaded: Loaded<Progress>): Loaded<Progress> {
  for (const [lessonId, lesson] of Object.entries(loaded.value.lessons)) snapshots.saveCompleted(lessonId, lesson.completed);
  return loaded;
}
