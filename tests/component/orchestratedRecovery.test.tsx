import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import featureFlags from '../../feature-flags.json';
import { App } from '../../src/app/App';
import { saveStudent } from '../../src/app/identity/studentStore';
import { createAppSession, type AppSession } from '../../src/app/resilience/appSession';
import { createMemoryBreakerStore, memoryStorage, type ResilienceEvent, type SyncStorageLike } from '../../src/resilience';
import { fakeWebSocketFactory } from '../unit/resilience/helpers/fakeWebSocket';
import { createTestFetch, json, type Responder, type SentRequest } from './react/runtimeFixture';
import { fractions } from './support/fakeServices';

function api(request: SentRequest) {
  if (request.url === '/api/lessons/fractions') return json(200, fractions);
  if (request.url === '/api/progress') return json(200, { student: 'ada', lessons: {}, updatedAt: '2026-01-01T00:00:00.000Z' });
  if (request.url === '/api/health') return json(200, { status: 'ok', time: '2026-01-01T00:00:00.000Z' });
  return json(404, { error: { code: 'NOT_FOUND', message: 'no such thing' } });
}

/** The lesson endpoint answers 503; everything else works. */
const lessonUnavailable: Responder = (request) =>
  request.url === '/api/lessons/fractions' ? json(503, { error: { code: 'UNAVAILABLE', message: 'try later' } }) : api(request);

function withFlags(overrides: Record<string, boolean>) {
  const flags = structuredClone(featureFlags) as { flags: Record<string, { enabled: boolean }> };
  for (const [name, enabled] of Object.entries(overrides)) flags.flags[name] = { ...flags.flags[name], enabled };
  return flags;
}

/** The app on the fractions lesson over a real runtime; `storage` plays the device's localStorage. */
function openLesson(storage: SyncStorageLike, respond: Responder, flags: unknown = featureFlags) {
  const server = createTestFetch(respond);
  const sockets = fakeWebSocketFactory();
  const sessions: AppSession[] = [];
  const events: ResilienceEvent[] = [];
  const createSession = (studentId: string) => {
    const session = createAppSession({
      studentId,
      flags,
      devTools: false,
      fetch: server.fetch,
      storage,
      breakerStore: createMemoryBreakerStore(),
      indexedDB: null, // an empty response cache: only the local snapshot can serve the lesson
      WebSocketImpl: sockets.WebSocketImpl,
      page: { href: 'https://tutor.test/#/lessons/fractions', reload: vi.fn(), chunkErrorSource: null, sessionStorage: memoryStorage() },
    });
    session.runtime.events.subscribe((event) => events.push(event));
    sessions.push(session);
    return session;
  };
  saveStudent({ name: 'Ada', id: 'ada' });
  window.location.hash = '#/lessons/fractions';
  const view = render(<App createSession={createSession} />);
  const session = () => {
    const current = sessions[0];
    if (!current) throw new Error('no session yet');
    return current;
  };
  return { ...view, server, session, events, user: userEvent.setup() };
}

/** A device that opened the lesson once while the server worked (so it holds the lesson's snapshot). */
async function deviceWithSnapshot(): Promise<SyncStorageLike> {
  const device = memoryStorage();
  const first = openLesson(device, api);
  expect(await screen.findByRole('heading', { name: 'Fractions' })).toBeInTheDocument();
  first.unmount();
  return device;
}

describe('lesson loads recovered by the RecoveryOrchestrator', () => {
  afterEach(() => {
    window.location.hash = '';
  });

  it('a lesson answering 503 is recovered through the fallback: the saved copy, labelled, and no escalation', async () => {
    const device = await deviceWithSnapshot();
    const { session, events, server } = openLesson(device, lessonUnavailable);
    expect(await screen.findByText(/^Saved copy from just now/)).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Fractions' })).toBeInTheDocument();
    const runtime = session().runtime;
    expect(runtime.orchestrator.history()).toContainEqual(
      expect.objectContaining({ op: 'lesson_data', status: 'recovered', method: 'fallback', strategy: 'lessonSnapshot', escalated: false }),
    );
    // The snapshot served straight away: no final retry of the lesson request once the fallback answered.
    expect(server.sent.filter((request) => request.url === '/api/lessons/fractions').length).toBeGreaterThan(0);
    expect(events.some((event) => event.type === 'escalation.raised')).toBe(false);
    expect(session().escalations.items()).toEqual([]);
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });

  it('with no saved copy and the lesson failing, the recovery fails and escalates, but no dialog opens: the page says it, and its Try again after the server heals loads the lesson', async () => {
    const { session, events, server, user } = openLesson(memoryStorage(), lessonUnavailable);
    const page = await screen.findByRole('alert', {}, { timeout: 10_000 });
    expect(page).toHaveTextContent(/This lesson could not be loaded/);
    const runtime = session().runtime;
    await waitFor(() => expect(runtime.orchestrator.history()).toContainEqual(expect.objectContaining({ op: 'lesson_data', status: 'failed', escalated: true })));
    expect(events).toContainEqual(expect.objectContaining({ type: 'escalation.raised', op: 'lesson_data', code: 'HTTP_5XX' }));
    expect(session().escalations.items()).toEqual([expect.objectContaining({ op: 'lesson_data', code: 'HTTP_5XX' })]);
    // A single failed lesson open: the page's own error and Try again say it all, no modal on top.
    expect(screen.queryByRole('alertdialog')).toBeNull();
    const lessonRequests = server.sent.filter((request) => request.url === '/api/lessons/fractions').length;

    server.answerWith(api);
    await user.click(within(page).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { name: 'Fractions' })).toBeInTheDocument();
    expect(screen.queryByText(/Saved copy/)).toBeNull();
    expect(server.sent.filter((request) => request.url === '/api/lessons/fractions').length).toBe(lessonRequests + 1);
    await waitFor(() => expect(session().escalations.items()).toEqual([]));
  }, 20_000);

  it('with the orchestrator flag off, the plain fallback path serves the saved copy and nothing is orchestrated', async () => {
    const device = await deviceWithSnapshot();
    const { session, events } = openLesson(device, lessonUnavailable, withFlags({ orchestrator: false }));
    expect(await screen.findByText(/^Saved copy from just now/)).toBeInTheDocument();
    expect(session().runtime.orchestrator.history()).toEqual([]);
    expect(events.some((event) => event.type === 'recovery.started')).toBe(false);
    expect(events).toContainEqual(expect.objectContaining({ type: 'fallback.used', op: 'lesson_data', strategy: 'lessonSnapshot' }));
    await act(async () => undefined);
  });
});
