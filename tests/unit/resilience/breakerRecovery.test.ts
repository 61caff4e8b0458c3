import { createMemoryBreakerHub, createMemoryBreakerStore } from '../../../src/resilience/policies/breakerStore';
import { json, scriptedFetch, testRuntime, useFakeClock } from './helpers';

beforeEach(() => {
  useFakeClock();
});
afterEach(() => {
  vi.useRealTimers();
});

const healthCalls = (calls: { url: string }[]) => calls.filter((call) => call.url.endsWith('/api/health')).length;

describe('the API breaker recovers by itself', () => {
  it('probes the health endpoint once when the open period ends, and closes with nothing else sent', async () => {
    let down = true;
    const { fetch, calls } = scriptedFetch((url) => (down ? json({ code: 'UNAVAILABLE' }, 503) : json(url.endsWith('/api/health') ? { ok: true } : [])));
    const { runtime } = testRuntime({ api: { fetch }, connectivity: { source: undefined }, breakers: { defaults: { openDurationMs: 30_000 } } });
    for (let i = 0; i < 5; i++) await runtime.api.request({ op: 'lessons', method: 'GET', path: '/api/lessons', retry: false });
    expect(runtime.breakers.snapshot().api?.state).toBe('open');
    const sentWhileDown = calls.length;

    down = false;
    await vi.advanceTimersByTimeAsync(29_000);
    expect(calls.length).toBe(sentWhileDown); // nothing before the open period ends
    await vi.advanceTimersByTimeAsync(1_500);
    expect(runtime.breakers.snapshot().api?.state).toBe('closed');
    expect(calls.length - sentWhileDown).toBe(1);
    expect(healthCalls(calls.slice(sentWhileDown))).toBe(1);

    await vi.advanceTimersByTimeAsync(120_000);
    expect(calls.length - sentWhileDown).toBe(1); // closed: no more probes
    runtime.dispose();
  });

  it('keeps probing at each open period while the backend stays down, and stops on dispose', async () => {
    const { fetch, calls } = scriptedFetch(() => json({ code: 'UNAVAILABLE' }, 503));
    const { runtime } = testRuntime({ api: { fetch }, connectivity: { source: undefined }, breakers: { defaults: { openDurationMs: 10_000 } } });
    for (let i = 0; i < 5; i++) await runtime.api.request({ op: 'lessons', method: 'GET', path: '/api/lessons', retry: false });
    const before = healthCalls(calls);
    await vi.advanceTimersByTimeAsync(10_300);
    expect(healthCalls(calls)).toBe(before + 1);
    await vi.advanceTimersByTimeAsync(10_300);
    expect(healthCalls(calls)).toBe(before + 2);
    runtime.dispose();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(healthCalls(calls)).toBe(before + 2);
  });

  it('a page that restores an open breaker from an earlier load probes when that open period ends', async () => {
    const hub = createMemoryBreakerHub();
    const down = scriptedFetch(() => json({ code: 'UNAVAILABLE' }, 503));
    const first = testRuntime({ api: { fetch: down.fetch }, connectivity: { source: undefined }, breakers: { store: createMemoryBreakerStore(hub) } }).runtime;
    for (let i = 0; i < 5; i++) await first.api.request({ op: 'lessons', method: 'GET', path: '/api/lessons', retry: false });
    first.dispose();

    const up = scriptedFetch(() => json({ ok: true }));
    const { runtime } = testRuntime({ api: { fetch: up.fetch }, connectivity: { source: undefined }, breakers: { store: createMemoryBreakerStore(hub) } });
    expect(runtime.breakers.get('api').state().state).toBe('open'); // what the UI does at start-up
    await vi.advanceTimersByTimeAsync(31_000);
    expect(healthCalls(up.calls)).toBe(1);
    expect(runtime.breakers.snapshot().api?.state).toBe('closed');
    runtime.dispose();
  });
});
