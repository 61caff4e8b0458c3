import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from './support/renderApp';

describe('signing in with a name', () => {
  it('typing a name and starting shows the lesson list and who is signed in', async () => {
    const { user, studentIds } = renderApp();

    await user.type(screen.getByRole('textbox', { name: 'Your name' }), 'Ada Lovelace');
    await user.click(screen.getByRole('button', { name: 'Start learning' }));

    expect(await screen.findByRole('link', { name: 'Fractions' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Decimals' })).toBeInTheDocument();
    expect(screen.getByRole('banner')).toHaveTextContent('Signed in as Ada Lovelace');
    expect(studentIds).toContain('ada-lovelace');
  });

  it('an empty name is refused with a plain explanation', async () => {
    const { user } = renderApp();

    await user.click(screen.getByRole('button', { name: 'Start learning' }));

    expect(screen.getByRole('alert')).toHaveTextContent('Please type your name.');
    expect(screen.queryByRole('link', { name: 'Fractions' })).not.toBeInTheDocument();
  });

  it('a student who did not log out is still signed in after a reload', async () => {
    renderApp({ signedInAs: 'Grace' });

    expect(await screen.findByRole('link', { name: 'Fractions' })).toBeInTheDocument();
    expect(screen.getByRole('banner')).toHaveTextContent('Signed in as Grace');
  });

  it('logging out returns to the name screen and forgets who was signed in', async () => {
    const { user, unmount, control } = renderApp({ signedInAs: 'Grace' });
    await screen.findByRole('link', { name: 'Fractions' });

    await user.click(screen.getByRole('button', { name: 'Log out' }));

    expect(screen.getByRole('textbox', { name: 'Your name' })).toHaveValue('');
    expect(screen.queryByText(/Signed in as/)).not.toBeInTheDocument();
    expect(control.closedCount).toBeGreaterThan(0);
    unmount();
    renderApp();
    expect(screen.getByRole('textbox', { name: 'Your name' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Fractions' })).not.toBeInTheDocument();
  });

  it('a name used before on this device can be picked instead of typed', async () => {
    const first = renderApp({ signedInAs: 'Grace' });
    await first.user.click(await screen.findByRole('button', { name: 'Log out' }));

    await first.user.click(screen.getByRole('button', { name: 'Continue as Grace' }));

    expect(await screen.findByRole('link', { name: 'Fractions' })).toBeInTheDocument();
    expect(screen.getByRole('banner')).toHaveTextContent('Signed in as Grace');
  });
});
