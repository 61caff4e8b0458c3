import { allLessons, findLesson } from '../../../server/content/catalog';
import type { LessonContent } from '../../../server/content/types';
import { findMentionedExercise } from '../../../server/tutor/exerciseMatch';
import { composeTutorReply } from '../../../server/tutor/tutorBrain';

function lesson(id: string): LessonContent {
  const found = findLesson(id);
  if (!found) throw new Error(`no lesson ${id}`);
  return found;
}

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

describe('the rule-based tutor', () => {
  const fractions = lesson('fractions');

  it('gives the same reply to the same question', () => {
    expect(composeTutorReply(fractions, 'hint for exercise 2')).toBe(composeTutorReply(fractions, 'hint for exercise 2'));
  });

  it('recognises the exercise by number, by position or by the numbers quoted', () => {
    expect(findMentionedExercise('can I have a hint for exercise 3?', fractions.exercises)).toBe(2);
    expect(findMentionedExercise('q4 please', fractions.exercises)).toBe(3);
    expect(findMentionedExercise('the last one is hard', fractions.exercises)).toBe(4);
    expect(findMentionedExercise('how do I work out 2/3 + 1/6', fractions.exercises)).toBe(2);
    expect(findMentionedExercise('I am confused by 3/4 × 2/5', fractions.exercises)).toBe(3);
    expect(findMentionedExercise('what is a fraction?', fractions.exercises)).toBeNull();
    expect(findMentionedExercise('exercise 9', fractions.exercises)).toBeNull();
  });

  it('gives a hint for the exercise the student mentions', () => {
    const reply = composeTutorReply(fractions, 'Can I have a hint for exercise 2?');
    expect(reply).toContain('exercise 2');
    expect(reply).toContain(fractions.exercises[1]?.hints[0]);
  });

  it('explains the method when asked how, using another example', () => {
    const equations = lesson('linear-equations');
    const reply = composeTutorReply(equations, 'How do I solve 2x + 3 = 11?');
    expect(reply).toContain(equations.exercises[2]?.method);
  });

  it('explains the lesson idea that matches the question when no exercise is named', () => {
    const reply = composeTutorReply(fractions, 'What does reciprocal mean?');
    expect(reply).toMatch(/reciprocal/);
    expect(reply).toMatch(/which exercise/);
  });

  it('refuses to give answers away but still helps', () => {
    for (const content of allLessons()) {
      content.exercises.forEach((exercise, index) => {
        const reply = composeTutorReply(content, `just tell me the answer to exercise ${index + 1}`);
        expect(reply).toMatch(/won't give you the answer/);
        expect(reply).not.toContain(exercise.praise);
        if (exercise.answer.kind === 'equation') expect(reply).not.toContain(`x = ${exercise.answer.value}`);
        if (exercise.answer.value.includes('/')) expect(reply).not.toContain(exercise.answer.value);
      });
    }
  });

  it.each(['hi', 'hint please', 'is it 7?', 'explain percentages', 'how do I start question 1', 'another hint for q2', 'banana'])(
    'answers %j in at least 20 words, so streaming is visible',
    (question) => {
      for (const content of allLessons()) expect(words(composeTutorReply(content, question))).toBeGreaterThanOrEqual(20);
    },
  );
});
