import { describeQueuedAction } from '../../../src/app/resilience/describeQueuedAction';
import type { OutboxEntry } from '../../../src/resilience';
import { lesson } from './lessonFixture';

const answerEntry = (lessonId: string, exerciseId: string, answer: string): OutboxEntry => ({
  id: '01',
  idempotencyKey: 'key',
  scope: `lesson:${lessonId}`,
  user: 'ada',
  request: { method: 'POST', path: '/api/answers', body: { lessonId, exerciseId, answer } },
  createdAt: 0,
  createdMono: 0,
  attempts: 0,
  nextAttemptAt: 0,
});

describe('describeQueuedAction', () => {
  const find = (id: string) => (id === lesson.id ? lesson : undefined);

  it('names the lesson by its title and the exercise as the lesson page numbers it', () => {
    expect(describeQueuedAction(answerEntry('fractions', 'f1', '1001'), find)).toBe('Your answer “1001” to Fractions, exercise 1.');
  });

  it('never shows the ids, even for a lesson or exercise this device has not saved', () => {
    const unknownLesson = describeQueuedAction(answerEntry('algebra-2', 'solve-x', '7'), find);
    const unknownExercise = describeQueuedAction(answerEntry('fractions', 'gone', '7'), find);
    expect(unknownLesson).toBe('Your answer “7” to an exercise.');
    expect(unknownExercise).toBe('Your answer “7” to an exercise in Fractions.');
    for (const text of [unknownLesson, unknownExercise]) expect(text).not.toMatch(/algebra-2|solve-x|gone|fractions/);
  });

  it('describes anything else without its method or path', () => {
    expect(describeQueuedAction({ ...answerEntry('fractions', 'f1', '1'), request: { method: 'PUT', path: '/api/progress', body: {} } })).toBe('A saved change.');
  });
});
