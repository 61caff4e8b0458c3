import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ResilienceError } from '../../src/resilience';
import { renderApp } from './support/renderApp';

async function openLessonWithTutor() {
  const app = renderApp({ signedInAs: 'Ada', hash: '#/lessons/fractions' });
  await screen.findByRole('heading', { level: 1, name: 'Fractions' });
  // The chat loads in its own chunk, a moment after the lesson.
  const log = await screen.findByRole('log');
  return { ...app, log, input: screen.getByRole('textbox', { name: 'Ask the tutor' }) };
}

describe('asking the tutor', () => {
  it('shows the question, then the reply growing token by token as it streams', async () => {
    const { user, log, input, control } = await openLessonWithTutor();

    await user.type(input, 'What is a quarter?');
    await user.click(screen.getByRole('button', { name: 'Send' }));

    expect(log).toHaveTextContent('You: What is a quarter?');
    expect(input).toHaveValue('');
    const ask = control.asks[0];
    expect(ask).toMatchObject({ lessonId: 'fractions', text: 'What is a quarter?' });
    act(() => ask?.stream('A quarter '));
    expect(log).toHaveTextContent('Tutor: A quarter');
    expect(log).not.toHaveTextContent('one of four');
    act(() => ask?.stream('is one of four equal parts.'));
    expect(log).toHaveTextContent('Tutor: A quarter is one of four equal parts.');
    await act(async () => ask?.finish());
    expect(log).toHaveTextContent('Tutor: A quarter is one of four equal parts.');
    expect(log).not.toHaveTextContent('(');
  });

  it('pressing Enter sends the question', async () => {
    const { user, log, input, control } = await openLessonWithTutor();

    await user.type(input, 'Help{Enter}');

    expect(log).toHaveTextContent('You: Help');
    expect(control.asks).toHaveLength(1);
  });

  it('an empty question is not sent', async () => {
    const { user, input, control } = await openLessonWithTutor();

    await user.type(input, '   {Enter}');

    expect(control.asks).toHaveLength(0);
  });

  it('a reply that did not come live says where it came from', async () => {
    const { user, log, input, control } = await openLessonWithTutor();
    await user.type(input, 'Help{Enter}');

    await act(async () => control.asks[0]?.finish('local-hint', 'Both parts are quarters.'));

    expect(log).toHaveTextContent('Tutor: Both parts are quarters. (offline hint)');
  });

  it('a reply that fails is explained in plain words and the next question still works', async () => {
    const { user, log, input, control } = await openLessonWithTutor();
    await user.type(input, 'First{Enter}');

    await act(async () => control.asks[0]?.fail(new ResilienceError('SOCKET_CLOSED', 'closed 1006')));
    expect(log).toHaveTextContent('The connection to the tutor was lost. Please ask again.');

    await user.type(input, 'Second{Enter}');
    act(() => control.asks[1]?.stream('Sure.'));
    const replies = within(log).getAllByText(/Tutor:/);
    expect(replies).toHaveLength(2);
    expect(log).toHaveTextContent('You: Second');
    expect(log).toHaveTextContent('Tutor: Sure.');
  });
});
