import type { ExerciseContent } from '../content/types';

const EXPLICIT = /\b(?:exercise|question|problem|ex|q|number|no)\.?\s*#?\s*(\d{1,2})\b|#\s*(\d{1,2})\b/i;
const ORDINAL = /\b(first|second|third|fourth|fifth|sixth|last)\s+(?:exercise|question|problem|one)\b/i;
const ORDINALS: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6 };
const FRACTION_TOKEN = /\d+\s*\/\s*\d+/g;
const NUMBER_TOKEN = /\d+(?:\.\d+)?/g;

function numbersIn(text: string): { fractions: Set<string>; numbers: Set<string> } {
  return {
    fractions: new Set((text.match(FRACTION_TOKEN) ?? []).map((token) => token.replace(/\s+/g, ''))),
    numbers: new Set(text.match(NUMBER_TOKEN) ?? []),
  };
}

/** Index of the exercise named by number or position ("exercise 3", "q2", "#4", "the last one"), else null. */
function explicitIndex(text: string, count: number): number | null {
  const explicit = EXPLICIT.exec(text);
  const number = explicit ? Number(explicit[1] ?? explicit[2]) : null;
  if (number !== null) return number >= 1 && number <= count ? number - 1 : null;
  const ordinal = ORDINAL.exec(text)?.[1]?.toLowerCase();
  if (ordinal === undefined) return null;
  const position = ordinal === 'last' ? count : (ORDINALS[ordinal] ?? 0);
  return position >= 1 && position <= count ? position - 1 : null;
}

/**
 * Which exercise the student is talking about: named explicitly, or recognised from the numbers they
 * quote ("how do I do 2/3 + 1/6?"). A quoted fraction weighs more than a lone number. Ties give null,
 * so the tutor asks instead of guessing.
 */
export function findMentionedExercise(text: string, exercises: readonly ExerciseContent[]): number | null {
  const named = explicitIndex(text, exercises.length);
  if (named !== null) return named;
  const asked = numbersIn(text);
  if (asked.numbers.size === 0) return null;
  let best: number | null = null;
  let bestScore = 0;
  let tied = false;
  exercises.forEach((exercise, index) => {
    const prompt = numbersIn(exercise.prompt);
    let score = 0;
    for (const fraction of asked.fractions) if (prompt.fractions.has(fraction)) score += 2;
    for (const number of asked.numbers) if (prompt.numbers.has(number)) score += 1;
    if (score > bestScore) [best, bestScore, tied] = [index, score, false];
    else if (score === bestScore && score > 0) tied = true;
  });
  return tied ? null : best;
}
