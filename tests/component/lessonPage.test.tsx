import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createFakeServices } from './support/fakeServices';
import { renderApp } from './support/renderApp';

describe('lessons', () => {
  it('opening a lesson shows its introduction, its exercises and the progress so far', async () => {
    const { user } = renderApp({ signedInAs: 'Ada', services: createFakeServices({ completed: ['f2'] }) });

    await user.click(await screen.findByRole('link', { name: 'Fractions' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Fractions' })).toBeInTheDocument();
    expect(screen.getByText('A fraction is a part of a whole.')).toBeInTheDocument();
    const first = screen.getByRole('group', { name: 'Exercise 1' });
    expect(within(first).getByText('What is 1/4 + 1/4?')).toBeInTheDocument();
    expect(within(first).getByRole('textbox', { name: 'Answer' })).toBeInTheDocument();
    expect(screen.getByRole('group', { name: 'Exercise 2' })).toBeInTheDocument();
    expect(await screen.findByText('1 of 2 done')).toBeInTheDocument();
  });

  it('a reload on a lesson address stays on that lesson', async () => {
    renderApp({ signedInAs: 'Ada', hash: '#/lessons/decimals' });

    expect(await screen.findByRole('heading', { level: 1, name: 'Decimals' })).toBeInTheDocument();
  });

  it('the back link returns to the list of lessons', async () => {
    const { user } = renderApp({ signedInAs: 'Ada', hash: '#/lessons/decimals' });
    await screen.findByRole('heading', { level: 1, name: 'Decimals' });

    await user.click(screen.getByRole('link', { name: /All lessons/ }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Lessons' })).toBeInTheDocument();
  });

  it('a lesson that does not exist is explained in plain words', async () => {
    renderApp({ signedInAs: 'Ada', hash: '#/lessons/astrophysics' });

    expect(await screen.findByRole('alert')).toHaveTextContent("We couldn't find that");
  });

  it('hints are revealed one at a time', async () => {
    const { user } = renderApp({ signedInAs: 'Ada', hash: '#/lessons/fractions' });
    const exercise = await screen.findByRole('group', { name: 'Exercise 1' });

    expect(within(exercise).queryByText('Both parts are quarters.')).not.toBeInTheDocument();
    await user.click(within(exercise).getByRole('button', { name: 'Show hint' }));
    expect(within(exercise).getByText('Both parts are quarters.')).toBeInTheDocument();
    expect(within(exercise).queryByText('Two quarters make a half.')).not.toBeInTheDocument();
    await user.click(within(exercise).getByRole('button', { name: 'Show hint' }));
    expect(within(exercise).getByText('Two quarters make a half.')).toBeInTheDocument();
    expect(within(exercise).queryByRole('button', { name: 'Show hint' })).not.toBeInTheDocument();
  });
});
