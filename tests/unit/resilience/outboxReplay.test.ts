import { flagsWith, json, networkError } from './helpers';
import { answer, answerServer, freshFactory, outboxRuntime, seed, settle, until, useOutboxClock } from './outboxHelpers';

beforeEach(() => useOutboxClock());
afterEach(() => vi.useRealTimers());

describe('outbox replay', () => {
  it('submit resolves with a durable entry that a later session finds in IndexedDB', async () => {
    const factory = freshFactory();
    const [entry] = await seed(factory, [answer('lesson:fractions', 1)]);
    expect(entry).toMatchObject({ scope: 'lesson:fractions', user: 'ada', attempts: 0, durable: true, request: { method: 'POST', path: '/api/answers' } });
    expect(entry?.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);

    const server = answerServer();
    const { runtime, ofType } = outboxRuntime({ api: { fetch: server.fetch }, factory, userId: 'ada' });
    await runtime.outbox.drain();
    expect(server.sent).toEqual([expect.objectContaining({ key: entry?.idempotencyKey, user: 'ada' })]);
    expect(runtime.outbox.snapshot()).toMatchObject({ pending: 0, durable: true, draining: false });
    expect(ofType('outbox.drained').at(-1)).toMatchObject({ remaining: 0 });
  });

  it('replays each scope in submit order, scopes side by side', async () => {
    const factory = freshFactory();
    await seed(factory, [answer('A', 1), answer('B', 1), answer('A', 2), answer('C', 1), answer('B', 2), answer('A', 3)]);
    const server = answerServer(async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return json({ correct: true });
    });
    const { runtime, ofType } = outboxRuntime({ api: { fetch: server.fetch }, factory, userId: 'ada' });
    await runtime.outbox.drain();
    const order = (scope: string) => server.sent.filter((s) => s.body.scope === scope).map((s) => s.body.n);
    expect(order('A')).toEqual([1, 2, 3]);
    expect(order('B')).toEqual([1, 2]);
    expect(order('C')).toEqual([1]);
    // Concurrency: B's and C's first entries went out before A's last one.
    expect(server.sent.findIndex((s) => s.body.scope === 'C')).toBeLessThan(server.sent.findIndex((s) => s.body.scope === 'A' && s.body.n === 3));
    expect(ofType('outbox.progress').at(-1)).toMatchObject({ done: 6, total: 6 });
  });

  it('a crash after the server applied an entry but before the delete replays it with the same key', async () => {
    const factory = freshFactory();
    const [entry] = await seed(factory, [answer('A', 1)]);
    const applied: string[] = [];
    // The server applies the answer, but the response never reaches the tab (it is closed first).
    const first = answerServer((sent) => {
      applied.push(sent.key);
      return new Promise<Response>(() => {});
    });
    const tab1 = outboxRuntime({ api: { fetch: first.fetch }, factory, userId: 'ada' });
    void tab1.runtime.outbox.drain();
    await until(() => applied.length === 1, 'the first send');
    tab1.runtime.dispose();

    const second = answerServer((sent) => {
      applied.push(sent.key);
      return json({ correct: true }, 200, { 'Idempotent-Replayed': 'true' });
    });
    const tab2 = outboxRuntime({ api: { fetch: second.fetch }, factory, userId: 'ada' });
    await tab2.runtime.outbox.drain();
    expect(applied).toEqual([entry?.idempotencyKey, entry?.idempotencyKey]);
    expect(tab2.runtime.outbox.snapshot().pending).toBe(0);
  });

  it('keeps an entry that failed and waits out Retry-After before sending it again', async () => {
    const factory = freshFactory();
    await seed(factory, [answer('A', 1)]);
    const server = answerServer(() => json({ error: { code: 'DOWN', message: 'down' } }, 503, { 'retry-after': '30' }));
    const { runtime, ofType } = outboxRuntime({ api: { fetch: server.fetch }, factory, userId: 'ada' });
    await runtime.outbox.drain();
    expect(server.sent).toHaveLength(1);
    expect(runtime.outbox.snapshot()).toMatchObject({ pending: 1, lastError: { code: 'HTTP_5XX' } });
    expect(ofType('outbox.retryScheduled')).toMatchObject([{ attempts: 1, delayMs: 30_000, code: 'HTTP_5XX' }]);

    server.answerWith(() => json({ correct: true }));
    await runtime.outbox.drain(); // a trigger inside the wait does not send early
    await vi.advanceTimersByTimeAsync(29_999);
    expect(server.sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await until(() => runtime.outbox.snapshot().pending === 0, 'the timer-driven replay');
    expect(server.sent).toHaveLength(2);
  });

  it('backs off with jitter from the random seam after a network failure, and "Sync now" skips our own backoff', async () => {
    const factory = freshFactory();
    await seed(factory, [answer('A', 1)]);
    const server = answerServer(() => networkError());
    const { runtime, ofType } = outboxRuntime({ api: { fetch: server.fetch }, factory, userId: 'ada', random: () => 1 });
    await runtime.outbox.drain();
    await runtime.outbox.drain();
    // attempt 1 → 100 ms × (1 + 0.5) = 150 ms with random() = 1; the second drain was not due yet.
    expect(ofType('outbox.retryScheduled')).toMatchObject([{ delayMs: 150, code: 'NETWORK' }]);
    expect(server.sent.filter((s) => s.path.endsWith('/api/answers'))).toHaveLength(1);
    await runtime.outbox.syncNow();
    expect(server.sent.filter((s) => s.path.endsWith('/api/answers'))).toHaveLength(2);
    expect(ofType('outbox.retryScheduled')[1]).toMatchObject({ attempts: 2, delayMs: 300 });
    runtime.dispose();
  });

  it('dead-letters a 422 into the intervention list without blocking its scope or the others', async () => {
    const factory = freshFactory();
    const [bad] = await seed(factory, [answer('A', 1), answer('A', 2), answer('B', 1)]);
    const server = answerServer((sent) =>
      sent.key === bad?.idempotencyKey ? json({ error: { code: 'IDEMPOTENCY_KEY_REUSED', message: 'reused' } }, 422) : json({ correct: true }),
    );
    const { runtime, ofType } = outboxRuntime({ api: { fetch: server.fetch }, factory, userId: 'ada' });
    await runtime.outbox.drain();
    expect(server.sent.map((s) => `${s.body.scope}${s.body.n}`).sort()).toEqual(['A1', 'A2', 'B1']);
    const snapshot = runtime.outbox.snapshot();
    expect(snapshot.pending).toBe(0);
    expect(snapshot.interventions).toMatchObject([{ reason: 'rejected', error: { code: 'HTTP_4XX', status: 422 }, entry: { id: bad?.id, attempts: 1 } }]);
    expect(ofType('outbox.deadLettered')).toMatchObject([{ id: bad?.id, reason: 'rejected', code: 'HTTP_4XX' }]);

    // The student retries: same key, back in the queue, sent, gone from the list.
    server.answerWith(() => json({ correct: true }));
    await runtime.outbox.retry(bad?.id ?? '');
    await runtime.outbox.drain();
    expect(server.sent.at(-1)?.key).toBe(bad?.idempotencyKey);
    expect(runtime.outbox.snapshot()).toMatchObject({ pending: 0, interventions: [] });
  });

  it('discard removes an intervention for good, also from storage', async () => {
    const factory = freshFactory();
    const [bad] = await seed(factory, [answer('A', 1)]);
    const server = answerServer(() => json({ error: { code: 'UNKNOWN_EXERCISE', message: 'no' } }, 422));
    const tab = outboxRuntime({ api: { fetch: server.fetch }, factory, userId: 'ada' });
    await tab.runtime.outbox.drain();
    await tab.runtime.outbox.discard(bad?.id ?? '');
    tab.runtime.dispose();
    const next = outboxRuntime({ api: { fetch: server.fetch }, factory, userId: 'ada' });
    await next.runtime.outbox.drain();
    expect(next.runtime.outbox.snapshot()).toMatchObject({ pending: 0, interventions: [] });
    expect(server.sent).toHaveLength(1);
  });

  it("replays only the signed-in user's entries; another user's wait", async () => {
    const factory = freshFactory();
    await seed(factory, [answer('A', 1, 'ada'), answer('A', 2, 'bob')]);
    const server = answerServer();
    const { runtime } = outboxRuntime({ api: { fetch: server.fetch }, factory, userId: 'bob' });
    await runtime.outbox.drain();
    expect(server.sent).toMatchObject([{ user: 'bob', body: { n: 2 } }]);
    expect(runtime.outbox.snapshot().pending).toBe(0);
    runtime.dispose();
    const ada = outboxRuntime({ api: { fetch: server.fetch }, factory, userId: 'ada' });
    await ada.runtime.outbox.drain();
    expect(server.sent.at(-1)).toMatchObject({ user: 'ada', body: { n: 1 } });
  });

  it('offline pauses replay (no timer burns attempts); connectivity coming back drains', async () => {
    const factory = freshFactory();
    await seed(factory, [answer('A', 1)]);
    let online = false;
    const server = answerServer(() => (online ? json({ correct: true }) : networkError()));
    const { runtime } = outboxRuntime({ api: { fetch: server.fetch }, factory, userId: 'ada' });
    await runtime.outbox.drain();
    await until(() => runtime.connectivity.state() === 'offline', 'the health probe');
    await vi.advanceTimersByTimeAsync(1_999); // the connectivity recheck is at 2 s; the outbox arms nothing while offline
    expect(server.sent.filter((s) => s.path.endsWith('/api/answers'))).toHaveLength(1);
    online = true;
    await vi.advanceTimersByTimeAsync(1);
    await until(() => runtime.outbox.snapshot().pending === 0, 'the replay after the probe succeeded');
    expect(server.sent.filter((s) => s.path.endsWith('/api/answers'))).toHaveLength(2);
  });

  it('answers submitted while known to be offline are stored without starting a doomed pass; coming back drains them', async () => {
    let online = false;
    const server = answerServer(() => (online ? json({ correct: true }) : networkError()));
    const { runtime } = outboxRuntime({ api: { fetch: server.fetch }, factory: freshFactory(), userId: 'ada' });
    await runtime.outbox.submit(answer('A', 1));
    await until(() => runtime.connectivity.state() === 'offline', 'the health probe');
    await until(() => server.sent.some((s) => s.path.endsWith('/api/answers')), 'the failed attempt');
    await runtime.outbox.drain(); // whatever passes were already asked for are over (A1 waits out its backoff)
    const sentWhileOffline = server.sent.length;
    await runtime.outbox.submit(answer('A', 2));
    await runtime.outbox.submit(answer('B', 1));
    await settle();
    expect(server.sent).toHaveLength(sentWhileOffline);
    expect(runtime.outbox.snapshot().pending).toBe(3);
    online = true;
    await vi.advanceTimersByTimeAsync(2_000);
    await until(() => runtime.outbox.snapshot().pending === 0, 'the replay after the probe succeeded');
    const delivered = server.sent.slice(sentWhileOffline).map((s) => `${s.body.scope}${s.body.n}`);
    expect(delivered.filter((name) => name.startsWith('A'))).toEqual(['A1', 'A2']);
    expect(delivered.filter((name) => name.startsWith('B'))).toEqual(['B1']);
  });

  it('a successful request elsewhere kicks a waiting outbox, and overlapping triggers share one drain', async () => {
    const factory = freshFactory();
    await seed(factory, [answer('A', 1)]);
    let online = false;
    const server = answerServer((sent) => (!online ? networkError() : sent.path.endsWith('/api/lessons') ? json({ lessons: [] }) : json({ correct: true })));
    const { runtime } = outboxRuntime({ api: { fetch: server.fetch }, flags: { source: flagsWith({ connectivity: false }) }, factory, userId: 'ada' });
    await runtime.outbox.drain();
    expect(runtime.outbox.snapshot().pending).toBe(1);
    online = true;
    await runtime.api.request({ op: 'lessons.list', method: 'GET', path: '/api/lessons' });
    const [a, b] = [runtime.outbox.drain(), runtime.outbox.syncNow()];
    expect(a).toBe(b);
    await a;
    expect(runtime.outbox.snapshot().pending).toBe(0);
    expect(server.sent.filter((s) => s.path.endsWith('/api/answers'))).toHaveLength(2);
  });
});
