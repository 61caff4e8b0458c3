import type { Lesson } from '../../../src/protocol/api';

/** A one-exercise lesson for the app's fallback and recovery specs. */
export const lesson: Lesson = {
  id: 'fractions',
  title: 'Fractions',
  summary: 's',
  exerciseCount: 1,
  introduction: 'i',
  exercises: [{ id: 'f1', prompt: 'What is 1/2 + 1/4?', hints: ['Find a common denominator.'] }],
};
