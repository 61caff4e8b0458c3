import { fakeAuth, PASSPHRASE } from './support/fakeAuth';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { IDBFactory } from 'fake-indexeddb';
import featureFlags from '../../feature-flags.json';
import { App } from '../../src/app/App';
import { saveStudent } from '../../src/app/identity/studentStore';
import { createAppSession } from '../../src/app/resilience/appSession';
import type { CreateSession, StudentSession } from '../../src/app/services/types';
import { createMemoryBreakerStore, memoryStorage, type Clock } from '../../src/resilience';
import { createTestFetch, json, manualClock, networkDown, type Responder, type SentRequest } from './react/runtimeFixture';
import { fractions } from './support/fakeServices';

const lessons = [{ id: 'fractions', title: 'Fractions', summary: 'Halves.', exerciseCount: 2 }];
const CORRECT: Record<string, string> = { f1: '1/2', f2: '5' };

function tutorServer(request: SentRequest) {
  if (request.url === '/api/health') return json(200, { status: 'ok', time: '2026-01-01T00:00:00.000Z' });
  if (request.url === '/api/lessons') return json(200, { lessons });
  if (request.url === '/api/lessons/fractions') return json(200, fractions);
  if (request.url === '/api/progress') return json(200, { student: request.headers['X-Student-Id'], lessons: {}, updatedAt: '2026-01-01T00:00:00.000Z' });
  if (request.url === '/api/answers') {
    const body = request.body as { exerciseId: string; answer: string };
    const correct = CORRECT[body.exerciseId] === body.answer;
    return json(200, { correct, feedback: correct ? 'Correct! Well done.' : 'Not quite. Check each part.', attemptId: `a-${request.headers['Idempotency-Key']}` });
  }
  return json(404, { error: { code: 'NOT_FOUND', message: 'no such thing' } });
}

/** The tutor server, except that answers fail (the network is down for them) until told otherwise. */
const answersDown: Responder = (request) => (request.url === '/api/answers' ? networkDown() : tutorServer(request));

/**
 * The whole app over a real runtime with fake-indexeddb (a fresh database per test, shared by the sessions
 * of one test like a browser profile) and a fetch the test answers for.
 */
function renderOfflineApp(options: { indexedDB?: IDBFactory | null; clock?: Clock; hash?: string; respond?: Responder } = {}) {
  const server = createTestFetch(options.respond ?? tutorServer);
  const indexedDB = options.indexedDB === undefined ? new IDBFactory() : options.indexedDB;
  const sessions: StudentSession[] = [];
  const createSession: CreateSession = (studentId) => {
    const session = createAppSession({
      studentId,
      flags: featureFlags,
      devTools: false,
      fetch: server.fetch,
      storage: memoryStorage(),
      breakerStore: createMemoryBreakerStore(),
      indexedDB,
      answerWaitMs: 2_000,
      ...(options.clock ? { clock: options.clock } : {}),
    });
    sessions.push(session);
    return session;
  };
  saveStudent({ name: 'Ada', id: 'ada' });
  window.location.hash = options.hash ?? '#/lessons/fractions';
  const view = render(<App createSession={createSession} auth={fakeAuth().auth} />);
  return { ...view, server, sessions, indexedDB, createSession, user: userEvent.setup() };
}

async function answer(user: ReturnType<typeof userEvent.setup>, exercise: number, text: string) {
  const card = await screen.findByRole('group', { name: `Exercise ${exercise}` });
  const box = within(card).getByLabelText('Answer');
  await user.clear(box);
  await user.type(box, text);
  await user.click(within(card).getByRole('button', { name: 'Submit answer' }));
  return card;
}

const answersSent = (sent: SentRequest[]) => sent.filter((request) => request.url === '/api/answers');

describe('answers through the durable outbox', () => {
  afterEach(() => {
    window.location.hash = '';
  });

  it('shows the verdict when the server answers in time, sent once with the outbox key', async () => {
    const { user, server, unmount } = renderOfflineApp();
    const card = await answer(user, 1, '1/2');
    expect(await within(card).findByText('Correct')).toBeInTheDocument();
    expect(answersSent(server.sent)).toHaveLength(1);
    expect(answersSent(server.sent)[0]?.headers).toMatchObject({ 'X-Student-Id': 'ada', 'Idempotency-Key': expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(screen.queryByText(/pending/)).not.toBeInTheDocument();
    unmount();
  });

  it('503s while online are sent again inside the wait: the verdict appears with no "Saved offline" in between', async () => {
    // Two: the submit's own pass and the follow-up of "sync now" each meet one, so the wait must send it again.
    let failures = 2;
    const once503: Responder = (request) => {
      if (request.url === '/api/answers' && failures > 0) {
        failures -= 1;
        return json(503, { error: { code: 'UNAVAILABLE', message: 'busy' } });
      }
      return tutorServer(request);
    };
    const { user, server, unmount } = renderOfflineApp({ respond: once503 });
    let sawSavedOffline = false;
    const observer = new MutationObserver(() => {
      if (document.body.textContent?.includes('Saved offline')) sawSavedOffline = true;
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    const card = await answer(user, 1, '1/2');
    expect(await within(card).findByText('Correct')).toBeInTheDocument();
    observer.disconnect();
    expect(sawSavedOffline).toBe(false);
    const keys = answersSent(server.sent).map((request) => request.headers['Idempotency-Key']);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
    unmount();
  });

  it('says "Saved offline" with "1 pending" and "Sync now" when the server cannot be reached, then shows the real outcome after Sync now', async () => {
    const { user, server, unmount } = renderOfflineApp({ respond: answersDown });
    const card = await answer(user, 1, '1/2');
    expect(await within(card).findByText('Saved offline — will sync')).toBeInTheDocument();
    expect(await screen.findByText('1 pending')).toBeInTheDocument();

    server.answerWith(tutorServer);
    await user.click(screen.getByRole('button', { name: 'Sync now' }));
    expect(await within(card).findByText('Correct')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByText(/pending/)).not.toBeInTheDocument());
    expect(screen.queryByRole('button', { name: 'Sync now' })).not.toBeInTheDocument();
    const keys = answersSent(server.sent).map((request) => request.headers['Idempotency-Key']);
    expect(new Set(keys).size).toBe(1); // every attempt of the one answer used the same key
    unmount();
  });

  it('shows "Syncing n of m…" while a long sync runs', async () => {
    const { user, server, unmount } = renderOfflineApp({ respond: answersDown });
    // Each card says "Saved offline" once its wait for the server is over; only then is its button free again.
    const first = await answer(user, 1, '1/3');
    await within(first).findByText('Saved offline — will sync');
    await screen.findByText('1 pending');
    await answer(user, 2, '4');
    await screen.findByText('2 pending');
    await answer(user, 1, '1/2');
    await screen.findByText('3 pending');

    // The server answers the first replay and holds the rest until released.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let answered = 0;
    server.answerWith(async (request) => {
      if (request.url === '/api/answers' && ++answered > 1) await held;
      return tutorServer(request);
    });
    await user.click(screen.getByRole('button', { name: 'Sync now' }));
    expect(await screen.findByText('Syncing 1 of 3…')).toBeInTheDocument();
    release();
    await waitFor(() => expect(screen.queryByText(/pending/)).not.toBeInTheDocument());
    expect(screen.queryByText(/Syncing/)).not.toBeInTheDocument();
    unmount();
  });

  it('lists an answer the server refuses under "Needs your attention"; Retry sends it again with its key', async () => {
    const { user, server, unmount } = renderOfflineApp({
      respond: (request) => (request.url === '/api/answers' ? json(422, { error: { code: 'UNKNOWN_EXERCISE', message: 'No such exercise' } }) : tutorServer(request)),
    });
    const card = await answer(user, 1, '1/2');
    expect(await within(card).findByText('Not accepted by the server')).toBeInTheDocument();
    const attention = await screen.findByRole('region', { name: 'Needs your attention' });
    expect(within(attention).getByText(/^Your answer “1\/2” to Fractions, exercise 1\./)).toBeInTheDocument();
    expect(within(attention).getByText('The server did not accept it.')).toBeInTheDocument();
    expect(screen.queryByText(/pending/)).not.toBeInTheDocument(); // refused work is not "pending"

    server.answerWith(tutorServer);
    await user.click(within(attention).getByRole('button', { name: 'Retry' }));
    expect(await within(card).findByText('Correct')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Needs your attention' })).not.toBeInTheDocument());
    const [first, second] = answersSent(server.sent);
    expect(second?.headers['Idempotency-Key']).toBe(first?.headers['Idempotency-Key']);
    unmount();
  });

  it('Discard drops a refused answer without sending it again', async () => {
    const { user, server, unmount } = renderOfflineApp({
      respond: (request) => (request.url === '/api/answers' ? json(422, { error: { code: 'IDEMPOTENCY_KEY_REUSED', message: 'Key reused' } }) : tutorServer(request)),
    });
    await answer(user, 2, '5');
    const attention = await screen.findByRole('region', { name: 'Needs your attention' });
    await user.click(within(attention).getByRole('button', { name: 'Discard' }));
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Needs your attention' })).not.toBeInTheDocument());
    expect(answersSent(server.sent)).toHaveLength(1);
    unmount();
  });
});

describe('saved copies of lessons', () => {
  it('shows a saved lesson with its age when the server cannot be reached', async () => {
    const clock = manualClock();
    const first = renderOfflineApp({ clock });
    expect(await screen.findByRole('heading', { name: 'Fractions' })).toBeInTheDocument();
    await waitFor(() => expect(first.server.sent.some((request) => request.url === '/api/progress')).toBe(true));
    expect(screen.queryByText(/Saved copy/)).not.toBeInTheDocument();
    first.unmount();

    // Five minutes later the network is gone: the same browser shows its saved copy, and says so.
    clock.advance(5 * 60_000);
    renderOfflineApp({ clock, indexedDB: first.indexedDB, respond: networkDown });
    expect(await screen.findByRole('heading', { name: 'Fractions' })).toBeInTheDocument();
    expect(await screen.findByText("Saved copy from 5 minutes ago — you're offline or the server is having trouble.")).toBeInTheDocument();
  });

  it('log-out forgets the student\'s saved copies but keeps their queued answers, which sync only for them', async () => {
    const { user, server, sessions, unmount } = renderOfflineApp({ respond: answersDown });
    await answer(user, 1, '1/2');
    await screen.findByText('1 pending');
    const ada = sessions.at(-1)?.runtime;
    expect(await ada?.cache.get('ada', 'lesson:fractions')).toBeDefined();
    await user.click(screen.getByRole('button', { name: 'Log out' }));
    await screen.findByLabelText('Your name');

    // Offline, Bob signs in on the same device: nothing of Ada's shows or is replayed.
    server.answerWith(networkDown);
    await user.type(screen.getByLabelText('Your name'), 'Bob');
    await user.type(screen.getByLabelText('Passphrase'), PASSPHRASE);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText(/This lesson could not be loaded/)).toBeInTheDocument();
    const bob = sessions.at(-1)?.runtime;
    expect(await bob?.cache.get('ada', 'lesson:fractions')).toBeUndefined(); // purged at Ada's log-out
    expect(bob?.outbox.snapshot().pending).toBe(0);
    expect(screen.queryByText(/pending/)).not.toBeInTheDocument();

    // Bob leaves; Ada comes back with a connection and her answer syncs, as Ada, exactly once.
    await user.click(screen.getByRole('button', { name: 'Log out' }));
    expect(answersSent(server.sent).some((request) => request.headers['X-Student-Id'] === 'bob')).toBe(false);
    const triedWhileAdaWasHere = answersSent(server.sent).length;
    server.answerWith(tutorServer);
    await user.click(await screen.findByRole('button', { name: 'Continue as Ada' }));
    await user.type(screen.getByLabelText('Passphrase'), PASSPHRASE);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(answersSent(server.sent).length).toBeGreaterThan(triedWhileAdaWasHere));
    const attempts = answersSent(server.sent);
    expect(attempts.every((request) => request.headers['X-Student-Id'] === 'ada')).toBe(true);
    expect(new Set(attempts.map((request) => request.headers['Idempotency-Key'])).size).toBe(1);
    await waitFor(() => expect(screen.queryByText(/pending/)).not.toBeInTheDocument());
    unmount();
  });
});

describe('when this browser cannot save offline', () => {
  it('says so, and an answer sent without a connection fails clearly instead of claiming it was saved', async () => {
    const { user, unmount } = renderOfflineApp({ indexedDB: null, respond: answersDown });
    expect(await screen.findByText('Saving offline is off in this browser — answers need a connection.')).toBeInTheDocument();
    const card = await answer(user, 1, '1/2');
    expect(await within(card).findByRole('alert')).toHaveTextContent(
      "Your answer was not sent. We couldn't reach the server, and saving offline is off in this browser, so answers need a connection.",
    );
    expect(within(card).queryByText('Saved offline — will sync')).not.toBeInTheDocument();
    expect(within(card).getByLabelText('Answer')).toHaveValue('1/2');
    unmount();
  });

  it('still checks answers while the server is reachable', async () => {
    const { user, unmount } = renderOfflineApp({ indexedDB: null });
    const card = await answer(user, 2, '5');
    expect(await within(card).findByText('Correct')).toBeInTheDocument();
    unmount();
  });
});
