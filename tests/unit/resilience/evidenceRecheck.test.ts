import { ResilienceError } from '../../../src/resilience';
import { json, scriptedFetch, testRuntime, useFakeClock } from './helpers';

const down = () => json({ error: { code: 'DOWN', message: 'x' } }, 503);

/** A lesson served by its snapshot because the API failed: the mode is degraded, waiting for evidence. */
async function servedByFallback(runtime: ReturnType<typeof testRuntime>['runtime']): Promise<void> {
  runtime.fallback.registerStrategy('lesson_data', { name: 'snapshot', canHandle: () => true, execute: async () => ({ ok: true, value: 1 }) });
  await runtime.fallback.executeWithFallback(async () => ({ ok: false, error: new ResilienceError('HTTP_5XX', 'down') }), 'lesson_data');
}

describe('limited mode after a fallback ends on evidence the runtime asks for', () => {
  beforeEach(() => useFakeClock());
  afterEach(() => vi.useRealTimers());

  it('checks the health endpoint after 5 s, then 10 s, while it fails; the first success ends limited mode and the checks', async () => {
    const { fetch, calls } = scriptedFetch(down(), json({ status: 'ok' }));
    const { runtime } = testRuntime({ api: { fetch } });
    await servedByFallback(runtime);
    expect(runtime.modes.snapshot().mode).toBe('degraded');

    await vi.advanceTimersByTimeAsync(4_999);
    expect(calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls.map((c) => c.url)).toEqual(['/api/health']);
    expect(runtime.modes.snapshot().mode).toBe('degraded'); // 503: no healthy evidence yet

    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toHaveLength(2);
    expect(runtime.modes.snapshot()).toMatchObject({ mode: 'online', awaitingEvidence: false });

    await vi.advanceTimersByTimeAsync(120_000);
    expect(calls).toHaveLength(2); // nothing to wait for: no more checks
    runtime.dispose();
  });

  it('asks nothing while all is well, while offline, or while a breaker is open (its own probe covers it)', async () => {
    const { fetch, calls } = scriptedFetch(down());
    const { runtime } = testRuntime({ api: { fetch }, breakers: { defaults: { openDurationMs: 600_000 } } });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(0);

    for (let i = 0; i < 5; i++) await runtime.api.request({ op: 'x', method: 'GET', path: '/api/x', retry: false });
    expect(runtime.breakers.snapshot().api?.state).toBe('open');
    await servedByFallback(runtime);
    const before = calls.length;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(before);
    runtime.dispose();
  });

  it('dispose leaves no timer', async () => {
    const { fetch } = scriptedFetch(down());
    const { runtime } = testRuntime({ api: { fetch } });
    await servedByFallback(runtime);
    runtime.dispose();
    expect(vi.getTimerCount()).toBe(0);
  });
});
