import { ResilienceError, memoryStorage, CHUNK_RELOAD_KEY, type HealingStrategy } from '../../../src/resilience';
import { installChunkErrorHandler } from '../../../src/resilience/healing/chunkErrorHandler';
import { flagsWith, testRuntime, useFakeClock } from './helpers';

const err = (code: ConstructorParameters<typeof ResilienceError>[0]) => new ResilienceError(code, `test ${code}`);
const strategy = (name: string, heal: () => Promise<boolean>, canHeal = () => true): HealingStrategy & { calls: number } => {
  const s = {
    name,
    calls: 0,
    canHeal,
    heal: () => {
      s.calls += 1;
      return heal();
    },
  };
  return s;
};

describe('SelfHealingSystem', () => {
  beforeEach(() => useFakeClock());
  afterEach(() => vi.useRealTimers());

  it('makes at most 3 healing attempts per error type within the window, then escalates', async () => {
    const { runtime, ofType } = testRuntime();
    const failing = strategy('alwaysFails', async () => false);
    runtime.healing.registerStrategy('HTTP_5XX', failing);
    for (let i = 0; i < 3; i++) expect(await runtime.healing.handleError(err('HTTP_5XX'))).toEqual({ healed: false, strategy: 'alwaysFails' });
    expect(await runtime.healing.handleError(err('HTTP_5XX'))).toMatchObject({ healed: false, escalated: true });
    expect(failing.calls).toBe(3);
    expect(ofType('heal.escalated')).toEqual([expect.objectContaining({ code: 'HTTP_5XX', attempts: 3 })]);
    expect(ofType('heal.failed')).toHaveLength(3);

    // Another error type has its own budget; the window ends and the budget comes back.
    runtime.healing.registerStrategy('NETWORK', failing);
    expect(await runtime.healing.handleError(err('NETWORK'))).not.toHaveProperty('escalated');
    await vi.advanceTimersByTimeAsync(60_001);
    expect(await runtime.healing.handleError(err('HTTP_5XX'))).toEqual({ healed: false, strategy: 'alwaysFails' });
    runtime.dispose();
  });

  it('a strategy that throws counts as failed, is reported, and the next strategy still heals', async () => {
    const { runtime, ofType } = testRuntime();
    runtime.healing.registerStrategy('HTTP_5XX', strategy('throws', () => { throw new Error('boom'); }));
    runtime.healing.registerStrategy('HTTP_5XX', strategy('rejects', () => Promise.reject(new Error('async boom'))));
    runtime.healing.registerStrategy('HTTP_5XX', strategy('brokenCanHeal', async () => true, () => { throw new Error('canHeal boom'); }));
    runtime.healing.registerStrategy('HTTP_5XX', strategy('works', async () => true));

    await expect(runtime.healing.handleError(err('HTTP_5XX'))).resolves.toEqual({ healed: true, strategy: 'works' });
    expect(ofType('runtime.internalError').map((e) => e.message)).toEqual(['canHeal boom', 'boom', 'async boom']);
    expect(ofType('heal.failed').map((e) => e.strategy)).toEqual(['throws', 'rejects']);
    expect(ofType('heal.succeeded')).toEqual([expect.objectContaining({ strategy: 'works', code: 'HTTP_5XX' })]);
    runtime.dispose();
  });

  it('with the selfHealing flag off answers healed:false at once and runs nothing', async () => {
    const { runtime, ofType } = testRuntime({ flags: { source: flagsWith({ selfHealing: false }) } });
    const s = strategy('s', async () => true);
    runtime.healing.registerStrategy('HTTP_5XX', s);
    expect(await runtime.healing.handleError(err('HTTP_5XX'))).toMatchObject({ healed: false });
    expect(s.calls).toBe(0);
    expect(ofType('heal.attempted')).toHaveLength(0);
    runtime.dispose();
  });

  it('concurrent failures of one type share one healing attempt', async () => {
    const { runtime } = testRuntime();
    let release!: (healed: boolean) => void;
    const s = strategy('slow', () => new Promise<boolean>((resolve) => (release = resolve)));
    runtime.healing.registerStrategy('HTTP_5XX', s);
    const both = Promise.all([runtime.healing.handleError(err('HTTP_5XX')), runtime.healing.handleError(err('HTTP_5XX'))]);
    await vi.advanceTimersByTimeAsync(0);
    release(true);
    expect(await both).toEqual([{ healed: true, strategy: 'slow' }, { healed: true, strategy: 'slow' }]);
    expect(s.calls).toBe(1);
    expect(runtime.healing.attemptsFor('HTTP_5XX')).toBe(1);
    runtime.dispose();
  });
});

describe('healing strategies', () => {
  beforeEach(() => useFakeClock());
  afterEach(() => vi.useRealTimers());

  it('chunk reload: reloads once, a second CHUNK_LOAD within the guard window does not reload and escalates', async () => {
    const sessionStorage = memoryStorage();
    const reload = vi.fn();
    const { runtime, ofType } = testRuntime({ healing: { reload, sessionStorage, chunkReloadGuardMs: 300_000 } });
    const chunkError = new TypeError('Failed to fetch dynamically imported module: /assets/Lesson-abc123.js');

    expect(await runtime.healing.handleError(chunkError)).toEqual({ healed: true, strategy: 'chunkReload' });
    expect(reload).toHaveBeenCalledTimes(1);
    expect(Number(sessionStorage.getItem(CHUNK_RELOAD_KEY))).toBe(Date.now());

    // The page came back (same tab, sessionStorage kept) and the chunk still fails: no loop.
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await runtime.healing.handleError(chunkError)).toMatchObject({ healed: false, escalated: true });
    expect(reload).toHaveBeenCalledTimes(1);
    expect(ofType('heal.escalated')).toEqual([expect.objectContaining({ code: 'CHUNK_LOAD', reason: 'no strategy can heal this now' })]);

    await vi.advanceTimersByTimeAsync(300_000);
    expect(await runtime.healing.handleError(chunkError)).toMatchObject({ healed: true });
    expect(reload).toHaveBeenCalledTimes(2);
    runtime.dispose();
  });

  it('chunk reload never reloads when it cannot store its guard', async () => {
    const reload = vi.fn();
    const brokenStorage = { getItem: () => null, setItem: () => { throw new Error('SecurityError'); }, removeItem: () => undefined };
    const { runtime } = testRuntime({ healing: { reload, sessionStorage: brokenStorage } });
    expect(await runtime.healing.handleError(err('CHUNK_LOAD'))).toMatchObject({ healed: false });
    expect(reload).not.toHaveBeenCalled();
    runtime.dispose();
  });

  it('API retry: a network error heals when the health probe says online; a 401 refreshes the session once per window', async () => {
    const refreshSession = vi.fn(async () => true);
    const fetch = vi.fn(async () => new Response('{"status":"ok"}', { status: 200 }));
    const { runtime } = testRuntime({ api: { fetch }, healing: { refreshSession } });
    expect(await runtime.healing.handleError(new TypeError('Failed to fetch'))).toEqual({ healed: true, strategy: 'apiRetry' });
    expect(fetch).toHaveBeenCalledWith('/api/health', expect.anything());

    expect(await runtime.healing.handleError(err('AUTH'))).toEqual({ healed: true, strategy: 'apiRetry' });
    expect(await runtime.healing.handleError(err('AUTH'))).toMatchObject({ healed: false, escalated: true });
    expect(refreshSession).toHaveBeenCalledTimes(1);
    runtime.dispose();
  });

  it('storage reconnection reopens the store through the injected function', async () => {
    const reopenStorage = vi.fn(async () => undefined);
    const { runtime } = testRuntime({ healing: { reopenStorage } });
    expect(await runtime.healing.handleError(err('STORAGE_CLOSED'))).toEqual({ healed: true, strategy: 'storageReconnection' });
    expect(reopenStorage).toHaveBeenCalledTimes(1);
    runtime.dispose();
  });

  it('memory cleanup runs every evictor, reports what was freed, and survives one that throws', async () => {
    const { runtime, ofType } = testRuntime();
    const history = [1, 2, 3];
    runtime.evictors.register('history', () => ({ entries: history.splice(0).length, bytes: 300 }));
    runtime.evictors.register('broken', () => { throw new Error('evictor boom'); });
    expect(await runtime.healing.handleError(err('MEMORY_PRESSURE'))).toEqual({ healed: true, strategy: 'memoryCleanup' });
    expect(history).toEqual([]);
    // Every evictor but the broken one ran: this one and the runtime's own (the in-memory response cache, empty here).
    expect(ofType('heal.memoryFreed')).toEqual([expect.objectContaining({ entries: 3, bytes: 300, evictors: runtime.evictors.size - 1 })]);
    expect(runtime.evictors.size).toBeGreaterThan(2);
    expect(ofType('runtime.internalError').map((e) => e.message)).toEqual(['evictor boom']);
    runtime.dispose();
  });
});

describe('installChunkErrorHandler', () => {
  it('routes vite:preloadError and chunk-like unhandled rejections as CHUNK_LOAD, and nothing else', () => {
    const target = new EventTarget();
    const seen: ResilienceError[] = [];
    const uninstall = installChunkErrorHandler(target, (error) => seen.push(error));
    const preload = Object.assign(new Event('vite:preloadError'), { payload: new Error('Unable to preload CSS for /assets/x.css') });
    target.dispatchEvent(preload);
    const rejection = (reason: unknown) => target.dispatchEvent(Object.assign(new Event('unhandledrejection'), { reason }));
    rejection(new TypeError('Importing a module script failed.'));
    rejection(Object.assign(new Error('Loading chunk 7 failed.'), { name: 'ChunkLoadError' }));
    rejection(new TypeError('Failed to fetch')); // a plain network failure is not a chunk failure
    expect(seen.map((e) => e.code)).toEqual(['CHUNK_LOAD', 'CHUNK_LOAD', 'CHUNK_LOAD']);
    uninstall();
    rejection(new TypeError('Failed to fetch dynamically imported module: /a.js'));
    expect(seen).toHaveLength(3);
  });
});
