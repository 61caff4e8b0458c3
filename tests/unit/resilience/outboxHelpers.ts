import { IDBFactory } from 'fake-indexeddb';
import { mergeRuntimeConfig, type FetchLike, type LockManagerLike, type OutboxSubmission, type ResilienceRuntimeConfig } from '../../../src/resilience';
import { answersBatchCodec, isApiPath, replayHeaders } from '../../../src/app/resilience/answersBatchCodec';
import { json, testRuntime } from './helpers';

export const DAY_MS = 24 * 60 * 60 * 1000;
export const START = Date.parse('2030-01-01T00:00:00Z');

/** Fake timers for the clock seam only (fake-indexeddb and undici need the real setImmediate). */
export function useOutboxClock(): void {
  vi.useFakeTimers({ now: START, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
}

/** Lets IndexedDB (setImmediate-driven in fake-indexeddb) and promise chains run until `condition` holds. */
export async function until(condition: () => boolean, what = 'condition'): Promise<void> {
  for (let i = 0; i < 2_000; i++) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`until: ${what} never became true`);
}

/** Settles pending IndexedDB work without waiting for anything in particular. */
export async function settle(rounds = 50): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}

export interface SentAnswer {
  key: string;
  user: string;
  path: string;
  body: { scope?: string; n?: number };
}

type Handler = (sent: SentAnswer) => Response | Error | Promise<Response>;

export interface AnswerServerOptions {
  /**
   * Serve POST /api/answers/batch like our server: each item goes through `handler` as if sent alone (and is
   * recorded in `sent`), a scope's later items are held (424) after a 409 or 5xx; an Error from any item fails
   * the whole request. Without it the edge is an older backend: the batch endpoint answers 404.
   */
  batch?: boolean;
}

/** A fetch edge like our server: records every request's Idempotency-Key and answers through `handler`. */
export function answerServer(handler: Handler = () => json({ correct: true, feedback: 'Correct!', attemptId: 'a' }), options: AnswerServerOptions = {}) {
  const sent: SentAnswer[] = [];
  /** The item keys of every batch request that reached the edge, including refused ones. */
  const batches: string[][] = [];
  let current = handler;
  const answer = async (record: SentAnswer): Promise<Response> => {
    sent.push(record);
    const reply = await current(record);
    if (reply instanceof Error) throw reply;
    return reply;
  };
  const fetch: FetchLike = async (url, init) => {
    const headers = (init.headers ?? {}) as Record<string, string>;
    const user = headers['X-Student-Id'] ?? '';
    if (url.endsWith('/api/answers/batch')) {
      const { items } = JSON.parse(String(init.body)) as { items: { idempotencyKey: string; body: SentAnswer['body']; scope?: string }[] };
      batches.push(items.map((item) => item.idempotencyKey));
      if (!options.batch) return json({ error: { code: 'NOT_FOUND', message: 'No API endpoint POST /api/answers/batch.' } }, 404);
      const notDone = new Set<string>();
      const results = [];
      for (const item of items) {
        if (item.scope !== undefined && notDone.has(item.scope)) {
          results.push({ idempotencyKey: item.idempotencyKey, status: 424, body: { error: { code: 'PRECEDING_ITEM_PENDING', message: 'held' } }, replayed: false });
          continue;
        }
        const response = await answer({ key: item.idempotencyKey, user, path: url.replace(/\/batch$/, ''), body: item.body });
        if (item.scope !== undefined && (response.status === 409 || response.status >= 500)) notDone.add(item.scope);
        const retryAfter = response.headers.get('retry-after');
        results.push({
          idempotencyKey: item.idempotencyKey,
          status: response.status,
          body: (await response.json()) as unknown,
          replayed: response.headers.get('Idempotent-Replayed') === 'true',
          ...(retryAfter === null ? {} : { retryAfterSeconds: Number(retryAfter) }),
        });
      }
      return json({ results });
    }
    return answer({ key: headers['Idempotency-Key'] ?? '', user, path: url, body: JSON.parse(String(init.body ?? '{}')) as SentAnswer['body'] });
  };
  return { fetch, sent, batches, answerWith: (next: Handler) => void (current = next) };
}

/** A mutual-exclusion Web Locks double shared by "tabs" (ifAvailable semantics only). */
export function sharedLocks(): LockManagerLike & { grants: number } {
  const held = new Set<string>();
  const locks = {
    grants: 0,
    async request(name: string, _options: { ifAvailable: boolean }, callback: (lock: unknown) => Promise<void> | undefined) {
      if (held.has(name)) return callback(null);
      held.add(name);
      locks.grants++;
      try {
        return await callback({ name });
      } finally {
        held.delete(name);
      }
    },
  };
  return locks;
}

export interface OutboxRuntimeOptions extends ResilienceRuntimeConfig {
  factory: IDBFactory | null;
}

/**
 * A runtime on a given IndexedDB factory with no document, no real locks, and a controllable monotonic clock;
 * its outbox is configured as the app configures it (answers batch codec, /api/ paths, replay headers).
 */
export function outboxRuntime({ factory, outbox, ...config }: OutboxRuntimeOptions) {
  const app = { batch: answersBatchCodec, allowedPath: isApiPath, requestHeaders: replayHeaders };
  return testRuntime(mergeRuntimeConfig({ storage: { indexedDB: factory }, monotonicNow: () => performanceNow.value, outbox: { locks: null, visibility: null, ...app, ...outbox } }, config));
}

export const performanceNow = { value: 0 };

export function answer(scope: string, n: number, user = 'ada'): OutboxSubmission {
  return { scope, user, request: { method: 'POST', path: '/api/answers', body: { scope, n } } };
}

/** Queues submissions with a runtime that has no user (so nothing replays), then disposes it. */
export async function seed(factory: IDBFactory, submissions: OutboxSubmission[]) {
  const { runtime } = outboxRuntime({ factory });
  const entries = [];
  for (const submission of submissions) entries.push(await runtime.outbox.submit(submission));
  await runtime.outbox.drain(); // let the start-up pass finish before the "tab" closes
  runtime.dispose();
  return entries;
}

export const freshFactory = () => new IDBFactory();

/** BroadcastChannel stand-in shared by "tabs" in one test: a message reaches every other open channel of the name. */
export function channelHub() {
  type Channel = { onmessage: ((event: { data: unknown }) => void) | null; postMessage(message: unknown): void; close(): void };
  const open = new Map<string, Set<Channel>>();
  let posted = 0;
  const openChannel = (name: string): Channel => {
    const peers = open.get(name) ?? new Set<Channel>();
    open.set(name, peers);
    const channel: Channel = {
      onmessage: null,
      postMessage(message) {
        posted++;
        for (const peer of peers) if (peer !== channel) setImmediate(() => peer.onmessage?.({ data: structuredClone(message) }));
      },
      close: () => void peers.delete(channel),
    };
    peers.add(channel);
    return channel;
  };
  return { openChannel, names: () => [...open.keys()], posted: () => posted };
}
