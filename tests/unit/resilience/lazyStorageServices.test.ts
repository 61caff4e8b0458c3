import type { ApiClient, ApiRequest, ApiResult, Outbox, OutboxSnapshot, ResilienceEvent, ResponseCache } from '../../../src/resilience';
import { systemClock } from '../../../src/resilience/core/clock';
import { createEventBus } from '../../../src/resilience/core/eventBus';
import { lazyStorageServices, type LoadStorageServices } from '../../../src/resilience/outbox/lazyStorageServices';
import type { StorageServices, StorageServicesOptions } from '../../../src/resilience/outbox/outboxWiring';
import { json, scriptedFetch, useFakeClock } from './helpers';

const get = (extra: Partial<ApiRequest> = {}): ApiRequest => ({ op: 'lessons', method: 'GET', path: '/api/lessons', ...extra });

/**
 * The facade over services that record what they are asked (the real ones are driven through the runtime by
 * apiClient.test.ts, the outbox and cache suites); the load waits for `release()` and fails the first time if
 * asked.
 */
function setup(fail = false) {
  const clock = systemClock();
  const events = createEventBus(clock);
  const heard: ResilienceEvent[] = [];
  events.subscribe((event) => heard.push(event));
  const asked: ApiRequest[] = [];
  const answered: ApiResult<unknown> = { ok: true, value: { lessons: [] }, source: 'network', status: 200, attempts: 1, durationMs: 0 };
  const client: ApiClient = { request: async (request) => (asked.push(request), answered) as ApiResult<never> };
  let release = () => undefined as void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const loads: number[] = [];
  const disposed: string[] = [];
  const submitted: string[] = [];
  let snapshot: OutboxSnapshot = { durable: true, ready: true, draining: false, needsSignIn: false, pending: 0, byScope: {}, interventions: [], quarantined: 0, lastError: undefined };
  const outbox = {
    submit: async (submission: { scope: string }) => {
      submitted.push(submission.scope);
      snapshot = { ...snapshot, pending: snapshot.pending + 1 };
      return { id: `e${submitted.length}`, durable: true };
    },
    snapshot: () => snapshot,
    subscribe: () => () => undefined,
    start: async () => undefined,
  } as unknown as Outbox;
  const cache = { purgeUser: async () => 3 } as unknown as ResponseCache;
  const services = { api: client, outbox, cache, evictCacheMemory: () => 2, dispose: () => void disposed.push('services') } as unknown as StorageServices;
  const load: LoadStorageServices = () => {
    loads.push(loads.length + 1);
    if (fail && loads.length === 1) return Promise.reject(new Error('chunk gone'));
    return gate.then(() => ({ createStorageServices: () => services }));
  };
  const server = scriptedFetch(json({ lessons: ['plain'] }));
  const apiParts = { clock, events, baseUrl: 'https://tutor.test', fetch: server.fetch, interactiveBudgetMs: 8_000, extraHeaders: () => ({ 'X-Student-Id': 's-1' }) };
  const lazy = lazyStorageServices({ clock, events, api: apiParts } as unknown as StorageServicesOptions, load);
  return { lazy, api: lazy.api, asked, heard, loads, release, server, disposed, clock, submitted };
}

beforeEach(() => useFakeClock());
afterEach(() => vi.useRealTimers());

describe('lazyStorageServices: API requests while the code loads', () => {
  it('requests made meanwhile wait for the code and reach the real client in call order; then it is called directly', async () => {
    const { api, asked, release, server } = setup();
    const first = api.request(get({ op: 'first' }));
    const second = api.request(get({ op: 'second', retry: 'background' }));
    await vi.advanceTimersByTimeAsync(0);
    expect(asked).toEqual([]);
    release();
    await expect(first).resolves.toMatchObject({ ok: true, value: { lessons: [] } });
    await second;
    expect(asked.map((request) => request.op)).toEqual(['first', 'second']);
    await api.request(get({ op: 'third' }));
    expect(asked.map((request) => request.op)).toEqual(['first', 'second', 'third']);
    expect(asked[2]).toEqual(get({ op: 'third' })); // loaded: the request as given, no facade in between
    expect(server.calls).toHaveLength(0);
  });

  it('an interactive request counts its latency budget from the call, the wait included', async () => {
    const { api, asked, release, clock } = setup();
    const calledAt = clock.now();
    const pending = api.request(get({ latencyBudgetMs: 3_000 }));
    const background = api.request(get({ op: 'sync', retry: 'background' }));
    const tighter = api.request(get({ op: 'tight', deadlineAt: calledAt + 1_000 }));
    await vi.advanceTimersByTimeAsync(500);
    release();
    await Promise.all([pending, background, tighter]);
    expect(asked[0]?.deadlineAt).toBe(calledAt + 3_000);
    expect(asked[1]?.deadlineAt).toBeUndefined(); // background work has no student waiting
    expect(asked[2]?.deadlineAt).toBe(calledAt + 1_000); // the caller's own, earlier deadline stays
  });

  it("the caller's abort while waiting answers ABORTED at once, and the request is never sent", async () => {
    const { api, asked, release, heard, server } = setup();
    const controller = new AbortController();
    const pending = api.request(get({ signal: controller.signal }));
    controller.abort();
    await expect(pending).resolves.toMatchObject({ ok: false, error: { code: 'ABORTED' }, attempts: 0, fallbackAdvised: false });
    expect(heard).toMatchObject([{ type: 'request.failed', code: 'ABORTED', attempts: 0 }]);
    release();
    await api.request(get({ op: 'after' }));
    expect(asked.map((request) => request.op)).toEqual(['after']);
    expect(server.calls).toHaveLength(0);
  });

  it('a failed load is reported and the waiting request is sent once plainly (flags-off behaviour); the next request loads again', async () => {
    const { api, asked, release, heard, loads, server } = setup(true);
    const result = await api.request(get());
    expect(result).toMatchObject({ ok: true, source: 'network', value: { lessons: ['plain'] }, attempts: 1 });
    expect(server.calls).toHaveLength(1);
    expect(server.calls[0]?.url).toBe('https://tutor.test/api/lessons');
    expect(server.calls[0]?.init.headers).toMatchObject({ Accept: 'application/json', 'X-Student-Id': 's-1' });
    expect(heard).toMatchObject([{ type: 'runtime.internalError', subsystem: 'api', message: expect.stringContaining('chunk gone') }]);
    const again = api.request(get({ op: 'again' }));
    release();
    await again;
    expect(loads).toEqual([1, 2]);
    expect(asked.map((request) => request.op)).toEqual(['again']);
    expect(server.calls).toHaveLength(1);
  });

  it('dispose() while a request waits answers it ABORTED without sending it, and disposes the loaded services', async () => {
    const { lazy, api, release, server, disposed } = setup();
    const pending = api.request(get());
    lazy.dispose();
    await expect(pending).resolves.toMatchObject({ ok: false, error: { code: 'ABORTED' } });
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(server.calls).toHaveLength(0);
    expect(disposed).toEqual([]); // a load landing after dispose() builds nothing

    const loaded = setup();
    loaded.release();
    await loaded.api.request(get());
    loaded.lazy.dispose();
    expect(loaded.disposed).toEqual(['services']);
  });
});

describe('lazyStorageServices: the outbox and the response cache while the code loads', () => {
  const submission = { scope: 'lesson:1', user: 's-1', request: { method: 'POST' as const, path: '/api/answers', body: {} } };

  it('the outbox says not ready until its code is there; a submit waits and resolves only once the real outbox stored it', async () => {
    const { lazy, release, submitted } = setup();
    expect(lazy.outbox.snapshot()).toMatchObject({ ready: false, durable: false, pending: 0 });
    const heard: OutboxSnapshot[] = [];
    lazy.outbox.subscribe((snapshot) => heard.push(snapshot));
    let stored = false;
    const pending = lazy.outbox.submit(submission).then((entry) => ((stored = true), entry));
    await vi.advanceTimersByTimeAsync(0);
    expect(stored).toBe(false);
    expect(lazy.outbox.snapshot().pending).toBe(0);
    release();
    await expect(pending).resolves.toMatchObject({ id: 'e1', durable: true });
    expect(submitted).toEqual(['lesson:1']);
    expect(lazy.outbox.snapshot()).toMatchObject({ ready: true, durable: true, pending: 1 });
    expect(heard.at(-1)).toMatchObject({ ready: true }); // told when the placeholder gave way
    expect(lazy.evictCacheMemory()).toBe(2);
    await expect(lazy.cache.purgeUser('s-1')).resolves.toBe(3);
  });

  it('a failed load answers as the outbox with its flag off (submit: outboxDisabled, nothing stored) and the cache has nothing', async () => {
    const { lazy, heard, submitted } = setup(true);
    await expect(lazy.outbox.submit(submission)).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE', detail: { reason: 'outboxDisabled' } });
    expect(heard).toMatchObject([{ type: 'runtime.internalError', subsystem: 'api' }]);
    expect(submitted).toEqual([]);
    expect(lazy.outbox.snapshot()).toMatchObject({ ready: false, pending: 0 });
    expect(lazy.evictCacheMemory()).toBe(0);
  });
});
