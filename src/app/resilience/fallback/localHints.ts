import type { Exercise, Lesson } from '../../../protocol/api';

const ORDINALS: Readonly<Record<string, number>> = { first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10 };
const BY_NUMBER = /\b(?:exercise|question|problem|task|number|no\.?|nr\.?)\s*#?\s*(\d{1,3})\b|#\s*(\d{1,3})\b/i;
const BY_ORDINAL = /\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\s+(?:exercise|question|problem|task|one)\b/i;

/** The exercise the student means: one named by number ("exercise 2", "#2", "the second one"), else the first unfinished one. */
export function pickExercise(lesson: Lesson, question: string, completedIds: readonly string[]): { exercise: Exercise; number: number } | undefined {
  const named = mentionedNumber(question);
  const byNumber = named === undefined ? undefined : lesson.exercises[named - 1];
  if (byNumber && named !== undefined) return { exercise: byNumber, number: named };
  const index = lesson.exercises.findIndex((exercise) => !completedIds.includes(exercise.id));
  const chosen = index >= 0 ? index : 0;
  const exercise = lesson.exercises[chosen];
  return exercise ? { exercise, number: chosen + 1 } : undefined;
}

function mentionedNumber(question: string): number | undefined {
  const digits = BY_NUMBER.exec(question);
  const value = digits?.[1] ?? digits?.[2];
  if (value !== undefined) return Number(value);
  const word = BY_ORDINAL.exec(question)?.[1]?.toLowerCase();
  return word === undefined ? undefined : ORDINALS[word];
}

/** The offline reply: the exercise's own hints, gentle to explicit (they never give the answer away). */
export function localHintReply(lesson: Lesson, question: string, completedIds: readonly string[]): string {
  const picked = pickExercise(lesson, question, completedIds);
  if (!picked) return `The tutor can't be reached right now. Re-read the introduction to “${lesson.title}” and try again in a moment.`;
  const { exercise, number } = picked;
  if (exercise.hints.length === 0) return `The tutor can't be reached right now. For exercise ${number} (${exercise.prompt}), re-read the introduction and try a small example first.`;
  const hints = exercise.hints.map((hint, i) => `${i + 1}. ${hint}`).join(' ');
  return `The tutor can't be reached right now, so here are the hints for exercise ${number} (${exercise.prompt}): ${hints}`;
}
