import { startTestServer, type TestServer } from '../../helpers/server';

const TOKEN = 'admin-token-for-tests-0123456789';
const T0 = Date.parse('2030-01-01T10:00:00Z');

const item = (id: string, over: Record<string, unknown> = {}) => ({
  id,
  version: 1,
  kind: 'outboxRejected',
  reasonCode: 'HTTP_4XX',
  status: 'open',
  firstSeenAt: T0,
  lastSeenAt: T0,
  attempts: 1,
  lastError: { code: 'HTTP_4XX', status: 422, message: 'No such exercise' },
  idempotencyKey: `key-${id}`,
  preview: 'POST /api/answers {exerciseId: "ex-9", answer: ‹3 chars›}',
  links: { outboxEntryId: id },
  ...over,
});

function report(server: TestServer, student: string, body: unknown): Promise<Response> {
  return fetch(`${server.url}/api/interventions`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Student-Id': student }, body: JSON.stringify(body) });
}

function admin(server: TestServer, path: string, init: RequestInit = {}, token = TOKEN): Promise<Response> {
  return fetch(`${server.url}/admin/api${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, 'X-Admin-Actor': 'ops.lee', ...(init.body ? { 'Content-Type': 'application/json' } : {}), ...init.headers } });
}

describe('intervention reports and the admin API', () => {
  let server: TestServer;
  let now = T0;
  beforeEach(async () => {
    now = T0;
    server = await startTestServer({ adminToken: TOKEN, now: () => now });
  });
  afterEach(() => server.close());

  it('does not exist without ADMIN_TOKEN and answers 401 to a missing or wrong token', async () => {
    const bare = await startTestServer();
    try {
      expect((await fetch(`${bare.url}/admin/api/interventions`, { headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
    } finally {
      await bare.close();
    }
    expect((await fetch(`${server.url}/admin/api/interventions`)).status).toBe(401);
    expect((await admin(server, '/interventions', {}, `${TOKEN}x`)).status).toBe(401);
    expect((await admin(server, '/audit', {}, 'short')).status).toBe(401);
    expect((await admin(server, '/interventions')).status).toBe(200);
  });

  it('stores reports idempotently by item id and version, for the session student only', async () => {
    expect(await (await report(server, 'ada', item('outbox:1'))).json()).toEqual({ id: 'outbox:1', version: 1, stored: true });
    expect(await (await report(server, 'ada', item('outbox:1'))).json()).toEqual({ id: 'outbox:1', version: 1, stored: false });
    await report(server, 'ada', item('outbox:1', { version: 3, status: 'resolved' }));
    // An older version arriving late changes nothing.
    expect(await (await report(server, 'ada', item('outbox:1', { version: 2, status: 'retrying' }))).json()).toMatchObject({ stored: false });
    await report(server, 'bob', item('outbox:1'));
    const { items, total } = (await (await admin(server, '/interventions')).json()) as { items: { student: string; status: string; version: number }[]; total: number };
    expect(total).toBe(2);
    expect(items.map((i) => [i.student, i.status, i.version]).sort()).toEqual([['ada', 'resolved', 3], ['bob', 'open', 1]]);
    // Anything beyond the item's fields (e.g. the raw payload) is refused.
    expect((await report(server, 'ada', { ...item('outbox:2'), body: { answer: 'secret' } })).status).toBe(400);
  });

  it('filters by status, kind, reason, student, age and search, with paging', async () => {
    for (let n = 0; n < 5; n++) await report(server, n % 2 ? 'bob' : 'ada', item(`outbox:${n}`, { lastSeenAt: T0 + n * 60_000 }));
    await report(server, 'ada', item('recovery:lesson_data:HTTP_5XX', { kind: 'recoveryFailed', reasonCode: 'HTTP_5XX', lastSeenAt: T0 }));
    now = T0 + 10 * 60_000;
    const list = async (query: string) => (await (await admin(server, `/interventions?${query}`)).json()) as { items: { id: string }[]; total: number };
    expect((await list('student=bob')).total).toBe(2);
    expect((await list('kind=recoveryFailed')).items.map((i) => i.id)).toEqual(['recovery:lesson_data:HTTP_5XX']);
    expect((await list('reason=HTTP_4XX&status=open')).total).toBe(5);
    expect((await list('minAgeMs=480000')).total).toBe(4); // last seen at least 8 min ago: 10:00, 10:01, 10:02 and the recovery
    expect((await list('search=lesson_data')).total).toBe(1);
    const first = await list('limit=2&offset=0');
    const second = await list('limit=2&offset=2');
    expect(first.total).toBe(6);
    expect(first.items.map((i) => i.id)).toEqual(['outbox:4', 'outbox:3']);
    expect(second.items.map((i) => i.id)).toEqual(['outbox:2', 'outbox:1']);
    expect((await admin(server, '/interventions?limit=0')).status).toBe(400);
  });

  it('single actions reach the student as commands; bulk needs the preview count and token; everything is audited', async () => {
    await report(server, 'ada', item('outbox:1'));
    await report(server, 'ada', item('outbox:2'));
    await report(server, 'bob', item('outbox:3'));
    const retried = await admin(server, '/interventions/ada/outbox%3A1/retry', { method: 'POST' });
    expect(await retried.json()).toMatchObject({ id: 'outbox:1', status: 'retrying' });
    expect((await admin(server, '/interventions/ada/outbox%3A2/discard', { method: 'POST', body: '{}' })).status).toBe(400);

    const commands = await fetch(`${server.url}/api/interventions/commands?after=0`, { headers: { 'X-Student-Id': 'ada' } });
    expect(await commands.json()).toEqual({ commands: [{ seq: 1, itemId: 'outbox:1', action: 'retry' }] });
    const bobs = await fetch(`${server.url}/api/interventions/commands?after=0`, { headers: { 'X-Student-Id': 'bob' } });
    expect(await bobs.json()).toEqual({ commands: [] });

    const preview = (await (await admin(server, '/interventions/bulk/discard?status=open&preview=1', { method: 'POST' })).json()) as { count: number; confirm: string };
    expect(preview.count).toBe(2);
    // The set changed since the preview: refused.
    await report(server, 'bob', item('outbox:4'));
    const stale = await admin(server, '/interventions/bulk/discard?status=open', { method: 'POST', body: JSON.stringify({ confirm: preview.confirm, count: 2, reason: 'exercise removed' }) });
    expect(stale.status).toBe(409);
    const again = (await (await admin(server, '/interventions/bulk/discard?status=open&preview=1', { method: 'POST' })).json()) as { count: number; confirm: string };
    expect(again.count).toBe(3);
    const done = await admin(server, '/interventions/bulk/discard?status=open', { method: 'POST', body: JSON.stringify({ confirm: again.confirm, count: 3, reason: 'exercise removed' }) });
    expect(await done.json()).toEqual({ action: 'discard', count: 3 });
    expect((await (await admin(server, '/interventions?status=discarded')).json()) as { total: number }).toMatchObject({ total: 3 });

    const audit = (await (await admin(server, '/audit')).json()) as { entries: { actor: string; action: string; target: string }[]; total: number };
    expect(audit.total).toBe(5);
    expect(audit.entries.map((e) => `${e.actor} ${e.action} ${e.target}`)).toEqual([
      'ops.lee bulk.discard filter',
      'ops.lee discard bob/outbox:4',
      'ops.lee discard bob/outbox:3',
      'ops.lee discard ada/outbox:2',
      'ops.lee retry ada/outbox:1',
    ]);
  });
});
