/**
 * Browser entry of the Chromium drain benchmark (bench/outboxDrain.chromium.ts), served by the tutor server itself
 * so requests are same-origin with the session cookie, as in the app. Real IndexedDB, real Web Locks.
 * - `drain`: queues `answers` with no student signed in (nothing replays), then times the drain to empty: ours
 *   (the runtime's outbox as the app configures it) or a naive Workbox-style replay (shift → send), batched or one
 *   request per entry;
 * - `enqueueOffline` + `waitEmpty`: answers submitted while the browser is offline, then the time from the
 *   browser's `online` event to an empty outbox (R4).
 */
import { createResilienceRuntime, type ResilienceRuntime } from '../src/resilience';
import { answersBatchCodec, isApiPath, replayHeaders } from '../src/app/resilience/answersBatchCodec';
import { createIdbDatabase } from '../src/resilience/core/storageDatabase';
import { ANSWERS_BATCH_PATH, MAX_BATCH_ITEMS } from '../src/protocol/api';
import { SCOPES } from './outbox.enqueue';
import type { Queued } from './outboxVerify';

export type DrainContender = 'ours, batched' | 'naive, batched' | 'ours, one per entry' | 'naive, one per entry';

const USER = 'bench-student';
const outboxConfig = { batch: answersBatchCodec, allowedPath: isApiPath, requestHeaders: replayHeaders };

function answerBody(item: { scope: number; n: number }) {
  const { scope, lessonId, exerciseId } = SCOPES[item.scope] ?? SCOPES[0];
  return { lessonId, exerciseId, answer: `${scope}#${item.n}` };
}

async function clearDatabases(): Promise<void> {
  for (const { name } of await indexedDB.databases()) {
    if (!name) continue;
    await new Promise<void>((resolve) => {
      const request = indexedDB.deleteDatabase(name);
      request.onsuccess = request.onerror = request.onblocked = () => resolve();
    });
  }
}

async function signIn(): Promise<void> {
  const response = await fetch('/api/session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: USER, passphrase: 'bench passphrase' }) });
  if (!response.ok) throw new Error(`sign-in answered ${response.status}`);
}

/** An older backend without the batch endpoint, seen from the client: the outbox then replays one request per entry. */
const withoutBatch: typeof fetch = (input, init) =>
  String(input).endsWith(ANSWERS_BATCH_PATH) ? Promise.resolve(new Response('{"error":{"code":"NOT_FOUND"}}', { status: 404, headers: { 'Content-Type': 'application/json' } })) : fetch(input, init);

async function queueOurs(answers: number): Promise<Queued[]> {
  const runtime = createResilienceRuntime({ storage: null, outbox: outboxConfig });
  const queued: Queued[] = [];
  for (let i = 0; i < answers; i++) {
    const item = { scope: i % SCOPES.length, n: Math.floor(i / SCOPES.length) };
    const entry = await runtime.outbox.submit({ scope: SCOPES[item.scope]?.scope ?? '', user: USER, request: { method: 'POST', path: '/api/answers', body: answerBody(item) } });
    queued.push({ key: entry.idempotencyKey, ...item });
  }
  runtime.dispose();
  return queued;
}

async function drainOurs(batched: boolean): Promise<number> {
  const started = performance.now();
  const runtime = createResilienceRuntime({ userId: USER, storage: null, ...(batched ? {} : { fetch: withoutBatch }), outbox: outboxConfig });
  let report = await runtime.outbox.drain();
  while (report.remaining > 0) report = await runtime.outbox.syncNow();
  const ms = performance.now() - started;
  runtime.dispose();
  return ms;
}

const naiveStore = () => createIdbDatabase({ factory: indexedDB, name: 'naive', version: 1, stores: ['requests'] }).store('requests');

async function queueNaive(queued: readonly Queued[]): Promise<void> {
  await naiveStore()('readwrite', (requests) => {
    queued.forEach((item, index) => requests.put(item, index));
    return new Promise<void>((resolve) => (requests.transaction.oncomplete = () => resolve()));
  });
}

/** Workbox background-sync's replay: shift the oldest (read + delete), then send it; `batch` > 1 shifts that many. */
async function drainNaive(batch: number): Promise<number> {
  const store = naiveStore();
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
    const headers = { 'Content-Type': 'application/json', 'X-Student-Id': USER };
    const response =
      batch === 1
        ? await fetch('/api/answers', { method: 'POST', headers: { ...headers, 'Idempotency-Key': items[0]?.key ?? '' }, body: JSON.stringify(answerBody(items[0] as Queued)) })
        : await fetch(ANSWERS_BATCH_PATH, {
            method: 'POST',
            headers: { ...headers, 'Idempotency-Key': `naive-${items[0]?.key ?? ''}` },
            body: JSON.stringify({ items: items.map((item) => ({ idempotencyKey: item.key, body: answerBody(item), scope: SCOPES[item.scope]?.scope })) }),
          });
    await response.arrayBuffer();
  }
  return performance.now() - started;
}

let offlineRuntime: ResilienceRuntime | undefined;
let onlineAt = Number.NaN;
addEventListener('online', () => (onlineAt = performance.now()));

const bench = {
  async drain({ contender, answers }: { contender: DrainContender; answers: number }): Promise<{ ms: number; queued: Queued[] }> {
    await clearDatabases();
    await signIn();
    const queued = await queueOurs(answers);
    if (contender.startsWith('naive')) {
      await clearDatabases();
      await queueNaive(queued);
      return { ms: await drainNaive(contender === 'naive, batched' ? MAX_BATCH_ITEMS : 1), queued };
    }
    return { ms: await drainOurs(contender === 'ours, batched'), queued };
  },
  /** Call with the browser offline: the student's answers are saved, none can be sent. */
  async enqueueOffline({ answers }: { answers: number }): Promise<{ queued: Queued[]; pending: number }> {
    await clearDatabases();
    offlineRuntime = createResilienceRuntime({ userId: USER, storage: null, outbox: outboxConfig });
    const queued: Queued[] = [];
    for (let i = 0; i < answers; i++) {
      const item = { scope: i % SCOPES.length, n: Math.floor(i / SCOPES.length) };
      const entry = await offlineRuntime.outbox.submit({ scope: SCOPES[item.scope]?.scope ?? '', user: USER, request: { method: 'POST', path: '/api/answers', body: answerBody(item) } });
      queued.push({ key: entry.idempotencyKey, ...item });
    }
    return { queued, pending: offlineRuntime.outbox.snapshot().pending };
  },
  /** After the browser is back online: ms from its `online` event until the outbox is empty (nothing forced). */
  waitEmpty(): Promise<number> {
    const runtime = offlineRuntime;
    if (!runtime) return Promise.reject(new Error('enqueueOffline first'));
    return new Promise((resolve) => {
      const check = () => {
        if (runtime.outbox.snapshot().pending > 0) return false;
        unsubscribe();
        runtime.dispose();
        resolve(performance.now() - onlineAt);
        return true;
      };
      const unsubscribe = runtime.subscribe(() => void check());
      check();
    });
  },
  signIn,
};

(globalThis as { __drainBench?: typeof bench }).__drainBench = bench;
