import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { PASSPHRASE } from './support/fakeAuth';
import { renderApp } from './support/renderApp';

type User = ReturnType<typeof renderApp>['user'];

async function signIn(user: User, name: string, passphrase = PASSPHRASE) {
  if (name !== '') await user.type(screen.getByRole('textbox', { name: 'Your name' }), name);
  if (passphrase !== '') await user.type(screen.getByLabelText('Passphrase'), passphrase);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('signing in with a name and a passphrase', () => {
  it('signing in shows the lesson list, and the student id comes from the session', async () => {
    const { user, studentIds, auth } = renderApp();

    await signIn(user, 'Ada Lovelace');

    expect(await screen.findByRole('link', { name: 'Fractions' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Decimals' })).toBeInTheDocument();
    expect(screen.getByRole('banner')).toHaveTextContent('Signed in as Ada Lovelace');
    expect(studentIds).toEqual(['ada-lovelace']);
    expect(auth.calls).toEqual(['signIn Ada Lovelace']);
  });

  it('an empty name or a short passphrase is refused with a plain explanation, before asking the server', async () => {
    const { user, auth } = renderApp();

    await signIn(user, '', '');
    expect(screen.getByRole('alert')).toHaveTextContent('Please type your name.');
    await signIn(user, 'Ada', 'abc');
    expect(screen.getByRole('alert')).toHaveTextContent('Please use a passphrase of at least 6 characters');
    expect(screen.queryByRole('link', { name: 'Fractions' })).not.toBeInTheDocument();
    expect(auth.calls).toEqual([]);
  });

  it('a wrong passphrase for a claimed name says so and keeps the student out', async () => {
    const { user, auth } = renderApp();
    await auth.auth.signIn('Ada', PASSPHRASE);

    await signIn(user, 'Ada', 'not my passphrase');

    expect(await screen.findByRole('alert')).toHaveTextContent('That passphrase does not match the name "Ada".');
    expect(screen.getByLabelText('Passphrase')).toHaveValue('');
    expect(screen.queryByText(/Signed in as/)).not.toBeInTheDocument();
  });

  it('too many attempts says how long to wait', async () => {
    const { user, auth } = renderApp();
    auth.control.nextSignIn = { ok: false, problem: { kind: 'tooManyAttempts', retryAfterSeconds: 900 } };

    await signIn(user, 'Ada');

    expect(await screen.findByRole('alert')).toHaveTextContent('Too many tries. Please wait 15 minutes and try again.');
  });

  it('a student who did not log out is still signed in after a reload', async () => {
    renderApp({ signedInAs: 'Grace' });

    expect(await screen.findByRole('link', { name: 'Fractions' })).toBeInTheDocument();
    expect(screen.getByRole('banner')).toHaveTextContent('Signed in as Grace');
  });

  it('logging out signs out at the server, returns to the sign-in screen and forgets who was signed in', async () => {
    const { user, unmount, control, auth } = renderApp({ signedInAs: 'Grace' });
    await screen.findByRole('link', { name: 'Fractions' });

    await user.click(screen.getByRole('button', { name: 'Log out' }));

    expect(await screen.findByRole('textbox', { name: 'Your name' })).toHaveValue('');
    expect(auth.calls).toEqual(['signOut']);
    expect(screen.queryByText(/Signed in as/)).not.toBeInTheDocument();
    expect(control.closedCount).toBeGreaterThan(0);
    unmount();
    renderApp();
    expect(screen.getByRole('textbox', { name: 'Your name' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Fractions' })).not.toBeInTheDocument();
  });

  it('a name used before on this device can be picked, then needs its passphrase', async () => {
    const first = renderApp({ signedInAs: 'Grace' });
    await first.user.click(await screen.findByRole('button', { name: 'Log out' }));

    await first.user.click(await screen.findByRole('button', { name: 'Continue as Grace' }));
    expect(screen.getByRole('textbox', { name: 'Your name' })).toHaveValue('Grace');
    expect(screen.getByLabelText('Passphrase')).toHaveFocus();
    await signIn(first.user, '');

    expect(await screen.findByRole('link', { name: 'Fractions' })).toBeInTheDocument();
    expect(screen.getByRole('banner')).toHaveTextContent('Signed in as Grace');
  });
});
