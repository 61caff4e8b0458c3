/**
 * Enqueue latency of the durable outbox (issue 4, goal p50 ≤ 2 ms in Chromium), free of Node APIs so the same
 * code runs bundled in Chromium (real IndexedDB, bench/outbox.browser.ts) and in Node (fake-indexeddb).
 *
 * Each contender stores `answers` answers one after another (each awaited) after `warmup` untimed ones, into
 * a fresh database per round; every call is timed with performance.now(). Rounds interleave the contenders
 * (A B C D, A B C D, …) so drift and GC hit them alike; the samples of all rounds are pooled.
 *
 * - outbox.submit (drain held off): runtime with userId 'bench', a fetch that always rejects, and a Web Locks
 *   stand-in that never grants the drain lock ("another tab drains"), so the drain that every submit of the
 *   current user kicks ends at once and only the enqueue is measured;
 * - outbox.submit (offline, drain running): the same without the lock stand-in, with connectivity offline. A
 *   submit no longer starts a pass while offline, so this is what a student answering offline waits for (the
 *   label is kept from when each submit started a doomed pass that reloaded the queue);
 * - idb-keyval set(): the same entry shape written with the library the outbox stores through (the floor);
 * - localStorage JSON array push: read, parse, push, stringify, write back (what many apps do; synchronous,
 *   grows with the queue, not transactional, no quota handling).
 */
import { createStore, set } from 'idb-keyval';
import { createResilienceRuntime, mergeRuntimeConfig, type ResilienceRuntimeConfig } from '../src/resilience';
import type { LockManagerLike } from '../src/resilience/policies/probeLeases';

export interface EnqueueOptions {
  answers: number;
  warmup: number;
  rounds: number;
}

export interface EnqueueRow {
  readonly name: string;
  /** Milliseconds; null when the contender does not exist in this environment. */
  readonly median: number | null;
  readonly p95: number | null;
  readonly max: number | null;
  readonly note?: string;
}

export interface EnqueueResult {
  readonly rows: EnqueueRow[];
  /** `durable` of the last outbox entry: false would mean the memory fallback was measured. */
  readonly durable: boolean;
  readonly crossOriginIsolated: boolean;
}

export interface EnqueueEnvironment {
  /** IndexedDB for the runtime; idb-keyval always uses globalThis.indexedDB. */
  indexedDB: IDBFactory;
  /** null where there is none (Node): that row is left empty. */
  localStorage: Storage | null;
  /** Extra runtime settings (Node: storage null). */
  runtime?: Partial<ResilienceRuntimeConfig>;
}

export const ENQUEUE_CONTENDERS = ['outbox.submit (drain held off)', 'outbox.submit (offline, drain running)', 'idb-keyval set() (floor)', 'localStorage JSON array push'] as const;

const USER = 'bench';
/** Four lesson scopes (the fourth reuses a lesson's content under another scope); shared with outbox.node.ts. */
export const SCOPES = [
  { scope: 'lesson:fractions', lessonId: 'fractions', exerciseId: 'pizza-left' },
  { scope: 'lesson:linear-equations', lessonId: 'linear-equations', exerciseId: 'one-step-add' },
  { scope: 'lesson:percentages', lessonId: 'percentages', exerciseId: 'percent-of-amount' },
  { scope: 'lesson:fractions-review', lessonId: 'fractions', exerciseId: 'multiply' },
] as const;

/** Web Locks stand-in: the drain lock is always held elsewhere (`ifAvailable` → callback(null)). */
const heldElsewhere: LockManagerLike = {
  request: async (_name, _options, callback) => callback(null),
};

const neverSucceeds = () => Promise.reject(new TypeError('Failed to fetch (bench: the server is never reached)'));

function submission(i: number) {
  const { scope, lessonId, exerciseId } = SCOPES[i % SCOPES.length] ?? SCOPES[0];
  return { scope, user: USER, request: { method: 'POST' as const, path: '/api/answers', body: { lessonId, exerciseId, answer: `${scope}#${Math.floor(i / SCOPES.length)}` } } };
}

/** The stored shape of an outbox entry (outbox/outboxEntry.ts), for the floor and the localStorage row. */
function entryShape(i: number) {
  const now = Date.now();
  return { id: `${now.toString(36)}-${String(i).padStart(6, '0')}`, idempotencyKey: crypto.randomUUID(), ...submission(i), createdAt: now, createdMono: performance.now(), attempts: 0, nextAttemptAt: now };
}

type Contender = (round: number, timed: (call: () => Promise<unknown> | unknown) => Promise<void>, options: EnqueueOptions) => Promise<void>;

export async function measureEnqueue(env: EnqueueEnvironment, options: EnqueueOptions): Promise<EnqueueResult> {
  const stamp = Date.now().toString(36);
  let durable = true;
  const outbox = (drainHeldOff: boolean): Contender => async (round, timed) => {
    const databaseName = `bench-outbox-${drainHeldOff ? 'held' : 'drain'}-${stamp}-${round}`;
    const runtime = createResilienceRuntime(
      mergeRuntimeConfig(
        { storage: { indexedDB: env.indexedDB, databaseName }, api: { fetch: neverSucceeds }, userId: USER, outbox: drainHeldOff ? { locks: heldElsewhere } : {} },
        env.runtime ?? {},
      ),
    );
    let i = 0;
    for (; i < options.warmup; i++) await runtime.outbox.submit(submission(i));
    for (const end = i + options.answers; i < end; i++) {
      await timed(async () => {
        const entry = await runtime.outbox.submit(submission(i));
        durable &&= entry.durable;
      });
    }
    runtime.dispose();
    await deleteDatabase(env.indexedDB, databaseName);
  };
  const idbKeyval: Contender = async (round, timed) => {
    const databaseName = `bench-idb-keyval-${stamp}-${round}`;
    const store = createStore(databaseName, 'outbox');
    let i = 0;
    for (; i < options.warmup; i++) await set(`w${i}`, entryShape(i), store);
    for (const end = i + options.answers; i < end; i++) {
      const entry = entryShape(i);
      await timed(() => set(entry.id, entry, store));
    }
    await store('readonly', (s) => s.transaction.db.close());
    await deleteDatabase(globalThis.indexedDB, databaseName);
  };
  const localStoragePush: Contender = async (round, timed) => {
    const storage = env.localStorage;
    if (!storage) return;
    const key = `bench-outbox-${stamp}-${round}`;
    const push = (entry: unknown) => {
      const queue = JSON.parse(storage.getItem(key) ?? '[]') as unknown[];
      queue.push(entry);
      storage.setItem(key, JSON.stringify(queue));
    };
    let i = 0;
    for (; i < options.warmup; i++) push(entryShape(i));
    for (const end = i + options.answers; i < end; i++) {
      const entry = entryShape(i);
      await timed(() => push(entry));
    }
    storage.removeItem(key);
  };

  const contenders: Contender[] = [outbox(true), outbox(false), idbKeyval, localStoragePush];
  const samples = contenders.map(() => [] as number[]);
  for (let round = 0; round < options.rounds; round++) {
    for (const [index, contender] of contenders.entries()) {
      await contender(round, async (call) => {
        const started = performance.now();
        await call();
        samples[index]?.push(performance.now() - started);
      }, options);
    }
  }
  const rows = ENQUEUE_CONTENDERS.map((name, index): EnqueueRow => {
    const sorted = [...(samples[index] ?? [])].sort((a, b) => a - b);
    if (sorted.length === 0) return { name, median: null, p95: null, max: null };
    return { name, median: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), max: sorted[sorted.length - 1] ?? NaN };
  });
  return { rows, durable, crossOriginIsolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true };
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;

function deleteDatabase(factory: IDBFactory, name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = factory.deleteDatabase(name);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}
