import { createEventBus } from '../../../../src/resilience/core/eventBus';
import { systemClock } from '../../../../src/resilience/core/clock';
import { createChaosEngine } from '../../../../src/resilience/chaos/chaosEngine';
import { CHAOS_SCENARIOS, parseChaosParam, runtimeChaos, type ChaosRule, type ChaosSettings, type ResilienceEvent, type RuntimeChaos } from '../../../../src/resilience';
import { flagsWith, json, scriptedFetch, testRuntime, useFakeClock } from '../helpers';

const settings = (seed: number, rules: readonly ChaosRule[], scenario = 'test'): ChaosSettings => ({ seed, scenario, rules });
/** The runtime's `chaos` option for these settings. */
const chaosOf = (...args: Parameters<typeof settings>): RuntimeChaos => runtimeChaos(settings(...args));

function injections(seed: number, rules: readonly ChaosRule[], calls: number) {
  const events = createEventBus(systemClock());
  const seen: ResilienceEvent[] = [];
  events.subscribe((e) => seen.push(e));
  const engine = createChaosEngine(settings(seed, rules), events);
  const kinds = Array.from({ length: calls }, (_, i) => engine.decide('backend', `GET /api/${i}`)?.kind ?? '-');
  return { kinds, events: seen.filter((e) => e.type === 'chaos.injected') };
}

describe('runtime chaos decisions', () => {
  it('the same seed gives the same injections, another seed others', () => {
    const a = injections(42, CHAOS_SCENARIOS.mixed ?? [], 300);
    const b = injections(42, CHAOS_SCENARIOS.mixed ?? [], 300);
    expect(b.kinds).toEqual(a.kinds);
    expect(b.events.map(({ at: _at, ...rest }) => rest)).toEqual(a.events.map(({ at: _at, ...rest }) => rest));
    expect(injections(43, CHAOS_SCENARIOS.mixed ?? [], 300).kinds).not.toEqual(a.kinds);
  });

  it('injects at the configured rate', () => {
    const { kinds } = injections(7, [{ key: 'backend', kind: 'outcome', rate: 0.3, status: 503 }], 10_000);
    const rate = kinds.filter((k) => k === 'outcome').length / kinds.length;
    expect(rate).toBeGreaterThan(0.28);
    expect(rate).toBeLessThan(0.32);
    expect(injections(7, [{ key: 'backend', kind: 'fault', rate: 0 }], 1000).events).toHaveLength(0);
  });

  it('parses seed:scenario from the URL and explains a bad value', () => {
    expect(parseChaosParam('42:backend-503')).toMatchObject({ ok: true, settings: { seed: 42, scenario: 'backend-503' } });
    expect(parseChaosParam('x:backend-503')).toMatchObject({ ok: false, message: expect.stringMatching(/seed:scenario/) });
    expect(parseChaosParam('1:nope')).toMatchObject({ ok: false, message: expect.stringMatching(/unknown.*backend-503/) });
  });
});

describe('each injected fault is handled by the real policies', () => {
  beforeEach(() => useFakeClock());
  afterEach(() => vi.useRealTimers());

  async function settle<T>(promise: Promise<T>): Promise<T> {
    let done = false;
    void promise.finally(() => (done = true));
    for (let i = 0; i < 200 && !done; i++) await vi.advanceTimersByTimeAsync(250);
    return promise;
  }

  it('an injected 503 is retried, then fails as HTTP_5XX, and opens the breaker; the server is never called', async () => {
    const server = scriptedFetch(json({ ok: true }));
    const { runtime, ofType } = testRuntime({ api: { fetch: server.fetch }, chaos: chaosOf(1, [{ key: 'backend', kind: 'outcome', rate: 1, status: 503 }]) });
    await vi.dynamicImportSettled(); // the API client's code (the afterFirstLoad chunk) is there
    const result = await settle(runtime.api.request({ op: 'lessons', method: 'GET', path: '/api/lessons' }));
    expect(result).toMatchObject({ ok: false, error: { code: 'HTTP_5XX' } });
    expect(ofType('retry.scheduled').length).toBeGreaterThan(0);
    // Consecutive failures open the breaker (five by default); it must happen within a few more requests.
    for (let i = 0; i < 8 && ofType('breaker.opened').length === 0; i++) await settle(runtime.api.request({ op: 'lessons', method: 'GET', path: '/api/lessons', retry: false }));
    expect(ofType('breaker.opened')).toHaveLength(1);
    const blocked = await settle(runtime.api.request({ op: 'lessons', method: 'GET', path: '/api/lessons', retry: false }));
    expect(blocked).toMatchObject({ ok: false, error: { code: 'CIRCUIT_OPEN' } });
    expect(server.calls.filter((c) => c.url.endsWith('/api/lessons'))).toHaveLength(0);
    expect(ofType('chaos.injected').length).toBeGreaterThanOrEqual(4);
    runtime.dispose();
  });

  it('an injected fault is a NETWORK failure and an injected latency is cut by the real timeout', async () => {
    const server = scriptedFetch(json({ ok: true }));
    const down = testRuntime({ api: { fetch: server.fetch }, chaos: chaosOf(1, [{ key: 'backend', kind: 'fault', rate: 1 }]) });
    expect(await settle(down.runtime.api.request({ op: 'x', method: 'GET', path: '/api/lessons', retry: false }))).toMatchObject({ ok: false, error: { code: 'NETWORK' } });
    down.runtime.dispose();

    const slow = testRuntime({ api: { fetch: server.fetch }, chaos: chaosOf(1, [{ key: 'backend', kind: 'latency', rate: 1, latencyMs: 5_000 }]) });
    expect(await settle(slow.runtime.api.request({ op: 'x', method: 'GET', path: '/api/lessons', retry: false, timeoutMs: 1_000 }))).toMatchObject({ ok: false, error: { code: 'TIMEOUT' } });
    const passed = await settle(slow.runtime.api.request({ op: 'x', method: 'GET', path: '/api/lessons', retry: false, timeoutMs: 10_000 }));
    expect(passed).toMatchObject({ ok: true });
    slow.runtime.dispose();
  });
});

describe('every injection is a breadcrumb for the error tracker too', () => {
  beforeEach(() => useFakeClock());
  afterEach(() => vi.useRealTimers());

  it('an injected 503 leaves a resilience.chaos breadcrumb with key, kind, target and seq', async () => {
    const crumbs: { category: string; data?: Record<string, unknown> }[] = [];
    const { runtime } = testRuntime({
      flags: { source: flagsWith({ monitoring: true }) },
      storage: { indexedDB: null },
      api: { fetch: scriptedFetch(json({ ok: true })).fetch },
      chaos: chaosOf(1, [{ key: 'backend', kind: 'outcome', rate: 1, status: 503 }], 'backend-503'),
    });
    await runtime.monitoring.ready();
    runtime.monitoring.attachBridge({ captureError: () => undefined, addBreadcrumb: (crumb) => crumbs.push(crumb), count: () => undefined, gauge: () => undefined, distribution: () => undefined });
    await runtime.api.request({ op: 'x', method: 'GET', path: '/api/lessons', retry: false });
    expect(crumbs.filter((c) => c.category === 'resilience.chaos')).toEqual([
      expect.objectContaining({ data: { key: 'backend', kind: 'outcome', target: 'GET /api/lessons', seq: 1, scenario: 'backend-503', seed: 1 } }),
    ]);
    runtime.dispose();
  });
});
