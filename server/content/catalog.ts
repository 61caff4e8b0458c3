import type { Lesson, LessonSummary } from '../../src/protocol/api';
import { fractions } from './fractions';
import { linearEquations } from './linearEquations';
import { percentages } from './percentages';
import type { ExerciseContent, LessonContent } from './types';

const LESSONS: readonly LessonContent[] = [fractions, percentages, linearEquations];
const BY_ID = new Map(LESSONS.map((lesson) => [lesson.id, lesson]));

export function allLessons(): readonly LessonContent[] {
  return LESSONS;
}

export function findLesson(id: string): LessonContent | undefined {
  return BY_ID.get(id);
}

export function findExercise(lesson: LessonContent, exerciseId: string): ExerciseContent | undefined {
  return lesson.exercises.find((exercise) => exercise.id === exerciseId);
}

export function toSummary(lesson: LessonContent): LessonSummary {
  return { id: lesson.id, title: lesson.title, summary: lesson.summary, exerciseCount: lesson.exercises.length };
}

/** The lesson as students may see it: hints yes; answers, methods and known mistakes no. */
export function toPublicLesson(lesson: LessonContent): Lesson {
  return {
    ...toSummary(lesson),
    introduction: lesson.introduction,
    exercises: lesson.exercises.map(({ id, prompt, hints }) => ({ id, prompt, hints: [...hints] })),
  };
}
