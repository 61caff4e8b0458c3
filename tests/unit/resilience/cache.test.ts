import { flagsWith, json, networkError, scriptedFetch } from './helpers';
import { freshFactory, outboxRuntime, START, useOutboxClock } from './outboxHelpers';

beforeEach(() => useOutboxClock());
afterEach(() => vi.useRealTimers());

const lessons = { op: 'lessons.list', method: 'GET', path: '/api/lessons', cache: { key: 'lessons', mode: 'fallback' } } as const;

describe('response cache', () => {
  it('keeps one namespace per user and purges only the user who logs out', async () => {
    const { runtime, ofType } = outboxRuntime({ factory: freshFactory() });
    await runtime.cache.put('ada', 'progress', { done: 1 }, START - 3_000);
    await runtime.cache.put('bob', 'progress', { done: 9 }, START - 2_000);
    await runtime.cache.put('ad', 'aprogress', { done: 0 }, START - 1_000); // must not collide with ada/progress
    expect(await runtime.cache.get('ada', 'progress')).toEqual({ value: { done: 1 }, storedAt: START - 3_000 });
    expect(await runtime.cache.get('bob', 'progress')).toEqual({ value: { done: 9 }, storedAt: START - 2_000 });
    await expect(runtime.cache.purgeUser('ada')).resolves.toBe(1);
    expect(await runtime.cache.get('ada', 'progress')).toBeUndefined();
    expect(await runtime.cache.get('bob', 'progress')).toBeDefined();
    expect(await runtime.cache.get('ad', 'aprogress')).toBeDefined();
    expect(ofType('runtime.internalError')).toEqual([]);
  });

  it('serves the stored copy with its age when the network path fails, and says it is stale', async () => {
    const { fetch } = scriptedFetch(
      json({ lessons: ['fractions'] }),
      networkError(),
      json({ error: { code: 'DOWN', message: 'down' } }, 503),
      json({ error: { code: 'BUSY', message: 'slow down' } }, 429), // refused for load: no answer either
    );
    const { runtime, ofType } = outboxRuntime({ api: { fetch }, flags: { source: flagsWith({ retry: false, connectivity: false }) }, factory: freshFactory(), userId: 'ada' });
    await expect(runtime.api.request(lessons)).resolves.toMatchObject({ ok: true, source: 'network' });
    vi.advanceTimersByTime(90_000);
    await expect(runtime.api.request(lessons)).resolves.toMatchObject({
      ok: true,
      source: 'cache',
      value: { lessons: ['fractions'] },
      stale: { ageMs: 90_000, storedAt: Date.parse('2030-01-01T00:00:00Z') },
    });
    await expect(runtime.api.request(lessons)).resolves.toMatchObject({ ok: true, source: 'cache' });
    await expect(runtime.api.request(lessons)).resolves.toMatchObject({ ok: true, source: 'cache' });
    expect(ofType('fallback.used')).toMatchObject([{ op: 'lessons.list', strategy: 'cache', stale: true }, { strategy: 'cache' }, { strategy: 'cache' }]);
    expect(ofType('cache.served')).toHaveLength(3);
  });

  it("never serves another user's copy, and not for a 4xx answer", async () => {
    const factory = freshFactory();
    const ada = outboxRuntime({ api: { fetch: scriptedFetch(json({ lessons: ['ada'] })).fetch }, factory, userId: 'ada' });
    await ada.runtime.api.request(lessons);
    ada.runtime.dispose();
    const bob = outboxRuntime({ api: { fetch: scriptedFetch(networkError()).fetch }, flags: { source: flagsWith({ retry: false, connectivity: false }) }, factory, userId: 'bob' });
    await expect(bob.runtime.api.request(lessons)).resolves.toMatchObject({ ok: false, error: { code: 'NETWORK' } });
    const adaAgain = outboxRuntime({ api: { fetch: scriptedFetch(json({ error: { code: 'NOT_FOUND', message: 'gone' } }, 404)).fetch }, factory, userId: 'ada' });
    await expect(adaAgain.runtime.api.request(lessons)).resolves.toMatchObject({ ok: false, error: { status: 404 } });
  });

  it('with the responseCache flag off the option is ignored: nothing stored, nothing served', async () => {
    const { fetch } = scriptedFetch(json({ lessons: [] }), networkError());
    const { runtime, ofType } = outboxRuntime({ api: { fetch }, flags: { source: flagsWith({ responseCache: false, retry: false, connectivity: false }) }, factory: freshFactory(), userId: 'ada' });
    await runtime.api.request(lessons);
    await expect(runtime.api.request(lessons)).resolves.toMatchObject({ ok: false, error: { code: 'NETWORK' } });
    expect(ofType('cache.stored')).toEqual([]);
    expect(await runtime.cache.get('ada', 'lessons')).toBeUndefined();
  });

  it('works from memory when IndexedDB is unavailable', async () => {
    const { fetch } = scriptedFetch(json({ lessons: [1] }), networkError());
    const { runtime } = outboxRuntime({ api: { fetch }, flags: { source: flagsWith({ retry: false, connectivity: false }) }, factory: null, userId: 'ada' });
    await runtime.api.request(lessons);
    await expect(runtime.api.request(lessons)).resolves.toMatchObject({ source: 'cache', value: { lessons: [1] } });
  });
});
