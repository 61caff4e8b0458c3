import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
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
function openLesson(storage: SyncStorageLike, respond: Responder) {
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
      indexedDB: null, // an empty response cache: only the local snapshot can serve the lesson
      WebSocketImpl: sockets.WebSocketImpl,
      page: { href: 'https://tutor.test/#/lessons/fractions', reload, chunkErrorSource: null, sessionStorage: memoryStorage() },
    });
    sessions.push(session);
    return session;
  };
  saveStudent('Ada');
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
});
