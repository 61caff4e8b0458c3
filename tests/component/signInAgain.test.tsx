import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { IDBFactory } from 'fake-indexeddb';
import featureFlags from '../../feature-flags.json';
import { App } from '../../src/app/App';
import { saveStudent } from '../../src/app/identity/studentStore';
import { createAppSession } from '../../src/app/resilience/appSession';
import type { CreateSession } from '../../src/app/services/types';
import { createMemoryBreakerStore, memoryStorage } from '../../src/resilience';
import { createTestFetch, json, networkDown, type SentRequest } from './react/runtimeFixture';
import { fakeAuth, PASSPHRASE } from './support/fakeAuth';
import { fractions } from './support/fakeServices';

type SessionState = 'live' | 'ended';

/** The tutor server with a session that can end: student routes then answer 401 SESSION_EXPIRED. */
function sessionServer() {
  const state = { session: 'live' as SessionState, answersReachable: true };
  const fetch = createTestFetch((request: SentRequest) => {
    if (request.url === '/api/health') return json(200, { status: 'ok', time: '2026-01-01T00:00:00.000Z' });
    if (request.url === '/api/lessons') return json(200, { lessons: [{ id: 'fractions', title: 'Fractions', summary: 'Halves.', exerciseCount: 2 }] });
    if (request.url === '/api/lessons/fractions') return json(200, fractions);
    if (state.session === 'ended') return json(401, { error: { code: 'SESSION_EXPIRED', message: 'Your session has ended; sign in again.' } });
    if (request.url === '/api/progress') return json(200, { student: 'ada', lessons: {}, updatedAt: '2026-01-01T00:00:00.000Z' });
    if (request.url === '/api/answers') {
      if (!state.answersReachable) return networkDown();
      return json(200, { correct: true, feedback: 'Correct! Well done.', attemptId: `a-${request.headers['Idempotency-Key']}` });
    }
    return json(404, { error: { code: 'NOT_FOUND', message: 'no such thing' } });
  });
  return { ...fetch, state };
}

async function answer(user: ReturnType<typeof userEvent.setup>, exercise: number, text: string) {
  const card = await screen.findByRole('group', { name: `Exercise ${exercise}` });
  await user.type(within(card).getByLabelText('Answer'), text);
  await user.click(within(card).getByRole('button', { name: 'Submit answer' }));
}

describe('when the sign-in ends with answers waiting', () => {
  afterEach(() => {
    window.location.hash = '';
  });

  it('says "Sign in again to sync 2 answers", and after the passphrase they sync, each once, without a dead letter', async () => {
    const server = sessionServer();
    const auth = fakeAuth();
    const createSession: CreateSession = (studentId) =>
      createAppSession({ studentId, flags: featureFlags, devTools: false, fetch: server.fetch, storage: memoryStorage(), breakerStore: createMemoryBreakerStore(), indexedDB: new IDBFactory(), answerWaitMs: 2_000, sessionApi: auth.auth });
    saveStudent({ name: 'Ada', id: 'ada' });
    window.location.hash = '#/lessons/fractions';
    const { unmount } = render(<App createSession={createSession} auth={auth.auth} />);
    const user = userEvent.setup();

    server.state.answersReachable = false;
    await answer(user, 1, '1/2');
    await answer(user, 2, '5');
    await screen.findByText('2 pending');

    // The session ends; refreshing it needs the student. The next sync pauses instead of failing the answers.
    server.state.session = 'ended';
    server.state.answersReachable = true;
    auth.control.refreshAnswers = 'ended';
    await user.click(screen.getByRole('button', { name: 'Sync now' }));
    expect(await screen.findByRole('heading', { name: 'Sign in again to sync 2 answers' })).toBeInTheDocument();
    expect(auth.calls).toContain('refresh');
    expect(screen.getByText('2 pending')).toBeInTheDocument();
    expect(screen.queryByText(/Needs your attention/)).not.toBeInTheDocument();

    // Signing in again (same student) resumes the replay.
    server.state.session = 'live';
    await user.type(screen.getByLabelText('Passphrase for Ada'), PASSPHRASE);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(screen.queryByText(/pending/)).not.toBeInTheDocument());
    expect(screen.queryByRole('heading', { name: /Sign in again/ })).not.toBeInTheDocument();
    const applied = server.sent.filter((request) => request.url === '/api/answers' && request.headers['Idempotency-Key'] !== undefined);
    expect(new Set(applied.map((request) => request.headers['Idempotency-Key'])).size).toBe(2);
    expect(applied.every((request) => request.headers['X-Student-Id'] === 'ada')).toBe(true);
    unmount();
    // Real timers and a real runtime: under a loaded machine this takes longer than the 5 s default.
  }, 20_000);
});
