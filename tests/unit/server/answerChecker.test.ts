import { checkAnswer, feedbackFor } from '../../../server/answers/checkAnswer';
import { parseRational } from '../../../server/answers/rational';
import { allLessons, findExercise, findLesson } from '../../../server/content/catalog';
import type { ExerciseContent } from '../../../server/content/types';

function exercise(lessonId: string, exerciseId: string): ExerciseContent {
  const lesson = findLesson(lessonId);
  const found = lesson && findExercise(lesson, exerciseId);
  if (!found) throw new Error(`no exercise ${lessonId}/${exerciseId}`);
  return found;
}

const verdictOf = (ex: ExerciseContent, answer: string) => checkAnswer(ex.answer, answer).verdict;

describe('answer checking', () => {
  const half = exercise('fractions', 'pizza-left');

  it.each(['1/2', '0.5', '.5', '2/4', '4/8', '50%', ' 1 / 2 ', '0,5', '0.50'])('accepts %j for a half', (answer) => {
    expect(verdictOf(half, answer)).toBe('correct');
  });

  it.each(['1/3', '0.05', '5%', '2', '-1/2'])('rejects %j for a half', (answer) => {
    expect(verdictOf(half, answer)).toBe('incorrect');
  });

  it.each(['', 'half', '1/0', '1//2', 'x = '])('cannot read %j as a number', (answer) => {
    expect(verdictOf(half, answer)).toBe('unreadable');
  });

  it('accepts mixed numbers, decimals and fractions for a non-whole solution', () => {
    const brackets = exercise('linear-equations', 'brackets');
    for (const answer of ['x = 4.5', 'x=9/2', '4 1/2', '4.5', '9/2 = x', 'X = 18/4']) expect(verdictOf(brackets, answer)).toBe('correct');
    for (const answer of ['y = 4.5', 'x = 4', '4 1/3']) expect(verdictOf(brackets, answer)).not.toBe('correct');
  });

  it('accepts "x = 7", "x=7" and "7" for an equation', () => {
    const equation = exercise('linear-equations', 'one-step-add');
    for (const answer of ['x = 7', 'x=7', '7', ' x  =  7 ', '7.0', '14/2']) expect(verdictOf(equation, answer)).toBe('correct');
  });

  it('reads percentage answers with or without the % sign, and money with a currency sign', () => {
    const percent = exercise('percentages', 'fraction-to-percent');
    for (const answer of ['75', '75%', '75 %', '75 percent', '75.0']) expect(verdictOf(percent, answer)).toBe('correct');
    expect(verdictOf(percent, '0.75')).toBe('incorrect');
    expect(verdictOf(exercise('percentages', 'discount'), '£30')).toBe('correct');
  });

  it('compares exactly, without floating-point error', () => {
    expect(parseRational('0.1')).toEqual({ num: 1n, den: 10n });
    expect(parseRational('1,200')).toEqual({ num: 1200n, den: 1n });
    expect(parseRational('-1 1/2')).toEqual({ num: -3n, den: 2n });
    expect(verdictOf(exercise('fractions', 'multiply'), '0.3')).toBe('correct');
  });
});

describe('answer feedback', () => {
  it('names a common mistake without giving the answer away', () => {
    const add = exercise('fractions', 'add-quarter-half');
    const feedback = feedbackFor(add, checkAnswer(add.answer, '2/6'));
    expect(feedback).toMatch(/^Not quite\./);
    expect(feedback).toMatch(/added the tops and the bottoms/);
    expect(feedback).not.toContain('3/4');
  });

  it('praises a correct answer', () => {
    const add = exercise('fractions', 'add-quarter-half');
    expect(feedbackFor(add, checkAnswer(add.answer, '3/4'))).toMatch(/^Correct!/);
  });

  it('tells a student who wrote a decimal to give a percentage', () => {
    const percent = exercise('percentages', 'fraction-to-percent');
    expect(feedbackFor(percent, checkAnswer(percent.answer, '0.75'))).toMatch(/percentage/);
  });

  it('never reveals the expected answer in wrong-answer feedback or hints', () => {
    for (const lesson of allLessons()) {
      expect(lesson.exercises.length).toBeGreaterThanOrEqual(5);
      for (const ex of lesson.exercises) {
        expect(ex.hints.length).toBeGreaterThanOrEqual(2);
        const expected = ex.answer.kind === 'equation' ? `${ex.answer.variable} = ${ex.answer.value}` : `= ${ex.answer.value}`;
        const texts = [...ex.hints, feedbackFor(ex, checkAnswer(ex.answer, '12345')), feedbackFor(ex, checkAnswer(ex.answer, 'what'))];
        for (const text of texts) expect(text).not.toContain(expected);
        for (const mistake of ex.mistakes) expect(checkAnswer(ex.answer, mistake.value).verdict).toBe('incorrect');
      }
    }
  });
});
