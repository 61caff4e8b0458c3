import { testRuntime, useFakeClock, json, scriptedFetch } from './helpers';

describe('memory pressure from the heap sampler runs the registered evictors', () => {
  beforeEach(() => useFakeClock());
  afterEach(() => vi.useRealTimers());

  it('a heap at 90 % of its limit reports MEMORY_PRESSURE once per crossing; the clean-up empties the in-memory response cache, never the outbox', async () => {
    const heap = { usedBytes: 100, limitBytes: 1_000 };
    const { fetch } = scriptedFetch(json({ lessons: [] }));
    const { runtime, ofType } = testRuntime({ api: { fetch }, storage: { indexedDB: null }, userId: 'ada', healing: { memorySampler: { read: () => heap, intervalMs: 1_000 } } });
    await vi.dynamicImportSettled(); // the sampler starts with the healing strategies, after the first load
    await runtime.api.request({ op: 'lesson_list', method: 'GET', path: '/api/lessons', cache: { key: 'lessons', mode: 'fallback' } });
    await runtime.outbox.submit({ scope: 'lesson:a', user: 'someone-else', request: { method: 'POST', path: '/api/answers', body: { a: 1 } } });
    expect(await runtime.cache.get('ada', 'lessons')).toBeDefined();

    await vi.advanceTimersByTimeAsync(5_000);
    expect(ofType('heal.attempted')).toEqual([]); // 10 %: no pressure

    heap.usedBytes = 900;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(ofType('heal.attempted')).toEqual([expect.objectContaining({ strategy: 'memoryCleanup', code: 'MEMORY_PRESSURE' })]);
    // The saved copy and the cache's per-student index record.
    expect(ofType('heal.memoryFreed')).toEqual([expect.objectContaining({ entries: 2 })]);
    expect(await runtime.cache.get('ada', 'lessons')).toBeUndefined();
    expect(runtime.outbox.snapshot().ready).toBe(true);

    await vi.advanceTimersByTimeAsync(5_000);
    expect(ofType('heal.attempted')).toHaveLength(1); // still full: not cleaned every interval
    heap.usedBytes = 500;
    await vi.advanceTimersByTimeAsync(1_000);
    heap.usedBytes = 950;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(ofType('heal.attempted')).toHaveLength(2); // a new crossing
    runtime.dispose();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('no sampler where the browser has no heap measure (Node: no performance.memory)', async () => {
    const { runtime, ofType } = testRuntime({ storage: { indexedDB: null } });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(ofType('heal.attempted')).toEqual([]);
    runtime.dispose();
  });
});
