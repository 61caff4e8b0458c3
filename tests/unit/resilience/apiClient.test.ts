import { FLAG_NAMES, type BreakerStateStore } from '../../../src/resilience';
import { flagsWith, json, networkError, scriptedFetch, testRuntime, useFakeClock } from './helpers';

const allOff = flagsWith(Object.fromEntries(FLAG_NAMES.map((name) => [name, false])));

beforeEach(() => useFakeClock());
afterEach(() => vi.useRealTimers());

describe('API client', () => {
  it('returns the parsed value with its provenance and emits attempt and success events', async () => {
    const { fetch, calls } = scriptedFetch(json({ lessons: [{ id: 'fractions' }] }));
    const { runtime, ofType } = testRuntime({ api: { fetch, baseUrl: 'http://localhost:8787', extraHeaders: () => ({ 'X-Student-Id': 'ada' }) } });
    const result = await runtime.api.request({ op: 'lessons.list', method: 'GET', path: '/api/lessons' });
    expect(result).toEqual({ ok: true, value: { lessons: [{ id: 'fractions' }] }, source: 'network', status: 200, attempts: 1, durationMs: 0 });
    expect(calls[0]?.url).toBe('http://localhost:8787/api/lessons');
    expect(calls[0]?.init.headers).toMatchObject({ 'X-Student-Id': 'ada', Accept: 'application/json' });
    expect(ofType('request.attempted')).toMatchObject([{ backend: 'api', op: 'lessons.list', attempt: 1, ok: true, status: 200 }]);
    expect(ofType('request.succeeded')).toMatchObject([{ backend: 'api', op: 'lessons.list', status: 200, attempts: 1 }]);
    expect(vi.getTimerCount()).toBe(1); // only the shared deadline's timer, left to lapse (timeout.test.ts)
    runtime.dispose();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('classifies a JSON error body and does not retry a 4xx', async () => {
    const { fetch, calls } = scriptedFetch(json({ error: { code: 'NOT_FOUND', message: 'No lesson "x"' } }, 404));
    const { runtime, ofType } = testRuntime({ api: { fetch } });
    const result = await runtime.api.request({ op: 'lesson', method: 'GET', path: '/api/lessons/x' });
    expect(result).toMatchObject({ ok: false, fallbackAdvised: false, error: { code: 'HTTP_4XX', status: 404, message: 'HTTP 404: No lesson "x"' } });
    expect(calls).toHaveLength(1);
    expect(ofType('request.failed')).toMatchObject([{ code: 'HTTP_4XX', status: 404 }]);
  });

  it('honours a Retry-After HTTP date from the server', async () => {
    const retryAt = new Date(Date.now() + 3_000).toUTCString();
    const { fetch, calls } = scriptedFetch(json({ error: { code: 'BUSY', message: 'busy' } }, 429, { 'retry-after': retryAt }), json({ ok: true }));
    const { runtime, ofType } = testRuntime({ api: { fetch } });
    const pending = runtime.api.request({ op: 'progress', method: 'GET', path: '/api/progress' });
    await vi.advanceTimersByTimeAsync(2_999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(pending).resolves.toMatchObject({ ok: true, attempts: 2 });
    expect(ofType('retry.scheduled')).toMatchObject([{ attempt: 2, delayMs: 3_000, reason: 'RATE_LIMITED' }]);
  });

  it('a Retry-After beyond the latency budget fails at once with fallbackAdvised', async () => {
    const { fetch, calls } = scriptedFetch(json({ error: { code: 'DOWN', message: 'down' } }, 503, { 'retry-after': '30' }));
    const { runtime, ofType } = testRuntime({ api: { fetch } });
    const result = await runtime.api.request({ op: 'lesson', method: 'GET', path: '/api/lessons/1', latencyBudgetMs: 5_000 });
    expect(result).toMatchObject({ ok: false, fallbackAdvised: true, error: { code: 'HTTP_5XX', retryAfterMs: 30_000 } });
    expect(calls).toHaveLength(1);
    expect(ofType('retry.stopped')).toMatchObject([{ reason: 'retryAfterBeyondBudget' }]);
  });

  it('a 2xx with a body that is not JSON is INVALID_RESPONSE', async () => {
    const { fetch } = scriptedFetch(new Response('<html>captive portal</html>', { status: 200 }));
    const { runtime } = testRuntime({ api: { fetch } });
    await expect(runtime.api.request({ op: 'lessons', method: 'GET', path: '/api/lessons' })).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_RESPONSE' } });
  });

  it('a throwing event listener does not fail the request', async () => {
    const { fetch } = scriptedFetch(json({ ok: true }));
    const { runtime, ofType } = testRuntime({ api: { fetch } });
    runtime.events.subscribe(() => {
      throw new Error('broken dashboard');
    });
    await expect(runtime.api.request({ op: 'lessons', method: 'GET', path: '/api/lessons' })).resolves.toMatchObject({ ok: true });
    expect(ofType('runtime.internalError').length).toBeGreaterThan(0);
  });

  it('a breaker store that throws is reported and the request proceeds as if the breaker were off', async () => {
    const broken: BreakerStateStore = {
      load: () => {
        throw new Error('corrupt storage');
      },
      save: () => undefined,
      subscribe: () => () => undefined,
      acquireProbeLease: async () => null,
      dispose: () => undefined,
    };
    const { fetch } = scriptedFetch(json({ ok: true }));
    const { runtime, ofType } = testRuntime({ api: { fetch }, breakers: { store: broken } });
    await expect(runtime.api.request({ op: 'lessons', method: 'GET', path: '/api/lessons' })).resolves.toMatchObject({ ok: true });
    expect(ofType('runtime.internalError').map((e) => e.subsystem)).toContain('breakers');
  });

  it('with every flag off behaves like plain fetch: the same request, once, no timers, no breaker', async () => {
    const request = { op: 'answers.submit', method: 'POST' as const, path: '/api/answers', body: { answer: '1/2' }, idempotencyKey: 'k1' };
    const plain = scriptedFetch(json({ error: { code: 'DOWN', message: 'down' } }, 503));
    const direct = await plain.fetch('/api/answers', {
      method: 'POST',
      headers: { Accept: 'application/json', 'Idempotency-Key': 'k1', 'Content-Type': 'application/json' },
      body: JSON.stringify({ answer: '1/2' }),
    });

    const { fetch, calls } = scriptedFetch(json({ error: { code: 'DOWN', message: 'down' } }, 503));
    const { runtime } = testRuntime({ api: { fetch }, flags: { source: allOff } });
    const results = [];
    for (let i = 0; i < 8; i++) results.push(await runtime.api.request(request));
    expect(calls).toHaveLength(8);
    expect(calls[0]?.init).toEqual(plain.calls[0]?.init);
    expect(calls[0]?.init.signal).toBeUndefined();
    expect(results[7]).toMatchObject({ ok: false, attempts: 1, error: { code: 'HTTP_5XX', status: direct.status } });
    expect(runtime.breakers.snapshot()).toEqual({});
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('breaker and a device that is offline', () => {
  it('network errors while the device is known to be offline do not open the backend breaker', async () => {
    const { fetch } = scriptedFetch(networkError());
    const { runtime, ofType } = testRuntime({ api: { fetch } });
    await runtime.connectivity.probe('test');
    expect(runtime.connectivity.state()).toBe('offline');
    for (let i = 0; i < 8; i++) {
      const result = await runtime.api.request({ op: 'lesson_list', method: 'GET', path: '/api/lessons', retry: false });
      expect(result).toMatchObject({ ok: false, error: { code: 'NETWORK' } });
    }
    expect(ofType('breaker.opened')).toEqual([]);
    expect(runtime.breakers.snapshot().api?.state ?? 'closed').toBe('closed');
    runtime.dispose();
  });
});

describe('connectivity monitor', () => {
  it('does not trust the offline event: it probes /api/health and stays online when the probe answers', async () => {
    const target = new EventTarget();
    const { fetch, calls } = scriptedFetch(json({ status: 'ok' }));
    const { runtime, ofType } = testRuntime({ api: { fetch }, connectivity: { source: target as never } });
    target.dispatchEvent(new Event('offline'));
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.map((c) => c.url)).toEqual(['/api/health']);
    expect(runtime.connectivity.state()).toBe('online');
    expect(ofType('connectivity.changed')).toMatchObject([{ state: 'online', previous: 'unknown' }]);
  });

  it('goes offline when the probe fails, re-probes with backoff, and comes back on evidence', async () => {
    const target = new EventTarget();
    const { fetch, calls } = scriptedFetch(networkError(), networkError(), json({ status: 'ok' }));
    const { runtime } = testRuntime({ api: { fetch }, connectivity: { source: target as never } });
    target.dispatchEvent(new Event('offline'));
    await vi.advanceTimersByTimeAsync(0);
    expect(runtime.connectivity.state()).toBe('offline');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(calls).toHaveLength(2);
    expect(runtime.connectivity.state()).toBe('offline');
    await vi.advanceTimersByTimeAsync(4_000);
    expect(calls).toHaveLength(3);
    expect(runtime.connectivity.state()).toBe('online');
    runtime.dispose();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a network failure triggers a probe; a successful request counts as evidence of being online', async () => {
    const { fetch, calls } = scriptedFetch(networkError(), networkError(), json({ ok: 1 }));
    const { runtime } = testRuntime({ api: { fetch }, flags: { source: flagsWith({ retry: false }) } });
    await runtime.api.request({ op: 'lessons', method: 'GET', path: '/api/lessons' });
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.map((c) => c.url)).toEqual(['/api/lessons', '/api/health']);
    expect(runtime.connectivity.state()).toBe('offline');
    await runtime.api.request({ op: 'lessons', method: 'GET', path: '/api/lessons' });
    expect(runtime.connectivity.state()).toBe('online');
    runtime.dispose();
  });

  it('background retries wait for connectivity instead of burning attempts while offline', async () => {
    const target = new EventTarget();
    let serverUp = false;
    const { fetch, calls } = scriptedFetch((url) => (serverUp ? json({ ok: url }) : networkError()));
    const { runtime } = testRuntime({ api: { fetch }, connectivity: { source: target as never } });
    const pending = runtime.api.request({ op: 'sync', method: 'GET', path: '/api/progress', retry: 'background' });
    await vi.advanceTimersByTimeAsync(0);
    expect(runtime.connectivity.state()).toBe('offline');
    await vi.advanceTimersByTimeAsync(60_000);
    const requestsWhileOffline = calls.filter((c) => c.url === '/api/progress').length;
    expect(requestsWhileOffline).toBe(1);
    serverUp = true;
    await vi.advanceTimersByTimeAsync(40_000); // the next re-probe finds the server
    await expect(pending).resolves.toMatchObject({ ok: true, value: { ok: '/api/progress' } });
    runtime.dispose();
  });
});
