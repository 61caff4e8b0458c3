import type { Exercise } from '../../src/protocol/api';

/**
 * Server-side lesson content. Everything beyond the public `Lesson` shape (answers, worked methods,
 * common mistakes) stays on the server: `toPublicLesson` strips it before anything is sent.
 */

/** Exact values are written as strings ("3/4", "4.5") and compared as rationals, never as floats. */
export type AnswerSpec =
  | { kind: 'number'; value: string }
  /** A percentage: "75", "75%" and "75 percent" all mean 75 %. */
  | { kind: 'percent'; value: string }
  /** A linear equation's solution: "x = 3", "x=3", "3 = x" and "3" are all accepted. */
  | { kind: 'equation'; variable: string; value: string };

/** A wrong value students often reach, with a nudge that names the slip without giving the answer. */
export interface CommonMistake {
  value: string;
  nudge: string;
}

export interface ExerciseContent extends Exercise {
  answer: AnswerSpec;
  /** How to approach this kind of exercise, on a different worked example. Used by the tutor. */
  method: string;
  /** Shown after a correct answer; may show the working. */
  praise: string;
  mistakes: CommonMistake[];
}

export interface LessonContent {
  id: string;
  title: string;
  summary: string;
  introduction: string;
  /** The lesson's main ideas as sentence fragments, used by the tutor to explain. */
  keyIdeas: string[];
  exercises: ExerciseContent[];
}
