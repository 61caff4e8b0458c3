import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ResilienceError } from '../../src/resilience';
import { renderApp } from './support/renderApp';

async function openFractions() {
  const app = renderApp({ signedInAs: 'Ada', hash: '#/lessons/fractions' });
  const exercise = await screen.findByRole('group', { name: 'Exercise 1' });
  return { ...app, exercise };
}

describe('answering an exercise', () => {
  it('a wrong answer says "Not quite" with feedback, then a right one says "Correct"', async () => {
    const { user, exercise, control } = await openFractions();
    const answer = within(exercise).getByRole('textbox', { name: 'Answer' });

    await user.type(answer, '2/8');
    await user.click(within(exercise).getByRole('button', { name: 'Submit answer' }));
    expect(within(exercise).getByRole('status')).toHaveTextContent('Not quite… Check the size of each part.');

    await user.clear(answer);
    await user.type(answer, '1/2');
    await user.click(within(exercise).getByRole('button', { name: 'Submit answer' }));
    expect(within(exercise).getByRole('status')).toHaveTextContent('Correct Well done.');
    expect(await screen.findByText('1 of 2 done')).toBeInTheDocument();
    expect(control.submitted.at(-1)).toEqual({ lessonId: 'fractions', exerciseId: 'f1', answer: '1/2' });
  });

  it('pressing Enter in the answer box submits it', async () => {
    const { user, exercise } = await openFractions();

    await user.type(within(exercise).getByRole('textbox', { name: 'Answer' }), '1/2{Enter}');

    expect(within(exercise).getByRole('status')).toHaveTextContent('Correct');
  });

  it('the submit button is disabled and busy while the answer is being checked', async () => {
    const { user, exercise, control } = await openFractions();
    const release = control.holdSubmits();
    await user.type(within(exercise).getByRole('textbox', { name: 'Answer' }), '1/2');

    await user.click(within(exercise).getByRole('button', { name: 'Submit answer' }));

    const button = within(exercise).getByRole('button', { name: 'Submit answer' });
    expect(button).toBeDisabled();
    expect(button).toHaveAttribute('aria-busy', 'true');
    expect(within(exercise).getByRole('status')).toHaveTextContent('Checking your answer…');
    release();
    await waitFor(() => expect(button).toBeEnabled());
    expect(within(exercise).getByRole('status')).toHaveTextContent('Correct');
    expect(control.submitted).toHaveLength(1);
  });

  it('only the exercise being answered is busy', async () => {
    const { user, exercise, control } = await openFractions();
    control.holdSubmits();
    await user.type(within(exercise).getByRole('textbox', { name: 'Answer' }), '1/2{Enter}');

    const other = screen.getByRole('group', { name: 'Exercise 2' });
    expect(within(other).getByRole('button', { name: 'Submit answer' })).toBeEnabled();
  });

  it('a failed submit explains the problem in plain words and keeps the typed answer', async () => {
    const { user, exercise, control } = await openFractions();
    control.failNextSubmit(new ResilienceError('NETWORK', 'Failed to fetch'));
    const answer = within(exercise).getByRole('textbox', { name: 'Answer' });

    await user.type(answer, '1/2{Enter}');

    const alert = await within(exercise).findByRole('alert');
    expect(alert).toHaveTextContent("Your answer was not sent. We couldn't reach the server.");
    expect(alert).not.toHaveTextContent('Failed to fetch');
    expect(answer).toHaveValue('1/2');
    expect(within(exercise).getByRole('button', { name: 'Submit answer' })).toBeEnabled();

    await user.click(within(exercise).getByRole('button', { name: 'Submit answer' }));
    expect(within(exercise).getByRole('status')).toHaveTextContent('Correct');
    expect(within(exercise).queryByRole('alert')).not.toBeInTheDocument();
  });
});
