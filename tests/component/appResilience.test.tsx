import { render, screen, waitFor, within } from '@testing-library/react';
import { IDBFactory } from 'fake-indexeddb';
import userEvent from '@testing-library/user-event';
import featureFlags from '../../feature-flags.json';
import { App } from '../../src/app/App';
import { saveStudent } from '../../src/app/identity/studentStore';
import { createAppSession } from '../../src/app/resilience/appSession';
import { createRuntimeServices } from '../../src/app/services/runtimeServices';
import type { CreateSession, StudentSession } from '../../src/app/services/types';
import { createMemoryBreakerStore, memoryStorage } from '../../src/resilience';
import { createTestFetch, createTestRuntime, json, type SentRequest } from './react/runtimeFixture';
import { fractions } from './support/fakeServices';

const lessons = [{ id: 'fractions', title: 'Fractions', summary: 'Halves.', exerciseCount: 2 }];

function tutorServer(request: SentRequest) {
  // jsdom's tutor socket cannot connect, and a lost socket makes connectivity probe the health endpoint.
  if (request.url === '/api/health') return json(200, { status: 'ok', time: '2026-01-01T00:00:00.000Z' });
  if (request.url === '/api/lessons') return json(200, { lessons });
  if (request.url === '/api/lessons/fractions') return json(200, fractions);
  if (request.url === '/api/progress') return json(200, { student: 'ada', lessons: {}, updatedAt: '2026-01-01T00:00:00.000Z' });
  if (request.url === '/api/answers') return json(200, { correct: true, feedback: 'Well done.', attemptId: 'a1' });
  return json(404, { error: { code: 'NOT_FOUND', message: 'no such thing' } });
}

function renderWithRuntime(options: { devTools: boolean; hash?: string }) {
  const server = createTestFetch(tutorServer);
  const sessions: StudentSession[] = [];
  const createSession: CreateSession = (studentId) => {
    const session = createAppSession({
      studentId,
      flags: featureFlags,
      devTools: options.devTools,
      fetch: server.fetch,
      storage: memoryStorage(),
      breakerStore: createMemoryBreakerStore(),
      indexedDB: new IDBFactory(),
    });
    sessions.push(session);
    return session;
  };
  saveStudent({ name: 'Ada', id: 'ada' });
  window.location.hash = options.hash ?? '';
  const view = render(<App createSession={createSession} devTools={options.devTools} />);
  return { ...view, server, sessions, user: userEvent.setup() };
}

describe('the app over the resilience runtime', () => {
  it('loads lessons through the runtime with the student id, and shows an empty connection banner', async () => {
    const { server, sessions } = renderWithRuntime({ devTools: false });
    expect(await screen.findByRole('link', { name: 'Fractions' })).toBeInTheDocument();
    expect(server.sent[0]).toMatchObject({ url: '/api/lessons', method: 'GET', headers: { 'X-Student-Id': 'ada' } });
    expect(screen.getByRole('status')).toBeEmptyDOMElement();
    expect(sessions.at(-1)?.runtime?.flags.snapshot().overridesAllowed).toBe(false);
  });

  it('sends each answer with its own Idempotency-Key', async () => {
    const { server, user } = renderWithRuntime({ devTools: false, hash: '#/lessons/fractions' });
    const first = await screen.findByRole('group', { name: 'Exercise 1' });
    await user.type(within(first).getByLabelText('Answer'), '1/2');
    await user.click(within(first).getByRole('button', { name: 'Submit answer' }));
    await within(first).findByText('Correct');
    await user.click(within(first).getByRole('button', { name: 'Submit answer' }));
    await waitFor(() => expect(server.sent.filter((r) => r.url === '/api/answers')).toHaveLength(2));
    const keys = server.sent.filter((r) => r.url === '/api/answers').map((r) => r.headers['Idempotency-Key']);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).not.toBe(keys[0]);
  });

  it('has no developer panel when dev tools are not allowed, and one when they are', async () => {
    const plain = renderWithRuntime({ devTools: false });
    await screen.findByRole('link', { name: 'Fractions' });
    expect(screen.queryByRole('button', { name: 'Developer tools' })).not.toBeInTheDocument();
    plain.unmount();
    renderWithRuntime({ devTools: true });
    await screen.findByRole('link', { name: 'Fractions' });
    expect(await screen.findByRole('button', { name: 'Developer tools' })).toBeInTheDocument();
  });

  it('disposes the student\'s runtime on log-out', async () => {
    const { user, sessions } = renderWithRuntime({ devTools: false });
    await screen.findByRole('link', { name: 'Fractions' });
    const session = sessions.at(-1);
    const dispose = vi.spyOn(session as StudentSession, 'dispose');
    await user.click(screen.getByRole('button', { name: 'Log out' }));
    await waitFor(() => expect(dispose).toHaveBeenCalled());
    await screen.findByLabelText('Your name');
  });
});

describe('runtime services', () => {
  it('reject with the code and status the UI words errors by', async () => {
    const server = createTestFetch(tutorServer);
    const runtime = createTestRuntime(server.fetch);
    const services = createRuntimeServices({ runtime, studentId: 'ada' });
    await expect(services.lessons.get('astrophysics')).rejects.toMatchObject({ code: 'HTTP_4XX', status: 404 });
    runtime.dispose();
  });
});
