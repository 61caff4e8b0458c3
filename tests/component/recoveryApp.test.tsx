import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { IDBFactory } from 'fake-indexeddb';
import featureFlags from '../../feature-flags.json';
import { App } from '../../src/app/App';
import { saveStudent } from '../../src/app/identity/studentStore';
import { createAppSession } from '../../src/app/resilience/appSession';
import type { StudentSession } from '../../src/app/services/types';
import { createMemoryBreakerStore, memoryStorage, type SyncStorageLike } from '../../src/resilience';
import { fakeWebSocketFactory } from '../unit/resilience/helpers/fakeWebSocket';
import { createTestFetch, json, networkDown, type Responder, type SentRequest } from './react/runtimeFixture';
import { fractions } from './support/fakeServices';

function api(request: SentRequest) {
  if (request.url === '/api/lessons/fractions') return json(200, fractions);
  if (request.url === '/api/progress') return json(200, { student: 'ada', lessons: { fractions: { completed: ['f1'], attempts: 1 } }, updatedAt: '2026-01-01T00:00:00.000Z' });
  if (request.url === '/api/health') return json(200, { status: 'ok', time: '2026-01-01T00:00:00.000Z' });
  return json(404, { error: { code: 'NOT_FOUND', message: 'no such thing' } });
}

/** The app on the fractions lesson over a real runtime; `storage` plays the device's localStorage. */
function openLesson(storage: SyncStorageLike, respond: Responder, indexedDB: IDBFactory | null = null) {
  const server = createTestFetch(respond);
  const sockets = fakeWebSocketFactory();
  const sessions: StudentSession[] = [];
  const reload = vi.fn();
  const createSession = (studentId: string) => {
    const session = createAppSession({
      studentId,
      flags: featureFlags,
      devTools: false,
      fetch: server.fetch,
      storage,
      breakerStore: createMemoryBreakerStore(),
      indexedDB, // null by default: an empty response cache, so only the local snapshot can serve the lesson
      WebSocketImpl: sockets.WebSocketImpl,
      page: { href: 'https://tutor.test/#/lessons/fractions', reload, chunkErrorSource: null, sessionStorage: memoryStorage() },
    });
    sessions.push(session);
    return session;
  };
  saveStudent({ name: 'Ada', id: 'ada' });
  window.location.hash = '#/lessons/fractions';
  const view = render(<App createSession={createSession} />);
  return { ...view, server, sessions, reload, user: userEvent.setup() };
}

describe('the app with the server down', () => {
  afterEach(() => {
    window.location.hash = '';
  });

  it('opens the lesson from its local snapshot, answers with an offline hint, and refreshes by itself when the server is back', async () => {
    const device = memoryStorage();
    const first = openLesson(device, api);
    expect(await screen.findByRole('heading', { name: 'Fractions' })).toBeInTheDocument();
    await waitFor(() => expect(first.server.sent.some((request) => request.url === '/api/progress')).toBe(true));
    first.unmount();

    const { server, sessions, reload, user } = openLesson(device, networkDown);
    expect(await screen.findByRole('heading', { name: 'Fractions' })).toBeInTheDocument();
    expect(await screen.findByText(/^Saved copy from just now/)).toBeInTheDocument();
    await act(async () => {
      window.dispatchEvent(new Event('offline'));
      await sessions[0]?.runtime?.connectivity.probe('test');
    });

    // The first exercise is done (progress said so): the hint is for the second, labelled as offline.
    await user.type(await screen.findByRole('textbox', { name: 'Ask the tutor' }), 'I am stuck{Enter}');
    const log = screen.getByRole('log');
    await waitFor(() => expect(log).toHaveTextContent(/hints for exercise 2/));
    expect(within(log).getByText('(offline hint)')).toBeInTheDocument();

    server.answerWith(api);
    await act(async () => {
      window.dispatchEvent(new Event('online'));
      await sessions[0]?.runtime?.connectivity.probe('test');
    });
    await waitFor(() => expect(screen.queryByText(/Saved copy/)).not.toBeInTheDocument());
    expect(screen.getByRole('heading', { name: 'Fractions' })).toBeInTheDocument();
    expect(sessions).toHaveLength(1);
    expect(reload).not.toHaveBeenCalled();
  });

  it('going offline with an answer safely queued opens no dialog: the banner and the pending count say it, and the page stays usable', async () => {
    const answersDown: Responder = (request) => (request.url === '/api/answers' ? networkDown() : api(request));
    const { server, sessions, user } = openLesson(memoryStorage(), answersDown, new IDBFactory());
    const card = await screen.findByRole('group', { name: 'Exercise 1' });
    await user.type(within(card).getByLabelText('Answer'), '1/2');
    await user.click(within(card).getByRole('button', { name: 'Submit answer' }));
    expect(await screen.findByText('1 pending')).toBeInTheDocument();

    server.answerWith(networkDown);
    const nextAnswer = within(screen.getByRole('group', { name: 'Exercise 2' })).getByLabelText('Answer');
    nextAnswer.focus();
    await act(async () => {
      window.dispatchEvent(new Event('offline'));
      await sessions[0]?.runtime?.connectivity.probe('test');
    });
    // The UI store commits at most once per frame: the banner follows within one.
    await waitFor(() => expect(document.querySelector('.connection-banner')?.textContent ?? '').toMatch(/^Offline — you can keep reading and answering: answers are saved on this device/));
    expect(screen.getByText('1 pending')).toBeInTheDocument();
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(nextAnswer).toHaveFocus();
    await user.type(nextAnswer, '1/4');
    expect(nextAnswer).toHaveValue('1/4');
    await user.type(screen.getByRole('textbox', { name: 'Ask the tutor' }), 'help');
    await user.click(screen.getByRole('button', { name: 'Send' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });
});
