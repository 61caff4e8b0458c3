import { json, networkError } from './helpers';
import { answer, answerServer, freshFactory, outboxRuntime, seed, until, useOutboxClock } from './outboxHelpers';

beforeEach(() => useOutboxClock());
afterEach(() => vi.useRealTimers());

const label = (sent: { body: { scope?: string; n?: number } }) => `${sent.body.scope}${sent.body.n}`;
const reply = (n = 0) => json({ correct: true, feedback: `Correct! #${n}`, attemptId: `a${n}` });

describe('outbox batch replay', () => {
  it('replays the heads of every scope as one batch of at most 50, each scope in order across batches', async () => {
    const factory = freshFactory();
    const submissions = Array.from({ length: 120 }, (_, i) => answer(['A', 'B', 'C'][i % 3] ?? 'A', Math.floor(i / 3)));
    const entries = await seed(factory, submissions);
    const server = answerServer((sent) => reply(sent.body.n), { batch: true });
    const { runtime, ofType } = outboxRuntime({ api: { fetch: server.fetch }, factory, userId: 'ada' });
    const counts: number[] = [];
    runtime.outbox.subscribe((snapshot) => counts.push(snapshot.pending));
    await runtime.outbox.drain();

    expect(server.batches.map((keys) => keys.length)).toEqual([50, 50, 20]);
    expect(new Set(counts)).toEqual(new Set([0, 120, 70, 20])); // subscribers hear once per acknowledged batch, not per entry
    expect(server.batches.flat()).toEqual(entries.map((entry) => entry.idempotencyKey)); // FIFO across scopes
    for (const scope of ['A', 'B', 'C']) {
      const order = server.sent.filter((s) => s.body.scope === scope).map((s) => s.body.n);
      expect(order).toEqual(Array.from({ length: 40 }, (_, n) => n));
    }
    expect(runtime.outbox.snapshot().pending).toBe(0);
    // The app learns each synced answer's verdict from the batch result.
    const sent = ofType('outbox.sent');
    expect(sent).toHaveLength(120);
    expect(sent[4]).toMatchObject({ id: entries[4]?.id, attempts: 1, response: { correct: true, feedback: 'Correct! #1' } });
    expect(ofType('outbox.progress').at(-1)).toMatchObject({ done: 120, total: 120 });
  });

  it('a retryable failure of one item holds only its scope; the scope resumes in order after Retry-After', async () => {
    const factory = freshFactory();
    await seed(factory, [answer('A', 1), answer('B', 1), answer('A', 2), answer('B', 2), answer('A', 3)]);
    let down = true;
    const server = answerServer((sent) => (down && label(sent) === 'A2' ? json({ error: { code: 'DOWN', message: 'down' } }, 503, { 'retry-after': '30' }) : reply()), { batch: true });
    const { runtime, ofType } = outboxRuntime({ api: { fetch: server.fetch }, factory, userId: 'ada' });
    await runtime.outbox.drain();

    expect(server.batches).toHaveLength(1);
    expect(server.sent.map(label)).toEqual(['A1', 'B1', 'A2', 'B2']); // A3 held behind A2 by the server
    expect(runtime.outbox.snapshot()).toMatchObject({ pending: 2, byScope: { A: 2 } });
    expect(ofType('outbox.retryScheduled')).toMatchObject([{ attempts: 1, delayMs: 30_000, code: 'HTTP_5XX' }]);

    down = false;
    await vi.advanceTimersByTimeAsync(30_000);
    await until(() => runtime.outbox.snapshot().pending === 0, 'the timer-driven replay of scope A');
    expect(server.sent.map(label).slice(4)).toEqual(['A2', 'A3']);
    runtime.dispose();
  });

  it('an item answered 422 goes to the intervention list while the others of the batch are acknowledged', async () => {
    const factory = freshFactory();
    const [, bad] = await seed(factory, [answer('A', 1), answer('A', 2), answer('A', 3), answer('B', 1)]);
    const server = answerServer((sent) => (sent.key === bad?.idempotencyKey ? json({ error: { code: 'IDEMPOTENCY_KEY_REUSED', message: 'reused' } }, 422) : reply()), { batch: true });
    const { runtime, ofType } = outboxRuntime({ api: { fetch: server.fetch }, factory, userId: 'ada' });
    await runtime.outbox.drain();

    expect(server.batches).toHaveLength(1);
    expect(server.sent.map(label)).toEqual(['A1', 'A2', 'A3', 'B1']);
    const snapshot = runtime.outbox.snapshot();
    expect(snapshot.pending).toBe(0);
    expect(snapshot.interventions).toMatchObject([{ reason: 'rejected', error: { code: 'HTTP_4XX', status: 422 }, entry: { id: bad?.id, attempts: 1 } }]);
    expect(ofType('outbox.sent').map((event) => event.id)).not.toContain(bad?.id);
  });

  it('falls back to one request per entry when the backend has no batch endpoint (404), and remembers it', async () => {
    const factory = freshFactory();
    await seed(factory, [answer('A', 1), answer('A', 2), answer('B', 1)]);
    const server = answerServer((sent) => reply(sent.body.n)); // an older backend
    const { runtime, ofType } = outboxRuntime({ api: { fetch: server.fetch }, factory, userId: 'ada' });
    await runtime.outbox.drain();
    expect(server.batches).toHaveLength(1);
    expect(server.sent.map(label).sort()).toEqual(['A1', 'A2', 'B1']);
    expect(server.sent.filter((s) => s.body.scope === 'A').map(label)).toEqual(['A1', 'A2']);
    expect(runtime.outbox.snapshot().pending).toBe(0);
    expect(ofType('outbox.sent').find((event) => event.scope === 'B')).toMatchObject({ response: { feedback: 'Correct! #1' } });

    await runtime.outbox.submit(answer('C', 1));
    await runtime.outbox.submit(answer('C', 2));
    await runtime.outbox.drain();
    expect(server.batches).toHaveLength(1); // not asked again
    expect(server.sent.map(label).slice(3)).toEqual(['C1', 'C2']);
  });

  it('on the one-at-a-time path too, a head waiting out Retry-After resumes by timer with entries behind it', async () => {
    const factory = freshFactory();
    await seed(factory, [answer('A', 1), answer('A', 2)]);
    let down = true;
    const server = answerServer(() => (down ? json({ error: { code: 'DOWN', message: 'down' } }, 503, { 'retry-after': '5' }) : reply())); // older backend
    const { runtime } = outboxRuntime({ api: { fetch: server.fetch }, factory, userId: 'ada' });
    await runtime.outbox.drain();
    expect(server.sent.map(label)).toEqual(['A1']);
    down = false;
    await vi.advanceTimersByTimeAsync(5_000);
    await until(() => runtime.outbox.snapshot().pending === 0, 'the timer-driven replay');
    expect(server.sent.map(label)).toEqual(['A1', 'A1', 'A2']);
    runtime.dispose();
  });

  it('a batch that fails as a whole backs off each scope head once and leaves the rest of the scope untouched', async () => {
    const factory = freshFactory();
    const entries = await seed(factory, [answer('A', 1), answer('A', 2), answer('B', 1)]);
    const server = answerServer(() => networkError(), { batch: true });
    const { runtime, ofType } = outboxRuntime({ api: { fetch: server.fetch }, factory, userId: 'ada', random: () => 1 });
    await runtime.outbox.drain();
    expect(server.batches).toHaveLength(1);
    expect(ofType('outbox.retryScheduled')).toMatchObject([
      { id: entries[0]?.id, attempts: 1, delayMs: 150, code: 'NETWORK' },
      { id: entries[2]?.id, attempts: 1, delayMs: 150, code: 'NETWORK' },
    ]);
    expect(runtime.outbox.snapshot().pending).toBe(3);

    server.answerWith(() => reply());
    await runtime.outbox.syncNow();
    expect(server.batches).toHaveLength(2);
    expect(server.batches[1]).toEqual(entries.map((entry) => entry.idempotencyKey));
    expect(runtime.outbox.snapshot().pending).toBe(0);
    runtime.dispose();
  });

  it('sends an entry a batch cannot carry on its own, in its scope order', async () => {
    const factory = freshFactory();
    const progress = { scope: 'A', user: 'ada', request: { method: 'PUT' as const, path: '/api/progress', body: { lessons: {} } } };
    await seed(factory, [answer('A', 1), answer('B', 1), progress, answer('A', 3), answer('B', 2)]);
    const server = answerServer(() => reply(), { batch: true });
    const { runtime } = outboxRuntime({ api: { fetch: server.fetch }, factory, userId: 'ada' });
    await runtime.outbox.drain();
    const order = server.sent.map((s) => (s.path.endsWith('/api/progress') ? 'P' : label(s)));
    expect(order.filter((name) => name.startsWith('A') || name === 'P')).toEqual(['A1', 'P', 'A3']);
    expect(server.batches[0]).toHaveLength(3); // A1, B1, B2: A stops at the progress update
    expect(runtime.outbox.snapshot().pending).toBe(0);
  });
});
