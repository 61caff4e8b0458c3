import { createBrowserBreakerStore, memoryStorage, type BroadcastChannelLike } from '../../../src/resilience';
import { createMemoryBreakerHub, createMemoryBreakerStore } from '../../../src/resilience/policies/breakerStore';
import flagsFile from '../../../feature-flags.json';
import { flagsWith, hangingFetch, json, scriptedFetch, testRuntime, useFakeClock } from './helpers';

const down = () => json({ error: { code: 'DOWN', message: 'maintenance' } }, 503);
// Breaker behaviour in isolation from retries: one attempt per request.
const noRetry = flagsWith({ retry: false });
const get = (path = '/api/lessons', backend?: string) => ({ op: 'test', method: 'GET' as const, path, backend });

beforeEach(() => {
  useFakeClock();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('circuit breaker', () => {
  it('opens after 5 consecutive failures and then fails fast with CIRCUIT_OPEN', async () => {
    const { fetch, calls } = scriptedFetch(down());
    const { runtime, ofType } = testRuntime({ api: { fetch }, flags: { source: noRetry } });
    for (let i = 0; i < 4; i++) await runtime.api.request(get());
    expect(runtime.breakers.snapshot().api?.state).toBe('closed');
    await runtime.api.request(get());
    expect(runtime.breakers.snapshot().api).toMatchObject({ state: 'open', reason: '5 consecutive failures' });
    expect(ofType('breaker.opened')).toHaveLength(1);

    const rejected = await runtime.api.request(get());
    expect(rejected).toMatchObject({ ok: false, attempts: 0, fallbackAdvised: true, error: { code: 'CIRCUIT_OPEN', backend: 'api', retryAfterMs: 30_000 } });
    expect(calls).toHaveLength(5);
  });

  it('opens on 5 failures within 60 s even when successes break the streak', async () => {
    const { fetch } = scriptedFetch(down(), json({}), down(), json({}), down(), json({}), down(), json({}), down());
    const { runtime } = testRuntime({ api: { fetch }, flags: { source: noRetry } });
    for (let i = 0; i < 8; i++) {
      await runtime.api.request(get());
      await vi.advanceTimersByTimeAsync(5_000);
    }
    expect(runtime.breakers.snapshot().api?.state).toBe('closed');
    await runtime.api.request(get());
    expect(runtime.breakers.snapshot().api).toMatchObject({ state: 'open', reason: '5 failures within 60 s' });
  });

  it('does not count failures older than the window', async () => {
    const { fetch } = scriptedFetch(down(), json({}));
    const { runtime } = testRuntime({ api: { fetch }, flags: { source: noRetry } });
    for (let i = 0; i < 8; i++) {
      await runtime.api.request(get());
      await vi.advanceTimersByTimeAsync(20_000); // each failure followed by a success, 20 s apart
    }
    expect(runtime.breakers.snapshot().api?.state).toBe('closed');
  });

  it('never trips on aborted calls or 4xx answers', async () => {
    const { fetch } = scriptedFetch(hangingFetch);
    const { runtime } = testRuntime({ api: { fetch }, flags: { source: noRetry } });
    await vi.dynamicImportSettled(); // the API client's code (the afterFirstLoad chunk) is there
    for (let i = 0; i < 8; i++) {
      const controller = new AbortController();
      const pending = runtime.api.request({ ...get(), signal: controller.signal });
      controller.abort();
      expect(await pending).toMatchObject({ error: { code: 'ABORTED' } });
    }
    const notFound = scriptedFetch(json({ error: { code: 'NOT_FOUND', message: 'no such lesson' } }, 404), json({}, 401), json({}, 409), json({}, 422));
    const other = testRuntime({ api: { fetch: notFound.fetch }, flags: { source: noRetry } });
    for (let i = 0; i < 8; i++) await other.runtime.api.request(get());
    expect(runtime.breakers.snapshot().api?.state).toBe('closed');
    expect(other.runtime.breakers.snapshot().api?.state).toBe('closed');
  });

  it('after the open duration admits only one probe when 20 calls arrive at once, and closes on its success', async () => {
    let release: (r: Response) => void = () => undefined;
    const { fetch, calls } = scriptedFetch(down(), down(), down(), down(), down(), () => new Promise<Response>((r) => (release = r)), json({}));
    const { runtime, ofType } = testRuntime({ api: { fetch }, flags: { source: noRetry } });
    for (let i = 0; i < 5; i++) await runtime.api.request(get());
    await vi.advanceTimersByTimeAsync(30_000);

    const burst = Array.from({ length: 20 }, () => runtime.api.request(get()));
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(6); // the single probe
    expect(runtime.breakers.snapshot().api?.state).toBe('halfOpen');
    release(json({ lessons: [] }));
    const results = await Promise.all(burst);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.error.code === 'CIRCUIT_OPEN')).toHaveLength(19);
    expect(runtime.breakers.snapshot().api?.state).toBe('closed');
    expect(ofType('breaker.closed')).toMatchObject([{ backend: 'api', reason: 'probe succeeded' }]);
    await expect(runtime.api.request(get())).resolves.toMatchObject({ ok: true });
  });

  it('admits up to the configured number of probes (3)', async () => {
    const { fetch, calls } = scriptedFetch(down(), down(), down(), down(), down(), hangingFetch);
    const { runtime } = testRuntime({ api: { fetch }, flags: { source: noRetry }, breakers: { defaults: { halfOpenMaxProbes: 3 } } });
    for (let i = 0; i < 5; i++) await runtime.api.request(get());
    await vi.advanceTimersByTimeAsync(30_000);
    const burst = Array.from({ length: 20 }, () => runtime.api.request(get()));
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(8);
    await vi.advanceTimersByTimeAsync(10_000);
    await Promise.all(burst);
  });

  it('re-opens when the probe fails, including by its own timeout', async () => {
    const { fetch } = scriptedFetch(down(), down(), down(), down(), down(), hangingFetch);
    const { runtime, ofType } = testRuntime({ api: { fetch, defaultTimeoutMs: 60_000 }, flags: { source: noRetry }, breakers: { defaults: { probeTimeoutMs: 2_000 } } });
    for (let i = 0; i < 5; i++) await runtime.api.request(get());
    await vi.advanceTimersByTimeAsync(30_000);
    const probe = runtime.api.request(get());
    await vi.advanceTimersByTimeAsync(2_000);
    await expect(probe).resolves.toMatchObject({ ok: false, error: { code: 'TIMEOUT' } });
    expect(runtime.breakers.snapshot().api).toMatchObject({ state: 'open', reason: 'probe failed' });
    expect(ofType('breaker.opened')).toHaveLength(2);
  });

  it('isolates backends: a failing backend neither slows nor fails another backend', async () => {
    const hanging = scriptedFetch((url, init) => (url.includes('/tutor') ? hangingFetch(url, init) : json({ ok: 1 })));
    const { runtime } = testRuntime({ api: { fetch: hanging.fetch, defaultTimeoutMs: 5_000 }, flags: { source: noRetry } });
    const tutorCalls = Array.from({ length: 5 }, () => runtime.api.request(get('/api/tutor/ask', 'tutor')));
    const lessons = await runtime.api.request(get('/api/lessons', 'lessons'));
    expect(lessons).toMatchObject({ ok: true, durationMs: 0 });
    await vi.advanceTimersByTimeAsync(5_000);
    await Promise.all(tutorCalls);
    expect(runtime.breakers.snapshot()).toMatchObject({ tutor: { state: 'open' }, lessons: { state: 'closed' } });
    await expect(runtime.api.request(get('/api/lessons', 'lessons'))).resolves.toMatchObject({ ok: true });
  });
});

describe('breaker state across reloads and tabs', () => {
  it('is restored from the store after a reload', async () => {
    const hub = createMemoryBreakerHub();
    const { fetch } = scriptedFetch(down());
    const first = testRuntime({ api: { fetch }, flags: { source: noRetry }, breakers: { store: createMemoryBreakerStore(hub) } });
    for (let i = 0; i < 5; i++) await first.runtime.api.request(get());
    first.runtime.dispose();

    const reloaded = scriptedFetch(json({}));
    const second = testRuntime({ api: { fetch: reloaded.fetch }, flags: { source: noRetry }, breakers: { store: createMemoryBreakerStore(hub) } });
    await expect(second.runtime.api.request(get())).resolves.toMatchObject({ ok: false, error: { code: 'CIRCUIT_OPEN' } });
    expect(reloaded.calls).toHaveLength(0);
  });

  it('applies a state broadcast by another tab, which then stops calling the backend too', async () => {
    const hub = createMemoryBreakerHub();
    const tabA = testRuntime({ api: { fetch: scriptedFetch(down()).fetch }, flags: { source: noRetry }, breakers: { store: createMemoryBreakerStore(hub) } });
    const tabBFetch = scriptedFetch(json({}));
    const tabB = testRuntime({ api: { fetch: tabBFetch.fetch }, flags: { source: noRetry }, breakers: { store: createMemoryBreakerStore(hub) } });
    await tabB.runtime.api.request(get());
    for (let i = 0; i < 5; i++) await tabA.runtime.api.request(get());
    expect(tabB.runtime.breakers.snapshot().api?.state).toBe('open');
    expect(tabB.ofType('breaker.opened')[0]?.reason).toMatch(/^another tab:/);
    await expect(tabB.runtime.api.request(get())).resolves.toMatchObject({ error: { code: 'CIRCUIT_OPEN' } });
    expect(tabBFetch.calls).toHaveLength(1);
  });

  it('lets only one tab probe in half-open', async () => {
    const hub = createMemoryBreakerHub();
    const a = scriptedFetch(down(), down(), down(), down(), down(), hangingFetch);
    const b = scriptedFetch(hangingFetch);
    const tabA = testRuntime({ api: { fetch: a.fetch }, flags: { source: noRetry }, breakers: { store: createMemoryBreakerStore(hub) } });
    const tabB = testRuntime({ api: { fetch: b.fetch }, flags: { source: noRetry }, breakers: { store: createMemoryBreakerStore(hub) } });
    for (let i = 0; i < 5; i++) await tabA.runtime.api.request(get());
    await vi.advanceTimersByTimeAsync(30_000);
    const probeA = tabA.runtime.api.request(get());
    await vi.advanceTimersByTimeAsync(0);
    await expect(tabB.runtime.api.request(get())).resolves.toMatchObject({ error: { code: 'CIRCUIT_OPEN' } });
    expect(b.calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(10_000);
    await probeA;
  });

  it('ignores a corrupt stored state and reports it', async () => {
    const hub = createMemoryBreakerHub();
    hub.persisted.set('api', { state: 'open', reopenAt: 'never' });
    const { runtime, ofType } = testRuntime({ api: { fetch: scriptedFetch(json({})).fetch }, breakers: { store: createMemoryBreakerStore(hub) } });
    await expect(runtime.api.request(get())).resolves.toMatchObject({ ok: true });
    expect(ofType('runtime.internalError')[0]?.message).toMatch(/malformed breaker state/);
  });

  it('browser store: persists to localStorage, broadcasts on a channel, and leases through storage without Web Locks', async () => {
    const storage = memoryStorage();
    const channels: BroadcastChannelLike[] = [];
    const openChannel = () => {
      const channel: BroadcastChannelLike = {
        onmessage: null,
        postMessage: (data) => channels.filter((c) => c !== channel).forEach((c) => c.onmessage?.({ data: structuredClone(data) })),
        close: () => undefined,
      };
      channels.push(channel);
      return channel;
    };
    const clock = { now: () => Date.now(), setTimeout, clearTimeout } as never;
    const tab1 = createBrowserBreakerStore({ storage, clock, tabId: 'tab-1', openChannel, locks: null });
    const tab2 = createBrowserBreakerStore({ storage, clock, tabId: 'tab-2', openChannel, locks: null });
    const heard: unknown[] = [];
    tab2.subscribe((backend, state) => heard.push({ backend, state }));
    const open = { state: 'open' as const, openedAt: 1, reopenAt: 2, reason: 'test' };
    tab1.save('api', open);
    expect(heard).toEqual([{ backend: 'api', state: open }]);
    expect(tab2.load('api')).toEqual(open);

    const lease = await tab1.acquireProbeLease('api', 5_000);
    expect(lease).not.toBeNull();
    await expect(tab2.acquireProbeLease('api', 5_000)).resolves.toBeNull();
    lease?.release();
    await expect(tab2.acquireProbeLease('api', 5_000)).resolves.not.toBeNull();
  });

  it('browser store degrades to a lone tab when storage and channels are missing', async () => {
    const none = { getItem: () => null, setItem: () => undefined, removeItem: () => undefined };
    const store = createBrowserBreakerStore({ storage: none, clock: { now: () => 0, setTimeout, clearTimeout } as never, tabId: 't', openChannel: () => undefined, locks: null });
    store.save('api', { state: 'closed', since: 0 });
    expect(store.load('api')).toBeUndefined();
    await expect(store.acquireProbeLease('api', 1_000)).resolves.not.toBeNull();
    store.dispose();
  });
});

describe('flags off', () => {
  it('with the breaker flag off, a failing backend is called every time', async () => {
    const { fetch, calls } = scriptedFetch(down());
    const { runtime } = testRuntime({ api: { fetch }, flags: { source: flagsWith({ retry: false, circuitBreaker: false }) } });
    for (let i = 0; i < 10; i++) await runtime.api.request(get());
    expect(calls).toHaveLength(10);
    expect(runtime.breakers.snapshot()).toEqual({});
    void flagsFile;
  });
});
