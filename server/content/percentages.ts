import type { LessonContent } from './types';

export const percentages: LessonContent = {
  id: 'percentages',
  title: 'Percentages',
  summary: 'Writing fractions as percentages, percentages of amounts, discounts and percentage change.',
  introduction:
    'Per cent means "out of 100", so 35% is 35/100, which is 0.35. To turn a fraction or a decimal into a percentage, multiply it by 100. ' +
    'To find a percentage of an amount, write the percentage as a decimal or a fraction and multiply: 10% of 70 is 0.1 × 70 = 7. You can also build percentages from easy pieces: 10% is a tenth, 5% is half of that, 1% is a hundredth. ' +
    'Percentages describe change too: a percentage increase or decrease is the change divided by the original amount, multiplied by 100.',
  keyIdeas: [
    'per cent means out of 100, so 35% is the same as 35/100 or 0.35',
    'to turn a fraction or a decimal into a percentage, multiply it by 100',
    'to find a percentage of an amount, write the percentage as a decimal and multiply, or find 10% or 1% first and build up from there',
    'after a discount of p%, you pay (100 − p)% of the original price',
    'percentage change is the change divided by the original amount, times 100; always divide by the original, not by the new value',
  ],
  exercises: [
    {
      id: 'fraction-to-percent',
      prompt: 'Write 3/4 as a percentage.',
      hints: [
        'A percentage is a number out of 100.',
        'Find an equivalent fraction with denominator 100: what do you multiply 4 by to get 100?',
        'Multiply the top and the bottom of 3/4 by 25; the new top number is the percentage.',
      ],
      answer: { kind: 'percent', value: '75' },
      method:
        'Either make the denominator 100, or divide and then multiply by 100. For example, 2/5 = 40/100 = 40%, or 2 ÷ 5 = 0.4 and 0.4 × 100 = 40%.',
      praise: '3/4 = 75/100 = 75%.',
      mistakes: [],
    },
    {
      id: 'percent-of-amount',
      prompt: 'What is 20% of 50?',
      hints: [
        '20% means 20 out of every 100.',
        'Find 10% of 50 first, by dividing 50 by 10.',
        '20% is twice 10%, so double what you found for 10%.',
      ],
      answer: { kind: 'number', value: '10' },
      method:
        'Find 10% by dividing by 10, then scale up. For example, for 30% of 40: 10% is 4, so 30% is 3 × 4 = 12. Or multiply by the decimal: 0.3 × 40 = 12.',
      praise: '10% of 50 is 5, so 20% is 10.',
      mistakes: [
        { value: '2.5', nudge: 'It looks like you divided 50 by 20. Finding 20% means taking 20 hundredths of 50, not dividing by 20.' },
        { value: '40', nudge: 'That is what is left after taking 20% away. The question asks for 20% of 50 itself.' },
      ],
    },
    {
      id: 'percent-of-amount-2',
      prompt: 'What is 15% of 80?',
      hints: [
        'Split 15% into 10% and 5%.',
        '10% of 80 is 80 ÷ 10, and 5% is half of 10%.',
        'Add your 10% and your 5% together.',
      ],
      answer: { kind: 'number', value: '12' },
      method:
        'Break the percentage into easy pieces such as 10%, 5% and 1%. For example, 15% of 60: 10% is 6 and 5% is 3, so 15% is 9.',
      praise: '10% of 80 is 8 and 5% is 4, so 15% is 8 + 4 = 12.',
      mistakes: [
        { value: '68', nudge: 'That is 80 minus 15% of 80. The question only asks for 15% of 80.' },
        { value: '8', nudge: 'That is 10% of 80, a good start. Now add on 5% as well.' },
      ],
    },
    {
      id: 'discount',
      prompt: 'A jacket costs £40 and is reduced by 25% in a sale. What is the sale price, in pounds?',
      hints: [
        'First work out how much money the 25% discount takes off.',
        '25% is a quarter, so the discount is 40 ÷ 4 pounds.',
        'Subtract the discount from the original price of £40.',
      ],
      answer: { kind: 'number', value: '30' },
      method:
        'Either find the discount and subtract it, or find the percentage you still pay. For example, 20% off £50: the discount is £10, so you pay £40; or you pay 80% of £50, which is also £40.',
      praise: 'The discount is £10, so the jacket costs £40 − £10 = £30.',
      mistakes: [
        { value: '10', nudge: 'That is the discount, the amount taken off. The question asks for the price you pay after the discount.' },
        { value: '50', nudge: 'A reduction makes the price smaller, so subtract the discount instead of adding it.' },
      ],
    },
    {
      id: 'percent-increase',
      prompt: 'A plant grows from 20 cm to 25 cm. What is the percentage increase?',
      hints: [
        'First find how many centimetres the plant grew.',
        'Percentage change is the change divided by the original height, times 100.',
        'The original height is 20 cm: divide the growth by 20, then multiply by 100.',
      ],
      answer: { kind: 'percent', value: '25' },
      method:
        'Find the change, divide it by the original amount, then multiply by 100. For example, from 50 to 60 the change is 10, 10 ÷ 50 = 0.2, and 0.2 × 100 = 20, so that is a 20% increase.',
      praise: 'It grew 5 cm, and 5 ÷ 20 × 100 = 25%.',
      mistakes: [
        { value: '20', nudge: 'It looks like you divided the growth by the new height. Percentage change is always measured against the original amount.' },
        { value: '5', nudge: '5 cm is how much the plant grew. Now write that growth as a percentage of the original height.' },
      ],
    },
  ],
};
