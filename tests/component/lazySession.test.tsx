import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../../src/app/App';
import { saveStudent } from '../../src/app/identity/studentStore';
import type { StudentSession } from '../../src/app/services/types';
import { fakeAuth } from './support/fakeAuth';
import { createFakeServices } from './support/fakeServices';

/** The app as main.tsx builds it: the session's code arrives later, when the test says so. */
function renderWithLateSession() {
  const fake = createFakeServices();
  const pending: Array<{ studentId: string; resolve(session: StudentSession): void; reject(error: unknown): void }> = [];
  const disposed: string[] = [];
  const createSession = (studentId: string) =>
    new Promise<StudentSession>((resolve, reject) => pending.push({ studentId, resolve, reject }));
  const sessionFor = (studentId: string, label: string): StudentSession => ({ studentId, services: fake.services, dispose: () => disposed.push(label) });
  saveStudent({ name: 'Ada', id: 'ada' });
  window.location.hash = '';
  const auth = fakeAuth();
  render(<App createSession={createSession} auth={auth.auth} />);
  return { pending, disposed, sessionFor, user: userEvent.setup() };
}

describe('a session whose code loads after the first load', () => {
  it('shows the header and says it is loading until the session arrives, then the lessons', async () => {
    const { pending, sessionFor } = renderWithLateSession();

    expect(screen.getByRole('banner')).toHaveTextContent('Signed in as Ada');
    expect(screen.getByRole('status')).toHaveTextContent('Loading…');
    expect(screen.queryByRole('link', { name: 'Fractions' })).not.toBeInTheDocument();

    // StrictMode is not on here: one effect, one session asked for.
    expect(pending.map((p) => p.studentId)).toEqual(['ada']);
    await act(async () => pending[0]?.resolve(sessionFor('ada', 'first')));

    expect(await screen.findByRole('link', { name: 'Fractions' })).toBeInTheDocument();
    expect(screen.queryByText('Loading…')).not.toBeInTheDocument();
  });

  it('a session that arrives after the student logged out is disposed at once and never shown', async () => {
    const { pending, disposed, sessionFor, user } = renderWithLateSession();

    await user.click(screen.getByRole('button', { name: 'Log out' }));
    expect(await screen.findByRole('textbox', { name: 'Your name' })).toBeInTheDocument();
    await act(async () => pending[0]?.resolve(sessionFor('ada', 'late')));

    expect(disposed).toEqual(['late']);
    expect(screen.queryByRole('link', { name: 'Fractions' })).not.toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Your name' })).toBeInTheDocument();
  });

  it('a failed load says so, keeps the student signed in, and Try again asks for the session again', async () => {
    const { pending, sessionFor, user } = renderWithLateSession();

    await act(async () => pending[0]?.reject(Object.assign(new TypeError('Failed to fetch dynamically imported module'), { code: 'NETWORK' })));

    expect(screen.getByRole('alert')).toHaveTextContent('The app could not be loaded.');
    expect(screen.getByRole('banner')).toHaveTextContent('Signed in as Ada');
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(screen.getByRole('status')).toHaveTextContent('Loading…');
    expect(pending).toHaveLength(2);
    await act(async () => pending[1]?.resolve(sessionFor('ada', 'second')));

    expect(await screen.findByRole('link', { name: 'Fractions' })).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});
