import { IDBFactory } from 'fake-indexeddb';
import type { FetchLike, LockManagerLike, OutboxSubmission, ResilienceRuntimeConfig } from '../../../src/resilience';
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

/** A fetch edge like our server: records every request's Idempotency-Key and answers through `handler`. */
export function answerServer(handler: Handler = () => json({ correct: true, feedback: 'Correct!', attemptId: 'a' })) {
  const sent: SentAnswer[] = [];
  let current = handler;
  const fetch: FetchLike = async (url, init) => {
    const headers = (init.headers ?? {}) as Record<string, string>;
    const record: SentAnswer = { key: headers['Idempotency-Key'] ?? '', user: headers['X-Student-Id'] ?? '', path: url, body: JSON.parse(String(init.body ?? '{}')) as SentAnswer['body'] };
    sent.push(record);
    const reply = await current(record);
    if (reply instanceof Error) throw reply;
    return reply;
  };
  return { fetch, sent, answerWith: (next: Handler) => void (current = next) };
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

/** A runtime on a given IndexedDB factory with no document, no real locks, and a controllable monotonic clock. */
export function outboxRuntime({ factory, outbox, ...config }: OutboxRuntimeOptions) {
  return testRuntime({ indexedDB: factory, monotonicNow: () => performanceNow.value, outbox: { locks: null, visibility: null, ...outbox }, ...config });
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
