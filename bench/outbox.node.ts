/**
 * Outbox benchmark, Node with fake-indexeddb (enqueue in Chromium: outbox.chromium.ts), against the local
 * server in its own process:
 * - enqueue latency: `outbox.submit()` until the IndexedDB transaction completed (median, p95);
 * - drain throughput of 1,000 queued answers in 4 lesson scopes, like for like on the same endpoints: ours one
 *   request per entry vs a naive Workbox-style replay (delete before send) one at a time, and ours batched
 *   (≤ 50 per POST /api/answers/batch, delete only after the acknowledgement) vs a naive replay that batches the
 *   same way; interleaved rounds, the server reset in between; exactly-once and per-scope order from /__stats.
 */
import { IDBFactory } from 'fake-indexeddb';
import { createResilienceRuntime } from '../src/resilience';
import { answersBatchCodec, isApiPath, replayHeaders } from '../src/app/resilience/answersBatchCodec';
import { MAX_BATCH_ITEMS } from '../src/protocol/api';
import { SCOPES } from './outbox.enqueue';
import { ratio, type PartResult, type SummaryRow } from './summary';
import { startServerProcess, type ServerProcess } from './outbox.server';
import { verifyExactlyOnce, type Queued } from './outboxVerify';
import { answerBody, BENCH_USER, queueNaive, replayNaive, withoutBatch } from './naiveReplay';

const ANSWERS = 1_000;
const USER = BENCH_USER;


/** Rounds of both contenders, interleaved; the median round is reported (the machine is shared and noisy). */
const ROUNDS = 3;

type Drainer = 'ours, batched' | 'naive, batched' | 'ours, one per entry' | 'naive, one per entry';
const DRAINERS: readonly Drainer[] = ['ours, batched', 'naive, batched', 'ours, one per entry', 'naive, one per entry'];

export async function run(): Promise<PartResult> {
  const server = await startServerProcess();
  try {
    const samples: number[] = [];
    const times = new Map<Drainer, number[]>(DRAINERS.map((d) => [d, []]));
    const checks = new Map<Drainer, Set<string>>(DRAINERS.map((d) => [d, new Set()]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const drainer of DRAINERS) {
        await server.reset();
        const enqueue = await enqueueAll(server, samples);
        const result = drainer.startsWith('ours')
          ? await drainOurs(server, enqueue.factory, drainer === 'ours, batched')
          : await drainNaive(server, enqueue.queued, drainer === 'naive, batched' ? MAX_BATCH_ITEMS : 1);
        times.get(drainer)?.push(result.ms);
        checks.get(drainer)?.add(await verify(server, enqueue.queued, result.requests));
      }
    }
    samples.sort((a, b) => a - b);
    const ms = (d: Drainer) => median(times.get(d) ?? []);
    const line = (d: Drainer) => `drain, ${d.padEnd(22)} ${rate(ms(d))} answers/s   ${[...(checks.get(d) ?? [])].join(' | ')}   (rounds ${(times.get(d) ?? []).map((t) => rate(t).trim()).join(', ')})`;
    const text = [
      `outbox — Node ${process.version}, fake-indexeddb, local server in its own process over HTTP, ${ANSWERS} answers in ${SCOPES.length} lesson scopes, median of ${ROUNDS} interleaved rounds`,
      'ours: the runtime\'s outbox (ack → delete); naive: Workbox-style replay (delete → send). Batched: POST /api/answers/batch,',
      `≤ ${MAX_BATCH_ITEMS} per request; one per entry: POST /api/answers (ours with the batch endpoint answered 404, its fallback).`,
      '',
      `enqueue (durable submit)      median ${percentile(samples, 0.5).toFixed(3)} ms   p95 ${percentile(samples, 0.95).toFixed(3)} ms`,
      ...DRAINERS.map(line),
    ].join('\n');
    const row = (oursName: Drainer, peerName: Drainer, endpoint: string): SummaryRow => ({
      figure: `outbox drain 1,000, ${endpoint}, answers/s`,
      ours: rate(ms(oursName)).trim(),
      peer: `naive ${rate(ms(peerName)).trim()}`,
      ratio: ratio(ms(peerName), ms(oursName)),
      goal: '≥ naive, exactly once, in order',
      method: `node+fake-idb, ${ROUNDS} interleaved rounds; ${[...(checks.get(oursName) ?? [])].every((c) => c.startsWith('exactly-once yes, per-scope order yes')) ? 'once+order ok' : 'CHECK FAILED'}`,
    });
    return { text, rows: [row('ours, one per entry', 'naive, one per entry', 'single requests both'), row('ours, batched', 'naive, batched', 'batched both')] };
  } finally {
    await server.stop();
  }
}

const median = (values: readonly number[]) => percentile([...values].sort((a, b) => a - b), 0.5);
const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
const rate = (ms: number) => ((ANSWERS * 1000) / ms).toFixed(0).padStart(6);


async function enqueueAll(server: ServerProcess, samples: number[]) {
  const factory = new IDBFactory();
  const runtime = createResilienceRuntime({ storage: { indexedDB: factory, local: null }, api: { baseUrl: server.url }, outbox: { locks: null, visibility: null, batch: answersBatchCodec, allowedPath: isApiPath, requestHeaders: replayHeaders } });
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


async function drainOurs(server: ServerProcess, factory: IDBFactory, batched: boolean) {
  const cookie = await server.signIn(USER);
  const before = (await server.stats()).http.requests;
  const started = performance.now();
  const fetchImpl = batched ? withCookie(cookie) : withoutBatch(withCookie(cookie));
  // The outbox as the app configures it: its batch format, its API paths and replay headers.
  const runtime = createResilienceRuntime({ storage: { indexedDB: factory, local: null }, api: { baseUrl: server.url, fetch: fetchImpl }, userId: USER, outbox: { locks: null, visibility: null, batch: answersBatchCodec, allowedPath: isApiPath, requestHeaders: replayHeaders } });
  let report = await runtime.outbox.drain();
  while (report.remaining > 0) report = await runtime.outbox.syncNow();
  const ms = performance.now() - started;
  runtime.dispose();
  return { ms, requests: (await server.stats()).http.requests - before - 1 };
}

/** The naive replay on a fresh fake-indexeddb queue, with the session's cookie (Node's fetch keeps none). */
async function drainNaive(server: ServerProcess, queued: readonly Queued[], batch: number) {
  const factory = new IDBFactory();
  await queueNaive(factory, queued);
  const cookie = await server.signIn(USER);
  const before = (await server.stats()).http.requests;
  const ms = await replayNaive(factory, batch, (path, init) => withCookie(cookie)(`${server.url}${path}`, init));
  return { ms, requests: (await server.stats()).http.requests - before - 1 };
}

const verify = async (server: ServerProcess, queued: readonly Queued[], requests: number): Promise<string> => `${await verifyExactlyOnce(server, queued)}, ${requests} requests`;
