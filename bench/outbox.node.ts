/**
 * Outbox benchmark (DESIGN §11), Node with fake-indexeddb (a Chromium figure comes later):
 * - enqueue latency: `outbox.submit()` until the IndexedDB transaction completed (median, p95);
 * - drain throughput of 1,000 queued answers against the real local server, ours (ack-then-delete, scopes
 *   in parallel) versus a naive Workbox-style replay (one at a time, delete before send), same run;
 *   exactly-once and per-scope order are checked through /__stats after each.
 */
import { IDBFactory } from 'fake-indexeddb';
import { createResilienceRuntime } from '../src/resilience';
import { createIdbDatabase } from '../src/resilience/core/storageDatabase';
import { startTestServer, type TestServer } from '../tests/helpers/server';

const ANSWERS = 1_000;
const SCOPES = 10;
const USER = 'bench-student';

interface Queued {
  key: string;
  scope: string;
  n: number;
}

export async function run(): Promise<string> {
  const server = await startTestServer();
  try {
    const enqueue = await measureEnqueue(server);
    const ours = await drainOurs(server, enqueue.factory);
    const oursCheck = await verify(server, enqueue.queued);
    await server.reset();
    const naiveQueued = await queueNaive(enqueue.queued);
    const naive = await drainNaive(server, naiveQueued.factory);
    const naiveCheck = await verify(server, enqueue.queued);
    const rows = [
      `outbox — Node ${process.version}, fake-indexeddb, local server over HTTP, ${ANSWERS} answers in ${SCOPES} scopes`,
      '',
      `enqueue (durable submit)     median ${enqueue.medianMs.toFixed(3)} ms   p95 ${enqueue.p95Ms.toFixed(3)} ms`,
      `drain, ours (ack→delete, ${SCOPES} scopes, 4 at once)   ${rate(ours)} answers/s   ${oursCheck}`,
      `drain, naive (delete→send, one at a time)   ${rate(naive)} answers/s   ${naiveCheck}`,
      `throughput ratio ours : naive  ${(naive / ours).toFixed(2)}×`,
    ];
    return rows.join('\n');
  } finally {
    await server.close();
  }
}

const rate = (ms: number) => ((ANSWERS * 1000) / ms).toFixed(0).padStart(6);

async function measureEnqueue(server: TestServer) {
  const factory = new IDBFactory();
  const runtime = createResilienceRuntime({ indexedDB: factory, baseUrl: server.url, storage: null, outbox: { locks: null, visibility: null } });
  const samples: number[] = [];
  const queued: Queued[] = [];
  for (let i = 0; i < ANSWERS; i++) {
    const scope = `scope-${i % SCOPES}`;
    const n = Math.floor(i / SCOPES);
    const started = performance.now();
    const entry = await runtime.outbox.submit({ scope, user: USER, request: { method: 'POST', path: '/api/answers', body: answerBody(scope, n) } });
    samples.push(performance.now() - started);
    queued.push({ key: entry.idempotencyKey, scope, n });
  }
  await runtime.outbox.drain();
  runtime.dispose();
  samples.sort((a, b) => a - b);
  return { factory, queued, medianMs: samples[Math.floor(samples.length / 2)] ?? NaN, p95Ms: samples[Math.floor(samples.length * 0.95)] ?? NaN };
}

function answerBody(scope: string, n: number) {
  return { lessonId: 'fractions', exerciseId: 'pizza-left', answer: `${scope}#${n}` };
}

async function drainOurs(server: TestServer, factory: IDBFactory): Promise<number> {
  const started = performance.now();
  const runtime = createResilienceRuntime({ indexedDB: factory, baseUrl: server.url, userId: USER, storage: null, outbox: { locks: null, visibility: null } });
  let report = await runtime.outbox.drain();
  while (report.remaining > 0) report = await runtime.outbox.syncNow();
  const elapsed = performance.now() - started;
  runtime.dispose();
  return elapsed;
}

/** The same entries in a plain IndexedDB store, keyed in submit order (what Workbox's queue holds). */
async function queueNaive(queued: readonly Queued[]) {
  const factory = new IDBFactory();
  const store = createIdbDatabase({ factory, name: 'naive', version: 1, stores: ['requests'] }).store('requests');
  await store('readwrite', (requests) => {
    queued.forEach((item, index) => requests.put(item, index));
    return new Promise<void>((resolve) => (requests.transaction.oncomplete = () => resolve()));
  });
  return { factory, store };
}

/** Workbox background-sync's replay: shift the oldest request (read + delete), then send it, one at a time. */
async function drainNaive(server: TestServer, factory: IDBFactory): Promise<number> {
  const store = createIdbDatabase({ factory, name: 'naive', version: 1, stores: ['requests'] }).store('requests');
  const started = performance.now();
  for (;;) {
    const item = await store('readwrite', (requests) =>
      new Promise<Queued | undefined>((resolve, reject) => {
        const cursor = requests.openCursor();
        cursor.onsuccess = () => {
          const current = cursor.result;
          if (current) current.delete();
          resolve(current?.value as Queued | undefined);
        };
        cursor.onerror = () => reject(cursor.error);
      }),
    );
    if (!item) break;
    const response = await fetch(`${server.url}/api/answers`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': item.key, 'X-Student-Id': USER },
      body: JSON.stringify(answerBody(item.scope, item.n)),
    });
    await response.arrayBuffer();
  }
  return performance.now() - started;
}

/** Exactly once (every key applied, none twice) and per-scope order, from the server's own records. */
async function verify(server: TestServer, queued: readonly Queued[]): Promise<string> {
  const stats = await server.stats();
  const keys = new Set(stats.appliedKeys);
  const exactlyOnce = stats.appliedKeys.length === queued.length && queued.every((item) => keys.has(item.key));
  const lastByScope = new Map<string, number>();
  let ordered = true;
  for (const record of stats.applied) {
    const [scope = '', n = ''] = record.answer.split('#');
    if ((lastByScope.get(scope) ?? -1) >= Number(n)) ordered = false;
    lastByScope.set(scope, Number(n));
  }
  return `exactly-once ${exactlyOnce ? 'yes' : `NO (${stats.appliedKeys.length} applied)`}, per-scope order ${ordered ? 'yes' : 'NO'}`;
}
