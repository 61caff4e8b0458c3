import { keys, set } from 'idb-keyval';
import { IDBDatabase, IDBObjectStore } from 'fake-indexeddb';
import { createIdbDatabase } from '../../../src/resilience/core/storageDatabase';
import { json } from './helpers';
import { answer, answerServer, DAY_MS, freshFactory, outboxRuntime, performanceNow, seed, settle, sharedLocks, START, until, useOutboxClock } from './outboxHelpers';

beforeEach(() => {
  useOutboxClock();
  performanceNow.value = 0;
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('outbox storage', () => {
  it('a quota error rejects with STORAGE_QUOTA and leaves earlier entries intact', async () => {
    const factory = freshFactory();
    const { runtime } = outboxRuntime({ factory });
    const first = await runtime.outbox.submit(answer('A', 1));
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementationOnce(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    await expect(runtime.outbox.submit(answer('A', 2))).rejects.toMatchObject({ name: 'ResilienceError', code: 'STORAGE_QUOTA' });
    expect(runtime.outbox.snapshot()).toMatchObject({ lastError: { code: 'STORAGE_QUOTA' } });
    runtime.dispose();
    const server = answerServer();
    const next = outboxRuntime({ api: { fetch: server.fetch }, factory, userId: 'ada' });
    await next.runtime.outbox.drain();
    expect(server.sent.map((s) => s.key)).toEqual([first.idempotencyKey]);
  });

  it('refuses an entry over the size cap, and one that would pass the total cap, with a clear error', async () => {
    const { runtime } = outboxRuntime({ factory: freshFactory(), outbox: { maxTotalBytes: 2_500 } });
    const big = { ...answer('A', 1), request: { method: 'POST' as const, path: '/api/answers', body: { answer: 'x'.repeat(70 * 1024) } } };
    await expect(runtime.outbox.submit(big)).rejects.toMatchObject({ code: 'STORAGE_QUOTA', detail: { limit: 'entryBytes' } });
    const medium = { ...answer('A', 1), request: { method: 'POST' as const, path: '/api/answers', body: { answer: 'x'.repeat(800) } } };
    await runtime.outbox.submit(medium);
    await runtime.outbox.submit(medium);
    await expect(runtime.outbox.submit(medium)).rejects.toMatchObject({ code: 'STORAGE_QUOTA', detail: { limit: 'totalBytes' }, message: expect.stringContaining('full') });
    expect(runtime.outbox.snapshot().pending).toBe(0); // no user signed in: counts are per user
  });

  it('reopens the database once when the first transaction finds the connection closing', async () => {
    const factory = freshFactory();
    const open = vi.spyOn(factory, 'open');
    const { runtime } = outboxRuntime({ factory });
    await runtime.outbox.start();
    expect(open).toHaveBeenCalledTimes(1);
    vi.spyOn(IDBDatabase.prototype, 'transaction').mockImplementationOnce(() => {
      throw new DOMException('The database connection is closing.', 'InvalidStateError');
    });
    await expect(runtime.outbox.submit(answer('A', 1))).resolves.toMatchObject({ durable: true });
    expect(open).toHaveBeenCalledTimes(2);
  });

  it('reopens after the browser closed the connection (db.close) and after Safari loses it', async () => {
    const factory = freshFactory();
    const database = createIdbDatabase({ factory, name: 'db', version: 1, stores: ['s'] });
    const db = await database.open();
    db.close();
    await expect(set('k', 1, database.store('s'))).resolves.toBeUndefined();
    const lost = vi.spyOn(IDBDatabase.prototype, 'transaction').mockImplementation(() => {
      throw new Error('Connection to Indexed Database server lost. Refresh the page to try again');
    });
    await expect(set('k', 2, database.store('s'))).rejects.toMatchObject({ code: 'STORAGE_CLOSED' });
    // Tried, reopened, tried once more — then gave up (calls on other tests' databases left out).
    expect(lost.mock.contexts.filter((context) => (context as IDBDatabase).name === 'db')).toHaveLength(2);
  });

  it('falls back to memory when IndexedDB is missing, and says so', async () => {
    const server = answerServer();
    const { runtime, ofType } = outboxRuntime({ api: { fetch: server.fetch }, factory: null });
    const entry = await runtime.outbox.submit(answer('A', 1));
    expect(entry.durable).toBe(false);
    expect(runtime.outbox.snapshot().durable).toBe(false);
    expect(ofType('storage.degraded')).toMatchObject([{ store: 'indexedDB' }]);
  });

  it('falls back to memory when opening IndexedDB throws (private mode)', async () => {
    const factory = freshFactory();
    vi.spyOn(factory, 'open').mockImplementation(() => {
      throw new DOMException('A mutation operation was attempted on a database that did not allow mutations.', 'InvalidStateError');
    });
    const { runtime, ofType } = outboxRuntime({ factory });
    await expect(runtime.outbox.submit(answer('A', 1))).resolves.toMatchObject({ durable: false });
    expect(ofType('storage.degraded')).toHaveLength(1);
  });

  it('quarantines corrupt or foreign records and never sends them', async () => {
    const factory = freshFactory();
    const [good] = await seed(factory, [answer('A', 1)]);
    const store = createIdbDatabase({ factory, name: 'resilience', version: 1, stores: [] }).store('outbox');
    const base = { ...good, durable: undefined };
    delete base.durable;
    const forged = (id: string, patch: object) => set(id, { ...base, id, ...patch }, store);
    await forged('01J00000000000000000000001', { request: { method: 'POST', path: 'https://evil.example/api/answers', body: {} } });
    await forged('01J00000000000000000000002', { request: { method: 'POST', path: '//evil.example/api/answers' } });
    await forged('01J00000000000000000000003', { request: { method: 'GET', path: '/api/answers' } });
    await forged('01J00000000000000000000004', { attempts: 'many' });
    await forged('01J00000000000000000000005', { run: 'alert(1)' });
    await forged('01J00000000000000000000006', { request: { method: 'POST', path: '/api/../admin' } });
    await set('not-an-entry', 'garbage', store);

    const server = answerServer();
    const { runtime, ofType } = outboxRuntime({ api: { fetch: server.fetch }, factory, userId: 'ada' });
    await runtime.outbox.drain();
    expect(server.sent.map((s) => s.path)).toEqual(['/api/answers']);
    expect(server.sent[0]?.key).toBe(good?.idempotencyKey);
    expect(ofType('outbox.quarantined')).toHaveLength(7);
    expect(ofType('runtime.internalError').filter((e) => e.subsystem === 'outbox')).toHaveLength(7);
    expect(runtime.outbox.snapshot()).toMatchObject({ quarantined: 7, pending: 0 });
  });

  it('entries past retention (7 days, elapsed clock) go to the intervention list, never the bin', async () => {
    const factory = freshFactory();
    await seed(factory, [answer('A', 1)]);
    const server = answerServer(() => json({ error: { code: 'DOWN', message: 'down' } }, 503, { 'retry-after': '60' }));
    const { runtime, ofType } = outboxRuntime({ api: { fetch: server.fetch }, factory, userId: 'ada' });
    await runtime.outbox.drain();
    performanceNow.value += 7 * DAY_MS + 1;
    await vi.advanceTimersByTimeAsync(60_000);
    await until(() => runtime.outbox.snapshot().interventions.length === 1, 'the retention move');
    expect(runtime.outbox.snapshot()).toMatchObject({ pending: 0, interventions: [{ reason: 'retention' }] });
    expect(ofType('outbox.deadLettered')).toMatchObject([{ reason: 'retention' }]);
    expect(server.sent).toHaveLength(1);
  });

  it.each([
    ['forward', 8 * DAY_MS],
    ['backward', -8 * DAY_MS],
  ])('a wall-clock jump of 8 days %s inside a session loses nothing and expires nothing', async (_direction, jumpMs) => {
    const factory = freshFactory();
    await seed(factory, [answer('A', 1), answer('B', 1)]);
    let up = false;
    const server = answerServer(() => (up ? json({ correct: true }) : json({ error: { code: 'DOWN', message: 'down' } }, 503)));
    const { runtime } = outboxRuntime({ api: { fetch: server.fetch }, flags: { source: undefined }, factory, userId: 'ada' });
    await runtime.outbox.drain();
    expect(runtime.outbox.snapshot().pending).toBe(2);
    vi.setSystemTime(START + jumpMs);
    up = true;
    await runtime.outbox.drain();
    expect(runtime.outbox.snapshot()).toMatchObject({ pending: 0, interventions: [] });
    expect(new Set(server.sent.map((s) => s.key)).size).toBe(2);
  });

  it('across a reload, a backward jump counts no time; a forward one can only move entries to the intervention list', async () => {
    const factory = freshFactory();
    await seed(factory, [answer('A', 1)]);
    vi.setSystemTime(START - 8 * DAY_MS);
    const server = answerServer(() => json({ error: { code: 'DOWN', message: 'down' } }, 503));
    const back = outboxRuntime({ api: { fetch: server.fetch }, factory, userId: 'ada' });
    await back.runtime.outbox.drain();
    expect(back.runtime.outbox.snapshot()).toMatchObject({ pending: 1, interventions: [] });
    back.runtime.dispose();

    vi.setSystemTime(START + 8 * DAY_MS);
    const forward = outboxRuntime({ api: { fetch: server.fetch }, factory, userId: 'ada' });
    await forward.runtime.outbox.drain();
    expect(forward.runtime.outbox.snapshot()).toMatchObject({ pending: 0, interventions: [{ reason: 'retention' }] });
  });

  it('two tabs sharing one database and one lock never drain at the same time', async () => {
    const factory = freshFactory();
    const entries = await seed(factory, Array.from({ length: 6 }, (_, i) => answer('A', i)));
    const locks = sharedLocks();
    let inFlight = 0;
    let maxInFlight = 0;
    const server = answerServer(async () => {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      return json({ correct: true });
    });
    const tabA = outboxRuntime({ api: { fetch: server.fetch }, factory, userId: 'ada', outbox: { locks } });
    const tabB = outboxRuntime({ api: { fetch: server.fetch }, factory, userId: 'ada', outbox: { locks } });
    const reports = await Promise.all([tabA.runtime.outbox.drain(), tabB.runtime.outbox.drain(), tabA.runtime.outbox.drain()]);
    await until(() => server.sent.length >= 6);
    await tabA.runtime.outbox.drain();
    await tabB.runtime.outbox.drain();
    expect(maxInFlight).toBe(1);
    expect(server.sent.map((s) => s.key)).toEqual(entries.map((e) => e.idempotencyKey));
    expect(reports.some((r) => r.skipped === 'locked')).toBe(true);
  });

  it('without Web Locks, the IndexedDB lease keeps the second tab out', async () => {
    const factory = freshFactory();
    await seed(factory, [answer('A', 1), answer('A', 2)]);
    const { memoryStorage } = await import('../../../src/resilience');
    const storage = memoryStorage();
    let release: () => void = () => {};
    const server = answerServer(() => new Promise<Response>((resolve) => (release = () => resolve(json({ correct: true })))));
    // Distinct random sources: each tab's lease owner id comes from the runtime's id generator.
    const tabA = outboxRuntime({ api: { fetch: server.fetch }, storage: { local: storage }, factory, userId: 'ada', outbox: { locks: null }, random: () => 0.1 });
    const tabB = outboxRuntime({ api: { fetch: server.fetch }, storage: { local: storage }, factory, userId: 'ada', outbox: { locks: null }, random: () => 0.9 });
    const drains = Promise.all([tabA.runtime.outbox.drain(), tabB.runtime.outbox.drain()]);
    await until(() => server.sent.length === 1);
    await settle();
    expect(server.sent).toHaveLength(1); // whichever tab holds the lease sends; the other stays out
    release();
    await until(() => server.sent.length === 2);
    release();
    const reports = await drains;
    expect(reports.filter((r) => r.skipped === 'locked')).toHaveLength(1);
    expect(server.sent.map((s) => s.body.n)).toEqual([1, 2]);
    const meta = createIdbDatabase({ factory, name: 'resilience', version: 1, stores: [] }).store('outbox-meta');
    await settle();
    expect((await keys(meta)).filter((key) => String(key).startsWith('lease/'))).toEqual([]); // released
  });

  it('with the outbox flag off, submit rejects with a clear error and nothing is stored', async () => {
    const { flagsWith } = await import('./helpers');
    const { runtime } = outboxRuntime({ flags: { source: flagsWith({ outbox: false }) }, factory: freshFactory() });
    await expect(runtime.outbox.submit(answer('A', 1))).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE', detail: { reason: 'outboxDisabled' } });
  });
});
