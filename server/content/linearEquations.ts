import type { LessonContent } from './types';

export const linearEquations: LessonContent = {
  id: 'linear-equations',
  title: 'Linear equations',
  summary: 'Solving one-step and two-step equations, equations with x on both sides, and equations with brackets.',
  introduction:
    'An equation says that two expressions are equal, like a balanced scale. Solving it means finding the value of the unknown, here x, that makes both sides equal. ' +
    'Whatever you do to one side you must do to the other, so the equation stays balanced. Undo the operations on x in reverse order: first remove anything added or subtracted, then divide by the number multiplying x. ' +
    'If x appears on both sides, first collect the x terms on one side. If there are brackets, expand them first, or divide both sides by the number outside. ' +
    'Always check your solution by substituting it back into the original equation.',
  keyIdeas: [
    'an equation is a balance: whatever you do to one side, you must do to the other',
    'undo the operations on x in reverse order: add or subtract first, then multiply or divide',
    'if x is on both sides, subtract the smaller x term from both sides so x is only on one side',
    'with brackets, expand them first by multiplying every term inside, or divide both sides by the number outside',
    'check a solution by substituting it back into the original equation: both sides must come out equal',
  ],
  exercises: [
    {
      id: 'one-step-add',
      prompt: 'Solve x + 5 = 12.',
      hints: [
        'What has been done to x? 5 has been added to it.',
        'Undo adding 5 by subtracting 5 from both sides.',
        'After subtracting 5 from both sides, the left side is just x and the right side is 12 − 5.',
      ],
      answer: { kind: 'equation', variable: 'x', value: '7' },
      method:
        'Ask what has been done to x, then do the opposite to both sides. For example, in x + 9 = 20, subtract 9 from both sides to get x = 11, and check: 11 + 9 = 20.',
      praise: 'x + 5 = 12, so x = 12 − 5 = 7. Check: 7 + 5 = 12.',
      mistakes: [{ value: '17', nudge: 'It looks like you added 5 to 12. To undo adding 5, subtract 5 from both sides.' }],
    },
    {
      id: 'one-step-multiply',
      prompt: 'Solve 3x = 18.',
      hints: [
        '3x means 3 multiplied by x.',
        'Undo multiplying by 3 by dividing both sides by 3.',
        'Divide 18 by 3 to find x.',
      ],
      answer: { kind: 'equation', variable: 'x', value: '6' },
      method: 'Divide both sides by the number in front of x. For example, in 4x = 28, divide both sides by 4 to get x = 7, and check: 4 × 7 = 28.',
      praise: '3x = 18, so x = 18 ÷ 3 = 6. Check: 3 × 6 = 18.',
      mistakes: [
        { value: '15', nudge: '3x means 3 times x, so subtracting 3 does not undo it. Divide both sides by 3 instead.' },
        { value: '54', nudge: 'It looks like you multiplied by 3. To undo multiplying by 3, divide both sides by 3.' },
      ],
    },
    {
      id: 'two-step',
      prompt: 'Solve 2x + 3 = 11.',
      hints: [
        'Two things have happened to x: it was multiplied by 2, then 3 was added.',
        'Undo them in reverse order: first subtract 3 from both sides.',
        'After subtracting 3 you have 2x = 8; now divide both sides by 2.',
      ],
      answer: { kind: 'equation', variable: 'x', value: '4' },
      method:
        'Undo the operations in reverse order. For example, 3x + 4 = 19: subtract 4 from both sides to get 3x = 15, then divide by 3 to get x = 5. Check: 3 × 5 + 4 = 19.',
      praise: 'Subtract 3 to get 2x = 8, then divide by 2: x = 4. Check: 2 × 4 + 3 = 11.',
      mistakes: [
        { value: '8', nudge: '8 is what 2x equals. You are nearly there: divide both sides by 2 to find x.' },
        { value: '7', nudge: 'It looks like you added 3 instead of subtracting it. To undo + 3, subtract 3 from both sides first.' },
      ],
    },
    {
      id: 'both-sides',
      prompt: 'Solve 5x − 7 = 2x + 8.',
      hints: [
        'x appears on both sides, so collect the x terms on one side first.',
        'Subtract 2x from both sides, so x is only on the left.',
        'You should now have 3x − 7 = 8: add 7 to both sides, then divide by 3.',
      ],
      answer: { kind: 'equation', variable: 'x', value: '5' },
      method:
        'Collect the x terms on one side and the numbers on the other. For example, 4x + 1 = x + 10: subtract x to get 3x + 1 = 10, subtract 1 to get 3x = 9, then divide by 3 to get x = 3.',
      praise: 'Subtract 2x: 3x − 7 = 8; add 7: 3x = 15; divide by 3: x = 5. Check: 5 × 5 − 7 = 18 and 2 × 5 + 8 = 18.',
      mistakes: [
        { value: '15', nudge: '15 is what 3x equals. Divide both sides by 3 to finish.' },
        { value: '1/3', nudge: 'Check the signs: to undo − 7 you add 7 to both sides, not subtract it.' },
      ],
    },
    {
      id: 'brackets',
      prompt: 'Solve 4(x − 2) = 10.',
      hints: [
        'Start by expanding the brackets: multiply both x and −2 by 4.',
        '4(x − 2) is 4x − 8, so the equation becomes 4x − 8 = 10.',
        'Add 8 to both sides, then divide by 4. The answer does not have to be a whole number.',
      ],
      answer: { kind: 'equation', variable: 'x', value: '9/2' },
      method:
        'Either expand the brackets or divide both sides by the number outside first. For example, 3(x + 1) = 12: expand to 3x + 3 = 12, subtract 3 to get 3x = 9, and divide by 3 to get x = 3; or divide by 3 first to get x + 1 = 4.',
      praise: '4x − 8 = 10, so 4x = 18 and x = 18/4 = 4.5 (or 9/2). Check: 4 × (4.5 − 2) = 4 × 2.5 = 10.',
      mistakes: [
        { value: '3', nudge: 'It looks like the −2 was not multiplied by 4 when you expanded the brackets. Multiply every term inside the brackets by 4.' },
        { value: '18', nudge: '18 is what 4x equals. Divide both sides by 4 to find x.' },
      ],
    },
  ],
};
