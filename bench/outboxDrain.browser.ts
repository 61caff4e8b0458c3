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
import { MAX_BATCH_ITEMS } from '../src/protocol/api';
import { SCOPES } from './outbox.enqueue';
import type { Queued } from './outboxVerify';
import { answerBody, BENCH_USER, queueNaive, replayNaive, withoutBatch } from './naiveReplay';

export type DrainContender = 'ours, batched' | 'naive, batched' | 'ours, one per entry' | 'naive, one per entry';

const USER = BENCH_USER;
const outboxConfig = { batch: answersBatchCodec, allowedPath: isApiPath, requestHeaders: replayHeaders };


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


async function queueOurs(answers: number): Promise<Queued[]> {
  const runtime = createResilienceRuntime({ storage: { local: null }, outbox: outboxConfig });
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
  const runtime = createResilienceRuntime({ storage: { local: null }, userId: USER, ...(batched ? {} : { api: { fetch: withoutBatch(fetch) } }), outbox: outboxConfig });
  let report = await runtime.outbox.drain();
  while (report.remaining > 0) report = await runtime.outbox.syncNow();
  const ms = performance.now() - started;
  runtime.dispose();
  return ms;
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
      await queueNaive(indexedDB, queued);
      return { ms: await replayNaive(indexedDB, contender === 'naive, batched' ? MAX_BATCH_ITEMS : 1, (path, init) => fetch(path, init)), queued };
    }
    return { ms: await drainOurs(contender === 'ours, batched'), queued };
  },
  /** Call with the browser offline: the student's answers are saved, none can be sent. */
  async enqueueOffline({ answers }: { answers: number }): Promise<{ queued: Queued[]; pending: number }> {
    await clearDatabases();
    offlineRuntime = createResilienceRuntime({ storage: { local: null }, userId: USER, outbox: outboxConfig });
    const queued: Queued[] = [];
    for (let i = 0; i < answers; i++) {
      const item = { scope: i % SCOPES.length, n: Math.floor(i / SCOPES.length) };
      const entry = await offlineRuntime.outbox.submit({ scope: SCOPES[item.scope]?.scope ?? '', user: USER, request: { method: 'POST', path: '/api/answers', body: answerBody(item) } });
      queued.push({ key: entry.idempotencyKey, ...item });
    }
    // The snapshot's count follows the last write shortly after it: give it up to a second.
    const runtime = offlineRuntime;
    for (let waited = 0; runtime.outbox.snapshot().pending < answers && waited < 1_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    return { queued, pending: runtime.outbox.snapshot().pending };
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
