import { startTestServer, type TestServer } from '../../../helpers/server';
import { freshFactory, outboxRuntime, until } from '../outboxHelpers';

const TOKEN = 'admin-token-for-tests-0123456789';

async function adminItems(server: TestServer): Promise<{ items: { student: string; id: string; status: string; preview?: string; version: number }[] }> {
  return (await fetch(`${server.url}/admin/api/interventions`, { headers: { Authorization: `Bearer ${TOKEN}` } })).json() as never;
}

describe('intervention queue ↔ server', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer({ adminToken: TOKEN });
  });
  afterEach(() => server.close());

  it('a 422 becomes an item, is reported (preview only), and an admin decision reaches the browser at its next poll', async () => {
    const { runtime } = outboxRuntime({
      api: { baseUrl: server.url, fetch: (url, init) => fetch(url, init), extraHeaders: () => ({ 'X-Student-Id': 'ada' }) },
      factory: freshFactory(),
      userId: 'ada',
      escalation: { server: true, commandPollMs: 20 },
    });
    await runtime.escalations.ready();
    const entry = await runtime.outbox.submit({ scope: 'lesson:fractions', user: 'ada', request: { method: 'POST', path: '/api/answers', body: { lessonId: 'fractions', exerciseId: 'no-such-exercise', answer: 'my long reasoning' } } });
    await runtime.outbox.drain();
    await until(() => runtime.escalations.list().length === 1, 'the item');
    const itemId = `outbox:${entry.id}`;
    // The report goes through the outbox: the next drain delivers it.
    await runtime.outbox.drain();
    const reported = async () => (await adminItems(server)).items;
    for (let i = 0; i < 50 && (await reported()).length === 0; i++) await runtime.outbox.drain();
    const [onServer] = await reported();
    expect(onServer).toMatchObject({ student: 'ada', id: itemId, status: 'open' });
    expect(onServer?.preview).toBe('POST /api/answers {lessonId: "fractions", exerciseId: "no-such-exercise", answer: ‹17 chars›}');
    expect(JSON.stringify(await adminItems(server))).not.toContain('reasoning');

    // An admin's decision is queued for this student and the browser's poll fetches it and applies it to the item.
    const resolve = await fetch(`${server.url}/admin/api/interventions/ada/${encodeURIComponent(itemId)}/resolve`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(resolve.status).toBe(200);
    await vi.waitFor(() => expect(runtime.escalations.list()[0]?.status).toBe('resolved'), { timeout: 3000 });
    runtime.dispose();
  });

  it('a tab that becomes visible fetches the admin decision at once (no wait for the period); reports are not pending work', async () => {
    const listeners = new Set<() => void>();
    const visibility = { visibilityState: 'hidden', addEventListener: (_: 'visibilitychange', listener: () => void) => void listeners.add(listener), removeEventListener: (_: 'visibilitychange', listener: () => void) => void listeners.delete(listener) };
    const { runtime } = outboxRuntime({
      api: { baseUrl: server.url, fetch: (url, init) => fetch(url, init), extraHeaders: () => ({ 'X-Student-Id': 'ada' }) },
      factory: freshFactory(),
      userId: 'ada',
      escalation: { server: true, commandPollMs: 3_600_000, visibility },
    });
    await runtime.escalations.ready();
    const entry = await runtime.outbox.submit({ scope: 'lesson:fractions', user: 'ada', request: { method: 'POST', path: '/api/answers', body: { lessonId: 'fractions', exerciseId: 'no-such-exercise', answer: '7' } } });
    await runtime.outbox.drain();
    await until(() => runtime.escalations.list().length === 1, 'the item');
    const itemId = `outbox:${entry.id}`;
    // The report waits in the outbox a moment: it is the runtime's, not an answer of the student's.
    expect(runtime.outbox.snapshot().pending).toBe(0);
    for (let i = 0; i < 50 && (await adminItems(server)).items.length === 0; i++) await runtime.outbox.drain();
    expect((await adminItems(server)).items).toHaveLength(1);
    const resolve = await fetch(`${server.url}/admin/api/interventions/ada/${encodeURIComponent(itemId)}/resolve`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(resolve.status).toBe(200);

    visibility.visibilityState = 'visible';
    listeners.forEach((listener) => listener());
    await vi.waitFor(() => expect(runtime.escalations.list()[0]?.status).toBe('resolved'), { timeout: 3000 });
    runtime.dispose();
    expect(listeners.size).toBe(0);
  });
});
