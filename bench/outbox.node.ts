/**
 * Outbox benchmark (DESIGN §11), Node with fake-indexeddb (enqueue in Chromium: outbox.chromium.ts), against the local
 * server in its own process:
 * - enqueue latency: `outbox.submit()` until the IndexedDB transaction completed (median, p95);
 * - drain throughput of 1,000 queued answers in 4 lesson scopes, ours (batches of up to 50 per request,
 *   delete only after the acknowledgement) versus a naive Workbox-style replay (one at a time, delete before
 *   send), same run, the server reset in between; exactly-once and per-scope order come from /__stats.
 */
import { IDBFactory } from 'fake-indexeddb';
import { createResilienceRuntime } from '../src/resilience';
import { createIdbDatabase } from '../src/resilience/core/storageDatabase';
import { SCOPES } from './outbox.enqueue';
import { startServerProcess, type ServerProcess } from './outbox.server';

const ANSWERS = 1_000;
const USER = 'bench-student';

interface Queued {
  key: string;
  scope: number;
  n: number;
}

/** Rounds of both contenders, interleaved; the median round is reported (the machine is shared and noisy). */
const ROUNDS = 3;

export async function run(): Promise<string> {
  const server = await startServerProcess();
  try {
    const samples: number[] = [];
    const ours: number[] = [];
    const naive: number[] = [];
    const checks = { ours: new Set<string>(), naive: new Set<string>() };
    for (let round = 0; round < ROUNDS; round++) {
      await server.reset();
      const enqueue = await enqueueAll(server, samples);
      const oursRun = await drainOurs(server, enqueue.factory);
      ours.push(oursRun.ms);
      checks.ours.add(await verify(server, enqueue.queued, oursRun.requests));
      await server.reset();
      const naiveRun = await drainNaive(server, await queueNaive(enqueue.queued));
      naive.push(naiveRun.ms);
      checks.naive.add(await verify(server, enqueue.queued, naiveRun.requests));
    }
    samples.sort((a, b) => a - b);
    const [oursMs, naiveMs] = [median(ours), median(naive)];
    const rows = [
      `outbox — Node ${process.version}, fake-indexeddb, local server in its own process over HTTP, ${ANSWERS} answers in ${SCOPES.length} lesson scopes, median of ${ROUNDS} rounds`,
      '',
      `enqueue (durable submit)                     median ${percentile(samples, 0.5).toFixed(3)} ms   p95 ${percentile(samples, 0.95).toFixed(3)} ms`,
      `drain, ours (batches ≤ 50, ack→delete)      ${rate(oursMs)} answers/s   ${[...checks.ours].join(' | ')}`,
      `drain, naive (delete→send, one at a time)   ${rate(naiveMs)} answers/s   ${[...checks.naive].join(' | ')}`,
      `throughput ratio ours : naive  ${(naiveMs / oursMs).toFixed(2)}×   (rounds: ours ${ours.map(rate).map((r) => r.trim()).join(', ')}; naive ${naive.map(rate).map((r) => r.trim()).join(', ')} answers/s)`,
    ];
    return rows.join('\n');
  } finally {
    await server.stop();
  }
}

const median = (values: readonly number[]) => percentile([...values].sort((a, b) => a - b), 0.5);
const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
const rate = (ms: number) => ((ANSWERS * 1000) / ms).toFixed(0).padStart(6);

function answerBody(item: { scope: number; n: number }) {
  const { scope, lessonId, exerciseId } = SCOPES[item.scope] ?? SCOPES[0];
  return { lessonId, exerciseId, answer: `${scope}#${item.n}` };
}

async function enqueueAll(server: ServerProcess, samples: number[]) {
  const factory = new IDBFactory();
  const runtime = createResilienceRuntime({ indexedDB: factory, baseUrl: server.url, storage: null, outbox: { locks: null, visibility: null } });
  const queued: Queued[] = [];
  for (let i = 0; i < ANSWERS; i++) {
    const item = { scope: i % SCOPES.length, n: Math.floor(i / SCOPES.length) };
    const started = performance.now();
    const entry = await runtime.outbox.submit({ scope: SCOPES[item.scope]?.scope ?? '', user: USER, request: { method: 'POST', path: '/api/answers', body: answerBody(item) } });
    samples.push(performance.now() - started);
    queued.push({ key: entry.idempotencyKey, ...item });
  }
  await runtime.outbox.drain(); // no user: nothing replays; lets the start-up pass finish
  runtime.dispose();
  return { factory, queued };
}

/** Node's fetch keeps no cookies: every request carries the session's cookie, as a browser's would. */
const withCookie = (cookie: string): typeof fetch => (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string> | undefined), Cookie: cookie } });

async function drainOurs(server: ServerProcess, factory: IDBFactory) {
  const cookie = await server.signIn(USER);
  const before = (await server.stats()).http.requests;
  const started = performance.now();
  const runtime = createResilienceRuntime({ indexedDB: factory, baseUrl: server.url, userId: USER, storage: null, fetch: withCookie(cookie), outbox: { locks: null, visibility: null } });
  let report = await runtime.outbox.drain();
  while (report.remaining > 0) report = await runtime.outbox.syncNow();
  const ms = performance.now() - started;
  runtime.dispose();
  return { ms, requests: (await server.stats()).http.requests - before - 1 };
}

/** The same entries in a plain IndexedDB store, keyed in submit order (what Workbox's queue holds). */
async function queueNaive(queued: readonly Queued[]) {
  const factory = new IDBFactory();
  const store = createIdbDatabase({ factory, name: 'naive', version: 1, stores: ['requests'] }).store('requests');
  await store('readwrite', (requests) => {
    queued.forEach((item, index) => requests.put(item, index));
    return new Promise<void>((resolve) => (requests.transaction.oncomplete = () => resolve()));
  });
  return factory;
}

/** Workbox background-sync's replay: shift the oldest request (read + delete), then send it, one at a time. */
async function drainNaive(server: ServerProcess, factory: IDBFactory) {
  const cookie = await server.signIn(USER);
  const before = (await server.stats()).http.requests;
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
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': item.key, 'X-Student-Id': USER, Cookie: cookie },
      body: JSON.stringify(answerBody(item)),
    });
    await response.arrayBuffer();
  }
  const ms = performance.now() - started;
  return { ms, requests: (await server.stats()).http.requests - before - 1 };
}

/** Exactly once (every key applied, none twice) and per-scope order, from the server's own records. */
async function verify(server: ServerProcess, queued: readonly Queued[], requests: number): Promise<string> {
  const stats = await server.stats();
  const keys = new Set(stats.appliedKeys);
  const exactlyOnce = stats.appliedKeys.length === queued.length && keys.size === queued.length && queued.every((item) => keys.has(item.key));
  const lastByScope = new Map<string, number>();
  let ordered = true;
  for (const record of stats.applied) {
    const [scope = '', n = ''] = record.answer.split('#');
    if ((lastByScope.get(scope) ?? -1) >= Number(n)) ordered = false;
    lastByScope.set(scope, Number(n));
  }
  return `exactly-once ${exactlyOnce ? 'yes' : `NO (${stats.appliedKeys.length} applied)`}, per-scope order ${ordered ? 'yes' : 'NO'}, ${requests} requests`;
}
