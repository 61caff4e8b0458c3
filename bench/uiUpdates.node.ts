// UI store updates during a 1,000-entry outbox drain: the React layer's store fed by the runtime, batched (the
// default) and committing every change at once (how it worked before), on the same queue and the same fake API.
import { IDBFactory } from 'fake-indexeddb';
import { createResilienceRuntime, type FetchLike } from '../src/resilience';
import { createResilienceStore } from '../src/react/resilienceStore';
import { answersBatchCodec, isApiPath, replayHeaders } from '../src/app/resilience/answersBatchCodec';
import flags from '../feature-flags.json';

const ENTRIES = 1_000;

/** A fake API that applies answers and batches at once (what is measured is the client's UI updates). */
const fakeApi: FetchLike = async (url, init) => {
  const path = new URL(url, 'http://app.test').pathname;
  const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  if (path === '/api/answers/batch') {
    const items = (JSON.parse(String(init?.body)) as { items: { idempotencyKey: string }[] }).items;
    return json({ results: items.map((item) => ({ idempotencyKey: item.idempotencyKey, status: 200, body: { correct: true } })) });
  }
  return json({ ok: true, correct: true });
};

async function drainWith(batched: boolean): Promise<{ updates: number; ms: number; sent: number }> {
  const factory = new IDBFactory();
  let online = false;
  const fetch: FetchLike = (url, init) => (online ? fakeApi(url, init) : Promise.reject(new TypeError('Failed to fetch')));
  const runtime = createResilienceRuntime({
    api: { fetch },
    storage: { indexedDB: factory, local: null },
    flags: { source: flags },
    userId: 'ada',
    outbox: { locks: null, visibility: null, batch: answersBatchCodec, allowedPath: isApiPath, requestHeaders: replayHeaders },
  });
  await runtime.outbox.start();
  for (let i = 0; i < ENTRIES; i++) {
    await runtime.outbox.submit({ scope: `lesson:${i % 4}`, user: 'ada', request: { method: 'POST', path: '/api/answers', body: { lessonId: 'l', exerciseId: `e${i}`, answer: String(i) } } });
  }
  const store = createResilienceStore(runtime, { batched });
  const disconnect = store.connect();
  await new Promise((resolve) => setTimeout(resolve, 20));
  let updates = 0;
  const unsubscribe = store.subscribe(() => updates++);
  online = true;
  const startedAt = performance.now();
  const report = await runtime.outbox.syncNow();
  await new Promise((resolve) => setTimeout(resolve, 20)); // the last batched commit
  const ms = performance.now() - startedAt;
  unsubscribe();
  disconnect();
  runtime.dispose();
  return { updates, ms, sent: report.sent };
}

export async function runUiUpdates(): Promise<string> {
  const before = await drainWith(false);
  const after = await drainWith(true);
  const frames = (ms: number) => Math.max(1, ms / (1000 / 60));
  const row = (name: string, r: typeof before) =>
    `  ${name.padEnd(34)} ${String(r.updates).padStart(6)} store updates  ${r.ms.toFixed(0).padStart(5)} ms  ${(r.updates / frames(r.ms)).toFixed(2).padStart(6)} per 60 Hz frame  (sent ${r.sent})`;
  return [
    `UI store updates during a drain of ${ENTRIES} queued answers (fake-indexeddb, in-process API, batches of 50)`,
    row('each change committed (before)', before),
    row('batched, ≤ 1 commit per frame (now)', after),
    `  ratio ${(before.updates / Math.max(1, after.updates)).toFixed(1)}× fewer; goal ≤ 1 per animation frame`,
  ].join('\n');
}
