import type { OutboxEntry } from '../../resilience';

/** A queued action in the student's words, for the "Needs your attention" list. */
export function describeQueuedAction(entry: OutboxEntry): string {
  const body = entry.request.body;
  if (entry.request.path === '/api/answers' && typeof body === 'object' && body !== null) {
    const { lessonId, exerciseId, answer } = body as Record<string, unknown>;
    if (typeof answer === 'string' && typeof lessonId === 'string' && typeof exerciseId === 'string') {
      return `Your answer “${answer}” (lesson ${lessonId}, exercise ${exerciseId}).`;
    }
  }
  return 'A saved change.';
}
