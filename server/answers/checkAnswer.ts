import type { AnswerSpec, ExerciseContent } from '../content/types';
import { equals, parseRational, scale, type Rational } from './rational';

export type AnswerVerdict =
  | { verdict: 'correct' }
  | { verdict: 'incorrect'; value: Rational }
  /** Not readable as an answer of the expected kind (a word, an expression, an empty string). */
  | { verdict: 'unreadable' };

const PERCENT_SUFFIX = /\s*(%|per\s*cent|percent)$/i;
const CURRENCY_PREFIX = /^[$£€]\s*/;
const EQUATION_LEFT = /^([a-z])\s*=\s*(.+)$/i;
const EQUATION_RIGHT = /^(.+?)\s*=\s*([a-z])$/i;

/** A number where "%" means hundredths: "50%" reads as 1/2, and "£30" as 30. */
function readQuantity(text: string): Rational | null {
  const withoutCurrency = text.replace(CURRENCY_PREFIX, '');
  if (PERCENT_SUFFIX.test(withoutCurrency)) {
    const value = parseRational(withoutCurrency.replace(PERCENT_SUFFIX, ''));
    return value && scale(value, 1n, 100n);
  }
  return parseRational(withoutCurrency);
}

/** The value in percent units: "75", "75%" and "75 percent" are all 75. */
function readPercent(text: string): Rational | null {
  return parseRational(text.replace(PERCENT_SUFFIX, ''));
}

/** The solution of "x = 3", "3 = x" or plain "3"; null when the letter is not the equation's variable. */
function readSolution(text: string, variable: string): Rational | null {
  const left = EQUATION_LEFT.exec(text);
  const right = left ? null : EQUATION_RIGHT.exec(text);
  const letter = left?.[1] ?? right?.[2];
  const valueText = left?.[2] ?? right?.[1] ?? text;
  if (letter !== undefined && letter.toLowerCase() !== variable.toLowerCase()) return null;
  return readQuantity(valueText);
}

export function readAnswer(spec: AnswerSpec, answer: string): Rational | null {
  const text = answer.trim().replace(/\s+/g, ' ');
  switch (spec.kind) {
    case 'number':
      return readQuantity(text);
    case 'percent':
      return readPercent(text);
    case 'equation':
      return readSolution(text, spec.variable);
  }
}

function expectedValue(spec: AnswerSpec): Rational {
  const value = parseRational(spec.value);
  if (!value) throw new Error(`lesson content: unreadable expected value "${spec.value}"`);
  return value;
}

/** Decides whether `answer` is an equivalent form of the exercise's expected answer. */
export function checkAnswer(spec: AnswerSpec, answer: string): AnswerVerdict {
  const value = readAnswer(spec, answer);
  if (!value) return { verdict: 'unreadable' };
  return equals(value, expectedValue(spec)) ? { verdict: 'correct' } : { verdict: 'incorrect', value };
}

/** The student-facing feedback: praise when right; when wrong, a nudge that never reveals the answer. */
export function feedbackFor(exercise: ExerciseContent, verdict: AnswerVerdict): string {
  if (verdict.verdict === 'correct') return `Correct! ${exercise.praise}`;
  if (verdict.verdict === 'unreadable') {
    return exercise.answer.kind === 'equation'
      ? `Not quite: I couldn't read that as a value for ${exercise.answer.variable}. Write it like "${exercise.answer.variable} = 2.5" or just the number.`
      : "Not quite: I couldn't read that as a number. Write it like 3/4, 0.75, 1 1/2 or 75%.";
  }
  const mistake = exercise.mistakes.find((known) => {
    const value = parseRational(known.value);
    return value !== null && equals(value, verdict.value);
  });
  if (mistake) return `Not quite. ${mistake.nudge}`;
  const expected = expectedValue(exercise.answer);
  if (exercise.answer.kind === 'percent' && equals(scale(verdict.value, 100n, 1n), expected)) {
    return 'Not quite. That is the right amount written as a decimal or fraction; the question asks for a percentage, so multiply it by 100.';
  }
  const firstHint = exercise.hints[0] ?? 'Read the question again carefully.';
  return `Not quite. ${firstHint} Have another go.`;
}
