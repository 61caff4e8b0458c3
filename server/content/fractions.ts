import type { LessonContent } from './types';

const ADDED_TOPS_AND_BOTTOMS =
  'It looks like you added the tops and the bottoms. The denominator is the size of the parts, so it stays the same once the parts match: find a common denominator first, then add only the numerators.';

export const fractions: LessonContent = {
  id: 'fractions',
  title: 'Fractions',
  summary: 'What a fraction means, equivalent fractions, and adding, multiplying and dividing fractions.',
  introduction:
    'A fraction a/b describes a parts of a whole that has been split into b equal parts: the bottom number (the denominator) says how many equal parts make a whole, and the top number (the numerator) says how many of those parts you have. ' +
    'Two fractions are equivalent when they describe the same amount, like 1/2 and 2/4; multiplying or dividing the top and the bottom by the same number gives an equivalent fraction, which is how you simplify. ' +
    'To add or subtract fractions, first rewrite them with a common denominator, then add the numerators and keep the denominator. ' +
    'To multiply, multiply the tops and multiply the bottoms. To divide by a fraction, multiply by its reciprocal: flip the second fraction upside down.',
  keyIdeas: [
    'the denominator (the bottom number) says how many equal parts make a whole, and the numerator (the top number) says how many of those parts you have',
    'multiplying or dividing the top and the bottom by the same number gives an equivalent fraction, which is how you simplify',
    'to add or subtract fractions, rewrite them with a common denominator first, then add only the numerators',
    'to multiply fractions, multiply top by top and bottom by bottom, then simplify',
    'to divide by a fraction, multiply by its reciprocal: keep the first fraction, change divide to multiply, and flip the second',
  ],
  exercises: [
    {
      id: 'pizza-left',
      prompt: 'A pizza is cut into 8 equal slices and 4 of them are eaten. What fraction of the pizza is left?',
      hints: [
        'Start by counting how many slices are still there.',
        'The fraction left is the number of slices left over the number of slices in the whole pizza.',
        'Write the slices left over 8, then simplify by dividing the top and the bottom by the same number.',
      ],
      answer: { kind: 'number', value: '1/2' },
      method:
        'Count the parts you have, put that over the number of equal parts in the whole, then simplify by dividing the top and the bottom by their greatest common factor. For example, 6 slices left out of 10 is 6/10, which simplifies to 3/5.',
      praise: 'Half the pizza is left: 4/8 simplifies to 1/2.',
      mistakes: [
        { value: '4', nudge: 'That is the number of slices left. The question asks what fraction of the whole pizza that is.' },
      ],
    },
    {
      id: 'add-quarter-half',
      prompt: 'Work out 1/4 + 1/2.',
      hints: [
        'The denominators are different, so you cannot add the fractions straight away.',
        'Rewrite 1/2 as an equivalent fraction with denominator 4.',
        'Once both fractions are in quarters, add the numerators and keep the denominator 4.',
      ],
      answer: { kind: 'number', value: '3/4' },
      method:
        'Find a common denominator, rewrite each fraction with it, then add the numerators. For example, 1/3 + 1/6: rewrite 1/3 as 2/6, then 2/6 + 1/6 = 3/6, which simplifies to 1/2.',
      praise: '1/2 is 2/4, and 1/4 + 2/4 = 3/4.',
      mistakes: [{ value: '2/6', nudge: ADDED_TOPS_AND_BOTTOMS }],
    },
    {
      id: 'add-thirds-sixths',
      prompt: 'Work out 2/3 + 1/6.',
      hints: [
        'Which denominator can both 3 and 6 go into?',
        '6 works: rewrite 2/3 in sixths by multiplying its top and its bottom by 2.',
        'Add the numerators of the two fractions in sixths; the denominator stays 6.',
      ],
      answer: { kind: 'number', value: '5/6' },
      method:
        'Find the lowest common denominator, convert both fractions, then add the numerators. For example, 1/4 + 3/8: rewrite 1/4 as 2/8, then 2/8 + 3/8 = 5/8.',
      praise: '2/3 is 4/6, and 4/6 + 1/6 = 5/6.',
      mistakes: [{ value: '3/9', nudge: ADDED_TOPS_AND_BOTTOMS }],
    },
    {
      id: 'multiply',
      prompt: 'Work out 3/4 × 2/5.',
      hints: [
        'When you multiply fractions you do not need a common denominator.',
        'Multiply the numerators together, then multiply the denominators together.',
        'You should get a fraction over 20; simplify it by dividing the top and the bottom by 2.',
      ],
      answer: { kind: 'number', value: '3/10' },
      method:
        'Multiply top by top and bottom by bottom, then simplify. For example, 2/3 × 3/7 = 6/21, and dividing the top and the bottom by 3 gives 2/7.',
      praise: '3 × 2 = 6 and 4 × 5 = 20, and 6/20 simplifies to 3/10.',
      mistakes: [
        { value: '23/20', nudge: 'That is what you get by adding the two fractions. This exercise asks you to multiply them.' },
        { value: '5/9', nudge: 'It looks like you added the tops and the bottoms. To multiply fractions, multiply the tops together and the bottoms together.' },
      ],
    },
    {
      id: 'divide',
      prompt: 'Work out 1/2 ÷ 1/4.',
      hints: [
        'Think of it as a question: how many quarters fit into a half?',
        'Dividing by a fraction is the same as multiplying by its reciprocal, so flip the second fraction.',
        'Rewrite it as 1/2 × 4/1, multiply the tops and the bottoms, then simplify.',
      ],
      answer: { kind: 'number', value: '2' },
      method:
        'Keep the first fraction, change the division to a multiplication, and flip the second fraction. For example, 2/3 ÷ 1/6 = 2/3 × 6/1 = 12/3 = 4.',
      praise: 'Two quarters fit into a half: 1/2 × 4/1 = 4/2 = 2.',
      mistakes: [
        { value: '1/8', nudge: 'That is 1/2 × 1/4: you multiplied without flipping the second fraction first.' },
        { value: '1/2', nudge: 'Dividing by a number smaller than 1 makes the result bigger, not smaller. Try flipping the second fraction and multiplying.' },
      ],
    },
  ],
};
