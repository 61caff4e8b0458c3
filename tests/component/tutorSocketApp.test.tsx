import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import featureFlags from '../../feature-flags.json';
import { App } from '../../src/app/App';
import { saveStudent } from '../../src/app/identity/studentStore';
import { createAppSession } from '../../src/app/resilience/appSession';
import type { StudentSession } from '../../src/app/services/types';
import { createMemoryBreakerStore, memoryStorage } from '../../src/resilience';
import { fakeWebSocketFactory, type FakeWebSocket } from '../unit/resilience/helpers/fakeWebSocket';
import { createTestFetch, json, type SentRequest } from './react/runtimeFixture';
import { fractions } from './support/fakeServices';

function api(request: SentRequest) {
  if (request.url === '/api/lessons/fractions') return json(200, fractions);
  if (request.url === '/api/progress') return json(200, { student: 'ada', lessons: {}, updatedAt: '2026-01-01T00:00:00.000Z' });
  if (request.url === '/api/health') return json(200, { ok: true });
  return json(404, { error: { code: 'NOT_FOUND', message: 'no such thing' } });
}

/** The app on a lesson page over a real runtime whose tutor socket is a fake the test plays the server of. */
async function openLesson() {
  const sockets = fakeWebSocketFactory();
  const sessions: StudentSession[] = [];
  const createSession = (studentId: string) => {
    const session = createAppSession({
      studentId,
      flags: featureFlags,
      devTools: false,
      fetch: createTestFetch(api).fetch,
      storage: memoryStorage(),
      breakerStore: createMemoryBreakerStore(),
      indexedDB: null,
      WebSocketImpl: sockets.WebSocketImpl,
      page: { href: 'https://tutor.test/#/lessons/fractions', reload: vi.fn(), chunkErrorSource: null, sessionStorage: memoryStorage() },
    });
    sessions.push(session);
    return session;
  };
  saveStudent({ name: 'Ada', id: 'ada' });
  window.location.hash = '#/lessons/fractions';
  const view = render(<App createSession={createSession} />);
  const log = await screen.findByRole('log');
  return { ...view, sockets, sessions, log, user: userEvent.setup() };
}

function welcome(socket: FakeWebSocket, seq = 0) {
  act(() => {
    socket.accept();
    socket.push({ t: 'welcome', session: 's', seq });
  });
}

const banner = () => screen.getAllByRole('status').find((element) => element.classList.contains('connection-banner'));

describe('the tutor chat over the self-healing socket', () => {
  afterEach(() => {
    window.location.hash = '';
  });

  it('streams a reply through the manager; a drop shows "Reconnecting…", and the reply resumes intact and the banner clears by itself', async () => {
    const { sockets, user, log, unmount } = await openLesson();
    const first = sockets.last();
    expect(first.url).toMatch(/^wss:\/\/tutor\.test\/ws\/tutor\?session=[\w-]+$/);
    welcome(first);

    await user.type(screen.getByRole('textbox', { name: 'Ask the tutor' }), 'What is a quarter?{Enter}');
    const [ask] = first.framesOfType('ask');
    expect(ask).toMatchObject({ lessonId: 'fractions', text: 'What is a quarter?' });
    const id = ask?.id ?? '';
    act(() => first.push({ t: 'token', seq: 1, replyTo: id, text: 'A quarter ' }));
    expect(log).toHaveTextContent('Tutor: A quarter');
    expect(banner()).toBeEmptyDOMElement();

    // The runtime's status reaches the UI in the next frame at the latest (one commit per burst).
    await act(async () => first.drop());
    await waitFor(() => expect(banner()).toHaveTextContent(/^Reconnecting to the live tutor… Lessons and answers still work meanwhile\.$/));

    // The manager reconnects by itself (jittered, ≤ 1.2 s), says hello with lastSeq and asks again by id.
    await waitFor(() => expect(sockets.sockets).toHaveLength(2), { timeout: 3_000 });
    const second = sockets.last();
    expect(banner()).toHaveTextContent(/^Reconnecting to the live tutor… Lessons and answers still work meanwhile\.$/);
    act(() => second.accept());
    expect(second.framesOfType('hello')[0]).toMatchObject({ lastSeq: 1 });
    welcome(second, 1);
    await waitFor(() => expect(banner()).toBeEmptyDOMElement());
    expect(second.framesOfType('ask').map((frame) => frame.id)).toEqual([id]);
    act(() => {
      second.push({ t: 'token', seq: 1, replyTo: id, text: 'A quarter ' }); // re-sent: ignored
      second.push({ t: 'token', seq: 2, replyTo: id, text: 'is one of four equal parts.' });
      second.push({ t: 'done', seq: 3, replyTo: id });
    });
    await waitFor(() => expect(log.querySelector('[aria-busy="true"]')).toBeNull());
    expect(log).toHaveTextContent('Tutor: A quarter is one of four equal parts.');
    expect(log).not.toHaveTextContent('A quarter A quarter');
    unmount();
  });

  it('a question asked while the socket is down is sent once it is back, and log-out closes the socket', async () => {
    const { sockets, user, log, sessions, unmount } = await openLesson();
    const first = sockets.last();
    welcome(first);
    act(() => first.drop());

    await user.type(screen.getByRole('textbox', { name: 'Ask the tutor' }), 'Hint?{Enter}');
    expect(log).toHaveTextContent('You: Hint?');
    await waitFor(() => expect(sockets.sockets).toHaveLength(2), { timeout: 3_000 });
    const second = sockets.last();
    welcome(second);
    const [ask] = second.framesOfType('ask');
    act(() => {
      second.push({ t: 'token', seq: 1, replyTo: ask?.id ?? '', text: 'Count the parts.' });
      second.push({ t: 'done', seq: 2, replyTo: ask?.id ?? '' });
    });
    await waitFor(() => expect(log).toHaveTextContent('Tutor: Count the parts.'));

    sessions.at(-1)?.dispose();
    expect(second.closedWith).not.toBeNull();
    unmount();
  });
});
