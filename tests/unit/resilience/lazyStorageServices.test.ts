import type { ApiClient, ApiRequest, ApiResult, ResilienceEvent } from '../../../src/resilience';
import { systemClock } from '../../../src/resilience/core/clock';
import { createEventBus } from '../../../src/resilience/core/eventBus';
import type { ApiClientParts } from '../../../src/resilience/transport/apiClientWiring';
import { lazyApiClient, type LoadApiClient } from '../../../src/resilience/transport/lazyApiClient';
import { json, scriptedFetch, useFakeClock } from './helpers';

const get = (extra: Partial<ApiRequest> = {}): ApiRequest => ({ op: 'lessons', method: 'GET', path: '/api/lessons', ...extra });

/**
 * The facade over a client that records what it is asked (the real client is driven through the runtime by
 * apiClient.test.ts and the policy suites); the load waits for `release()` and fails the first time if asked.
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
  const load: LoadApiClient = () => {
    loads.push(loads.length + 1);
    if (fail && loads.length === 1) return Promise.reject(new Error('chunk gone'));
    return gate.then(() => ({ createRuntimeApiClient: () => ({ client, dispose: () => void disposed.push('deadline') }) }));
  };
  const server = scriptedFetch(json({ lessons: ['plain'] }));
  const parts = { clock, events, baseUrl: 'https://tutor.test', fetch: server.fetch, interactiveBudgetMs: 8_000, extraHeaders: () => ({ 'X-Student-Id': 's-1' }) } as unknown as ApiClientParts;
  return { api: lazyApiClient(parts, load), asked, heard, loads, release, server, disposed, clock };
}

beforeEach(() => useFakeClock());
afterEach(() => vi.useRealTimers());

describe('lazyApiClient (requests while the API client code loads)', () => {
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

  it('dispose() while a request waits answers it ABORTED without sending it, and disposes the loaded client', async () => {
    const { api, release, server, disposed } = setup();
    const pending = api.request(get());
    api.dispose();
    await expect(pending).resolves.toMatchObject({ ok: false, error: { code: 'ABORTED' } });
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(server.calls).toHaveLength(0);
    expect(disposed).toEqual([]); // a load landing after dispose() builds nothing

    const loaded = setup();
    loaded.release();
    await loaded.api.request(get());
    loaded.api.dispose();
    expect(loaded.disposed).toEqual(['deadline']);
  });
});
