import type { ExerciseContent, LessonContent } from '../content/types';
import { findMentionedExercise } from './exerciseMatch';
import { readIntent, type Intent } from './intent';

/**
 * The rule-based tutor: a pure function of the lesson and the question, so the same question always
 * gets the same reply. It teaches from the lesson content and never states an exercise's answer.
 */
export function composeTutorReply(lesson: LessonContent, question: string): string {
  const intent = readIntent(question);
  const index = findMentionedExercise(question, lesson.exercises);
  const exercise = index === null ? undefined : lesson.exercises[index];
  if (exercise && index !== null) return aboutExercise(intent, exercise, index + 1);
  return aboutLesson(intent, lesson, question);
}

function quote(exercise: ExerciseContent, number: number): string {
  return `exercise ${number} ("${exercise.prompt}")`;
}

function hint(exercise: ExerciseContent, level: number): string {
  return exercise.hints[Math.min(level, exercise.hints.length - 1)] ?? exercise.method;
}

function aboutExercise(intent: Intent, exercise: ExerciseContent, number: number): string {
  const last = exercise.hints.length - 1;
  switch (intent) {
    case 'check':
      return `I can't mark answers in the chat, but the exercise can: type your answer for ${quote(exercise, number)} in the Answer box and press Submit answer to find out straight away. Before you do, check your working against this: ${hint(exercise, 1)}`;
    case 'answer':
      return `I won't give you the answer to exercise ${number}, because working it out yourself is what makes it stick. Here is the strongest push I can give: ${hint(exercise, last)} And here is the same method on a different example: ${exercise.method}`;
    case 'another-hint':
      return `Here is a more explicit hint for ${quote(exercise, number)}: ${hint(exercise, last)} Work through that step, then type your answer in the Answer box and press Submit answer.`;
    case 'how':
      return `Let's look at how to approach ${quote(exercise, number)} without giving the answer away. ${exercise.method} Now try the same steps with the numbers in the exercise, and ask me for a hint if you get stuck.`;
    case 'explain':
      return `The idea behind ${quote(exercise, number)} is this: ${exercise.method} A good first step for this exercise: ${hint(exercise, 0)}`;
    default:
      return `Here is a hint for ${quote(exercise, number)}: ${hint(exercise, 0)} ${hint(exercise, 1)} If that is not enough, ask me for another hint or for the method step by step.`;
  }
}

const STOP_WORDS = new Set(['about', 'after', 'again', 'their', 'there', 'these', 'those', 'which', 'would', 'could', 'should', 'where', 'what', 'with', 'this', 'that', 'from', 'have', 'does']);

function significantWords(text: string): Set<string> {
  return new Set((text.toLowerCase().match(/[a-z]{4,}/g) ?? []).filter((word) => !STOP_WORDS.has(word)).map((word) => word.replace(/s$/, '')));
}

/** The key idea sharing the most words with the question, if any does. */
function relevantIdea(lesson: LessonContent, question: string): string | undefined {
  const asked = significantWords(question);
  let best: string | undefined;
  let bestScore = 0;
  for (const idea of lesson.keyIdeas) {
    const score = [...significantWords(idea)].filter((word) => asked.has(word)).length;
    if (score > bestScore) [best, bestScore] = [idea, score];
  }
  return best;
}

const ASK_FOR_EXERCISE = 'Tell me which exercise you are on, for example "hint for exercise 2", and I will help with that one.';

function aboutLesson(intent: Intent, lesson: LessonContent, question: string): string {
  const idea = relevantIdea(lesson, question);
  const overview = lesson.keyIdeas.slice(0, 3).join('; ');
  switch (intent) {
    case 'greeting':
      return `Hi! I'm your tutor for ${lesson.title}. ${lesson.summary} You can ask me for a hint on any exercise (for example "hint for exercise 1"), ask how to approach one, or ask me to explain an idea from the lesson.`;
    case 'check':
      return `I can't mark answers in the chat, but each exercise can: type your answer in its Answer box and press Submit answer, and you will find out straight away. If it is not right, you will get a nudge, and I can give you hints too. ${ASK_FOR_EXERCISE}`;
    case 'answer':
      return `I won't give answers away, because working them out is what makes them stick, but I can get you very close. ${ASK_FOR_EXERCISE} Meanwhile, remember: ${idea ?? lesson.keyIdeas[0] ?? lesson.summary}.`;
    case 'hint':
    case 'another-hint':
    case 'how':
      return `Happy to help. ${ASK_FOR_EXERCISE} A tip that works across ${lesson.title}: ${idea ?? lesson.keyIdeas[0] ?? lesson.summary}.`;
    default:
      return idea
        ? `Good question. In ${lesson.title}, the key point is that ${idea}. ${ASK_FOR_EXERCISE}`
        : `In ${lesson.title}, the key ideas are: ${overview}. ${ASK_FOR_EXERCISE}`;
  }
}
