/**
 * The outbox benches' shared pieces (Node with fake-indexeddb, and Chromium): the answer bodies, the naive
 * Workbox-style replay they compare against, and the "older backend" that refuses the batch endpoint.
 */
import { createIdbDatabase } from '../src/resilience/core/storageDatabase';
import { ANSWERS_BATCH_PATH } from '../src/protocol/api';
import { SCOPES } from './outbox.enqueue';
import type { Queued } from './outboxVerify';

/** The bench's student. */
export const BENCH_USER = 'bench-student';

/** The answer a queued item stands for: its scope's exercise, numbered within the scope. */
export function answerBody(item: { scope: number; n: number }) {
  const { scope, lessonId, exerciseId } = SCOPES[item.scope] ?? SCOPES[0];
  return { lessonId, exerciseId, answer: `${scope}#${item.n}` };
}

/** An older backend without the batch endpoint, seen from the client: the outbox then replays one request per entry. */
export const withoutBatch = (inner: typeof fetch): typeof fetch => (input, init) =>
  String(input).endsWith(ANSWERS_BATCH_PATH) ? Promise.resolve(new Response('{"error":{"code":"NOT_FOUND"}}', { status: 404, headers: { 'Content-Type': 'application/json' } })) : inner(input, init);

const naiveStore = (factory: IDBFactory) => createIdbDatabase({ factory, name: 'naive', version: 1, stores: ['requests'] }).store('requests');

/** The same entries in a plain IndexedDB store, keyed in submit order (what Workbox's queue holds). */
export async function queueNaive(factory: IDBFactory, queued: readonly Queued[]): Promise<void> {
  await naiveStore(factory)('readwrite', (requests) => {
    queued.forEach((item, index) => requests.put(item, index));
    return new Promise<void>((resolve) => (requests.transaction.oncomplete = () => resolve()));
  });
}

/**
 * Workbox background-sync's replay: shift the oldest request (read + delete), then send it, one at a time; with
 * `batch` > 1 it shifts up to that many and sends them as one POST /api/answers/batch (a naive batching client).
 * `send` is the fetch (with the base URL and any cookie the environment needs). Resolves with the ms it took.
 */
export async function replayNaive(factory: IDBFactory, batch: number, send: (path: string, init: RequestInit) => Promise<Response>): Promise<number> {
  const store = naiveStore(factory);
  const started = performance.now();
  for (;;) {
    const items = await store('readwrite', (requests) =>
      new Promise<Queued[]>((resolve, reject) => {
        const taken: Queued[] = [];
        const cursor = requests.openCursor();
        cursor.onsuccess = () => {
          const current = cursor.result;
          if (!current) return resolve(taken);
          taken.push(current.value as Queued);
          current.delete();
          if (taken.length < batch) current.continue();
          else resolve(taken);
        };
        cursor.onerror = () => reject(cursor.error);
      }),
    );
    if (items.length === 0) break;
    const headers = { 'Content-Type': 'application/json', 'X-Student-Id': BENCH_USER };
    const response =
      batch === 1
        ? await send('/api/answers', { method: 'POST', headers: { ...headers, 'Idempotency-Key': items[0]?.key ?? '' }, body: JSON.stringify(answerBody(items[0] as Queued)) })
        : await send(ANSWERS_BATCH_PATH, {
            method: 'POST',
            headers: { ...headers, 'Idempotency-Key': `naive-${items[0]?.key ?? ''}` },
            body: JSON.stringify({ items: items.map((item) => ({ idempotencyKey: item.key, body: answerBody(item), scope: SCOPES[item.scope]?.scope })) }),
          });
    await response.arrayBuffer();
  }
  return performance.now() - started;
}
