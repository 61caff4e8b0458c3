import { IDBDatabase } from 'fake-indexeddb';
import { networkError } from './helpers';
import { answer, freshFactory, outboxRuntime, performanceNow, useOutboxClock } from './outboxHelpers';

beforeEach(() => {
  useOutboxClock();
  performanceNow.value = 0;
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** What a fresh runtime (a reload) finds queued in this factory's database. */
async function queuedAfterReload(factory: IDBFactory): Promise<number> {
  // Ada's runtime with the server unreachable: her entries are loaded and counted, none is acknowledged.
  const { runtime } = outboxRuntime({ api: { fetch: async () => Promise.reject(networkError()) }, factory, userId: 'ada' });
  await runtime.outbox.start();
  const pending = runtime.outbox.snapshot().pending;
  runtime.dispose();
  return pending;
}

function openAt(factory: IDBFactory, version: number): Promise<globalThis.IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = factory.open('resilience', version);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

describe('IndexedDB connection lost under the runtime', () => {
  it('another connection upgrading the database (versionchange): the next answer is stored durably, at the new version', async () => {
    const factory = freshFactory();
    const { runtime } = outboxRuntime({ factory, userId: 'nobody' });
    await runtime.outbox.submit(answer('A', 1, 'ada'));
    const other = await openAt(factory, 5); // our connection gets versionchange, closes and lets it through
    const entry = await runtime.outbox.submit(answer('A', 2, 'ada'));
    expect(entry.durable).toBe(true);
    other.close();
    runtime.dispose();
    expect(await queuedAfterReload(factory)).toBe(2);
  });

  it('a closed handle (InvalidStateError) goes to self-healing, whose storage strategy reopens: the answer is stored', async () => {
    const factory = freshFactory();
    const { runtime, ofType } = outboxRuntime({ factory, userId: 'nobody' });
    await runtime.outbox.submit(answer('A', 1, 'ada'));
    vi.spyOn(IDBDatabase.prototype, 'transaction').mockImplementationOnce(() => {
      throw new DOMException('The database connection is closing.', 'InvalidStateError');
    });
    await runtime.outbox.submit(answer('A', 2, 'ada'));
    expect(ofType('heal.attempted')).toEqual([expect.objectContaining({ strategy: 'storageReconnection', code: 'STORAGE_CLOSED' })]);
    expect(ofType('heal.succeeded')).toEqual([expect.objectContaining({ strategy: 'storageReconnection' })]);
    runtime.dispose();
    expect(await queuedAfterReload(factory)).toBe(2);
  });
});
