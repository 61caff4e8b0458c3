import type { ApiClient, ApiResult } from '../../../src/resilience';
import { withResponseCache } from '../../../src/resilience/cache/cachedApi';
import { CACHE_WRITE_INTERVAL_MS } from '../../../src/resilience/cache/writeBehind';
import { createResponseCache, type ResponseCache } from '../../../src/resilience/cache/responseCache';
import { memoryKeyValueStore, type KeyValueStore } from '../../../src/resilience/core/storage';
import { flagsWith, json, networkError, scriptedFetch } from './helpers';
import { freshFactory, outboxRuntime, settle, START, useOutboxClock } from './outboxHelpers';

beforeEach(() => useOutboxClock());
afterEach(() => vi.useRealTimers());

const HOUR_MS = 60 * 60 * 1000;
const lesson = (id: string) => ({ op: 'lesson.get', method: 'GET' as const, path: `/api/lessons/${id}`, cache: { key: `lesson:${id}`, mode: 'fallback' as const } });
const offlineFlags = flagsWith({ retry: false, connectivity: false, circuitBreaker: false });

/** A store that counts what the cache asks of it. */
function countingStore(inner: KeyValueStore = memoryKeyValueStore()) {
  const calls: string[] = [];
  const store: KeyValueStore = {
    get: (key) => (calls.push('get'), inner.get(key)),
    set: (key, value) => (calls.push('set'), inner.set(key, value)),
    del: (key) => (calls.push('del'), inner.del(key)),
    delMany: (keys) => (calls.push('delMany'), inner.delMany(keys)),
    entries: () => (calls.push('entries'), inner.entries()),
    clear: () => (calls.push('clear'), inner.clear()),
    delRange: (lower, upper) => (calls.push('delRange'), inner.delRange(lower, upper)),
    transaction: (step) =>
      inner.transaction((tx) =>
        step({ ...tx, values: () => (calls.push('values'), tx.values()) }),
      ),
  };
  return { store, inner, calls };
}

describe('response cache bounds', () => {
  it('keeps at most maxEntries copies per student, evicting the least recently used (a served copy counts as used)', async () => {
    const cache = createResponseCache(memoryKeyValueStore(), { bounds: { maxEntries: 3 }, now: () => Date.now() });
    for (const key of ['a', 'b', 'c']) await cache.put('ada', key, { key }, Date.now());
    await cache.put('bob', 'x', { key: 'x' }, Date.now()); // another student's copies do not count
    expect(await cache.get('ada', 'a')).toBeDefined(); // a is now the most recently used
    await expect(cache.put('ada', 'd', { key: 'd' }, Date.now())).resolves.toEqual({ stored: true, evicted: 1 });
    expect(await cache.get('ada', 'b')).toBeUndefined();
    for (const key of ['a', 'c', 'd']) expect(await cache.get('ada', key)).toBeDefined();
    expect(await cache.get('bob', 'x')).toBeDefined();
  });

  it('keeps at most maxBytes per student; a single response over the bound is not stored', async () => {
    const cache = createResponseCache(memoryKeyValueStore(), { bounds: { maxBytes: 100 }, now: () => Date.now() });
    const forty = (n: number) => ({ text: String(n).repeat(29) }); // 40 bytes as JSON
    await cache.put('ada', 'one', forty(1), Date.now());
    await cache.put('ada', 'two', forty(2), Date.now());
    await expect(cache.put('ada', 'three', forty(3), Date.now())).resolves.toEqual({ stored: true, evicted: 1 });
    expect(await cache.get('ada', 'one')).toBeUndefined();
    expect(await cache.get('ada', 'two')).toBeDefined();
    await expect(cache.put('ada', 'two', { text: 'x'.repeat(200) }, Date.now())).resolves.toEqual({ stored: false, evicted: 0 });
    expect(await cache.get('ada', 'two')).toBeUndefined(); // the older, smaller copy is gone too
    expect(await cache.get('ada', 'three')).toBeDefined();
  });

  it('serves a copy labelled with its age until the maximum age, then never', async () => {
    const { fetch } = scriptedFetch(json({ title: 'Fractions' }), networkError());
    const { runtime, ofType } = outboxRuntime({ api: { fetch }, flags: { source: offlineFlags }, factory: freshFactory(), userId: 'ada', responseCache: { maxAgeMs: 24 * HOUR_MS } });
    await expect(runtime.api.request(lesson('fractions'))).resolves.toMatchObject({ source: 'network' });
    await settle();
    vi.setSystemTime(START + 23 * HOUR_MS);
    await expect(runtime.api.request(lesson('fractions'))).resolves.toMatchObject({ ok: true, source: 'cache', stale: { ageMs: 23 * HOUR_MS, storedAt: START } });
    vi.setSystemTime(START + 24 * HOUR_MS + 1);
    await expect(runtime.api.request(lesson('fractions'))).resolves.toMatchObject({ ok: false, error: { code: 'NETWORK' } });
    expect(ofType('cache.served')).toHaveLength(1);
    // Deleted when met: even with the clock set back it is not served again.
    vi.setSystemTime(START + HOUR_MS);
    expect(await runtime.cache.get('ada', 'lesson:fractions')).toBeUndefined();
  });

  it('purging a student deletes by key range without reading a single value', async () => {
    const { store, calls } = countingStore();
    const cache = createResponseCache(store, { now: () => Date.now() });
    for (const key of ['a', 'b', 'c']) await cache.put('ada', key, { key }, Date.now());
    await cache.put('ad', 'aa', { key: 'ad/aa' }, Date.now()); // a prefix of "ada" must not be caught
    await cache.put('bob', 'a', { key: 'bob' }, Date.now());
    calls.splice(0);
    await expect(cache.purgeUser('ada')).resolves.toBe(3);
    expect(calls).toEqual(['get', 'delRange']); // the index record, then one range delete
    for (const key of ['a', 'b', 'c']) expect(await cache.get('ada', key)).toBeUndefined();
    expect(await cache.get('ad', 'aa')).toBeDefined();
    expect(await cache.get('bob', 'a')).toBeDefined();
  });

  it('purges by key range in IndexedDB too', async () => {
    const { runtime } = outboxRuntime({ factory: freshFactory() });
    await runtime.cache.put('ada', 'a', 1, Date.now());
    await runtime.cache.put('ada', 'b', 2, Date.now());
    await runtime.cache.put('adam', 'a', 3, Date.now());
    await expect(runtime.cache.purgeUser('ada')).resolves.toBe(2);
    expect(await runtime.cache.get('ada', 'a')).toBeUndefined();
    expect(await runtime.cache.get('adam', 'a')).toEqual({ value: 3, storedAt: START });
  });
});

describe('write-behind on the success path', () => {
  const network = (value: unknown): ApiClient => ({
    request: async <T>() => ({ ok: true, value: value as T, source: 'network', status: 200, attempts: 1, durationMs: 1 }) as ApiResult<T>,
  });

  function cachedApi(cache: ResponseCache) {
    const { runtime, ofType } = outboxRuntime({ factory: null, userId: 'ada' });
    const api = withResponseCache(network({ title: 'Fractions' }), { cache, flags: runtime.flags, events: runtime.events, clock: runtime.clock, user: () => 'ada' });
    return { api, ofType };
  }

  it('returns the network result without waiting for the cache write', async () => {
    let finishWrite: () => void = () => {};
    const real = createResponseCache(memoryKeyValueStore(), { now: () => Date.now() });
    const slow: ResponseCache = { ...real, put: (...args) => new Promise((resolve) => (finishWrite = () => void real.put(...args).then(resolve))) };
    const { api, ofType } = cachedApi(slow);
    await expect(api.request(lesson('fractions'))).resolves.toMatchObject({ ok: true, source: 'network', value: { title: 'Fractions' } });
    expect(ofType('cache.stored')).toEqual([]); // still writing
    finishWrite();
    await settle();
    expect(ofType('cache.stored')).toEqual([{ type: 'cache.stored', op: 'lesson.get', key: 'lesson:fractions', at: expect.any(Number) }]);
    expect(await real.get('ada', 'lesson:fractions')).toMatchObject({ value: { title: 'Fractions' } });
  });

  it('a failed write is an event, never an error to the caller', async () => {
    const real = createResponseCache(memoryKeyValueStore(), { now: () => Date.now() });
    const full: ResponseCache = { ...real, put: () => Promise.reject(Object.assign(new Error('quota'), { name: 'QuotaExceededError' })) };
    const throwing: ResponseCache = { ...real, put: () => { throw new Error('broken'); } };
    for (const cache of [full, throwing]) {
      const { api, ofType } = cachedApi(cache);
      await expect(api.request(lesson('fractions'))).resolves.toMatchObject({ ok: true, source: 'network' });
      await settle();
      expect(ofType('cache.writeFailed')).toHaveLength(1);
      expect(ofType('cache.stored')).toEqual([]);
    }
  });
});

describe('write-behind under a burst', () => {
  it('one write in flight per key: results arriving meanwhile collapse into one write of the newest, which a failure serves', async () => {
    const writes: unknown[] = [];
    const finish: (() => void)[] = [];
    const real = createResponseCache(memoryKeyValueStore(), { now: () => Date.now() });
    const slow: ResponseCache = {
      ...real,
      put: (user, key, value, storedAt) => {
        writes.push(value);
        return new Promise((resolve) => finish.push(() => void real.put(user, key, value, storedAt).then(resolve)));
      },
    };
    let reply: ApiResult<unknown> = { ok: true, value: 1, source: 'network', status: 200, attempts: 1, durationMs: 1 };
    const edge: ApiClient = { request: async <T>() => reply as ApiResult<T> };
    const { runtime, ofType } = outboxRuntime({ factory: null, userId: 'ada' });
    const api = withResponseCache(edge, { cache: slow, flags: runtime.flags, events: runtime.events, clock: runtime.clock, user: () => 'ada' });
    for (const value of [1, 2, 3, 4]) {
      reply = { ...reply, value } as ApiResult<unknown>;
      await api.request(lesson('fractions'));
    }
    expect(writes).toEqual([1]); // the first write is still in flight; 4 waits behind it (2 and 3 replaced)
    reply = { ok: false, error: Object.assign(new Error('down'), { code: 'NETWORK' }) as never, attempts: 1, durationMs: 1, fallbackAdvised: true };
    await expect(api.request(lesson('fractions'))).resolves.toMatchObject({ source: 'cache', value: 4 });
    await vi.advanceTimersByTimeAsync(CACHE_WRITE_INTERVAL_MS);
    expect(writes).toEqual([1]); // the interval has passed, but the first write is still in flight
    finish.shift()?.();
    await settle();
    expect(writes).toEqual([1, 4]); // the first write took longer than the interval: the newest follows at once
    finish.shift()?.();
    await settle();
    expect(await real.get('ada', 'lesson:fractions')).toMatchObject({ value: 4 });
    expect(ofType('cache.stored')).toHaveLength(2);
  });
});

describe('write-behind interval', () => {
  const reply = (value: unknown): ApiResult<unknown> => ({ ok: true, value, source: 'network', status: 200, attempts: 1, durationMs: 1 });

  function polling() {
    const writes: unknown[] = [];
    const real = createResponseCache(memoryKeyValueStore(), { now: () => Date.now() });
    const counted: ResponseCache = { ...real, put: (user, key, value, storedAt) => (writes.push(value), real.put(user, key, value, storedAt)) };
    let next: ApiResult<unknown> = reply(0);
    const edge: ApiClient = { request: async <T>() => next as ApiResult<T> };
    const { runtime } = outboxRuntime({ factory: null, userId: 'ada' });
    const api = withResponseCache(edge, { cache: counted, flags: runtime.flags, events: runtime.events, clock: runtime.clock, user: () => 'ada' });
    const answer = async (value: unknown) => {
      next = reply(value);
      await api.request(lesson('fractions'));
      await settle();
    };
    return { api, real, writes, answer, fail: (code: string) => (next = { ok: false, error: Object.assign(new Error(code), { code }) as never, attempts: 1, durationMs: 1, fallbackAdvised: true }) };
  }

  it('a key is written at most once per interval: quick successes wait in memory and the newest is written when it passes', async () => {
    const { api, real, writes, answer, fail } = polling();
    await answer(1);
    expect(writes).toEqual([1]); // the first is written at once
    for (const value of [2, 3, 4]) await answer(value);
    expect(writes).toEqual([1]); // written well within the interval: held
    fail('NETWORK');
    await expect(api.request(lesson('fractions'))).resolves.toMatchObject({ source: 'cache', value: 4 }); // the held copy serves
    await vi.advanceTimersByTimeAsync(CACHE_WRITE_INTERVAL_MS);
    expect(writes).toEqual([1, 4]);
    expect(await real.get('ada', 'lesson:fractions')).toMatchObject({ value: 4 });
    await vi.advanceTimersByTimeAsync(CACHE_WRITE_INTERVAL_MS * 3);
    await answer(5); // long after: at once again
    expect(writes).toEqual([1, 4, 5]);
  });

  it('dispose starts the held writes at once and leaves no timer behind', async () => {
    const { api, real, writes, answer } = polling();
    await answer(1);
    await answer(2);
    expect(writes).toEqual([1]);
    api.dispose();
    await settle();
    expect(writes).toEqual([1, 2]);
    expect(await real.get('ada', 'lesson:fractions')).toMatchObject({ value: 2 });
    await vi.advanceTimersByTimeAsync(CACHE_WRITE_INTERVAL_MS * 2);
    expect(writes).toEqual([1, 2]);
  });
});
