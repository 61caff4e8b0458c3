import { flagsWith, json, scriptedFetch, testRuntime, useFakeClock } from '../helpers';
import { fakeWorld } from './fakes';
import type { RiskScorer } from '../../../../src/resilience';

function predictorFlags(enabled: boolean) {
  const file = flagsWith({ predictor: enabled }) as { flags: Record<string, { rollout?: number }> };
  delete file.flags.predictor?.rollout; // the shipped file rolls it out to nobody
  return file;
}

/** A scorer whose score the test sets (the trend scorer's own tables are in scorers.test.ts). */
const scripted = (): RiskScorer & { value: number } => ({ name: 'scripted', value: 0.1, score() { return { score: this.value, factors: [] }; } });

describe('runtime.predictor', () => {
  beforeEach(() => useFakeClock());
  afterEach(() => vi.useRealTimers());

  it('flag off: nothing runs — no observer, no timer, no prediction, no action', async () => {
    const world = fakeWorld();
    const { runtime, ofType } = testRuntime({ flags: { source: predictorFlags(false) }, predictor: { seams: world.seams(), visibility: null, intervalMs: 1000 } });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(world.observed).toEqual({ frames: [], pressure: 0, disconnected: 0 });
    expect(runtime.predictor.activeSources()).toEqual([]);
    expect(runtime.predictor.evaluateNow()).toBeUndefined();
    expect(runtime.predictor.snapshot()).toEqual({ score: 0, level: 'low' });
    expect(ofType('prediction')).toEqual([]);
    expect(ofType('prediction.action')).toEqual([]);
    runtime.dispose();
  });

  it('flag on: observers registered, evaluates on its interval; switching the flag off stops all and undoes actions', async () => {
    const world = fakeWorld();
    const scorer = scripted();
    const file = predictorFlags(true);
    const { runtime, ofType } = testRuntime({ flags: { source: file, allowOverrides: true }, storage: { local: null }, predictor: { seams: world.seams(), visibility: null, intervalMs: 1000, scorer } });
    await runtime.predictor.ready(); // its code is loaded once the flag is on
    expect(runtime.predictor.activeSources()).toEqual(['events', 'memory', 'long-animation-frame', 'pressure', 'eventLoopLag']);
    scorer.value = 0.7;
    await vi.advanceTimersByTimeAsync(1000);
    expect(ofType('prediction')).toHaveLength(1);
    expect(runtime.predictor.snapshot()).toEqual({ score: 0.7, level: 'high' });
    expect(ofType('prediction.action').map((e) => e.action)).toContain('flushOutbox');
    runtime.flags.setOverride('predictor', false);
    expect(runtime.predictor.activeSources()).toEqual([]);
    expect(world.observed.disconnected).toBe(2);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(ofType('prediction')).toHaveLength(1);
    expect(ofType('prediction.action').filter((e) => e.change === 'undone').map((e) => e.action)).toContain('flushOutbox');
    runtime.dispose();
  });

  it('the orchestrator records the latest prediction in its history', async () => {
    const scorer = scripted();
    scorer.value = 0.9;
    const { runtime } = testRuntime({ flags: { source: predictorFlags(true) }, predictor: { seams: {}, visibility: null, scorer } });
    await runtime.predictor.ready();
    runtime.predictor.evaluateNow();
    const { ResilienceError } = await import('../../../../src/resilience');
    await runtime.orchestrator.orchestrateRecovery(new ResilienceError('HTTP_4XX', 'no'), { op: 'tutoring' });
    expect(runtime.orchestrator.history()[0]?.prediction).toEqual({ score: 0.9, level: 'high' });
    runtime.dispose();
  });

  it('prefetches the app-supplied targets through runtime.api into the response cache at medium', async () => {
    const { fetch, calls } = scriptedFetch(json({ id: 'next' }));
    const scorer = scripted();
    const { runtime, ofType } = testRuntime({
      flags: { source: predictorFlags(true) },
      api: { fetch },
      storage: { indexedDB: null },
      predictor: { seams: {}, visibility: null, scorer, prefetchTargets: () => [{ op: 'lesson_data', path: '/api/lessons/next', cache: { key: 'lesson:next', mode: 'fallback' } }] },
    });
    scorer.value = 0.5;
    await runtime.predictor.ready();
    runtime.predictor.evaluateNow();
    await vi.advanceTimersByTimeAsync(10);
    expect(calls.map((c) => c.url)).toEqual(['/api/lessons/next']);
    expect(ofType('cache.stored')).toMatchObject([{ key: 'lesson:next' }]);
    expect(ofType('prediction.action')).toMatchObject([{ action: 'prefetch', change: 'applied', detail: 'prefetched 1 of 1' }]);
    runtime.dispose();
  });

  it('the slow-network action lengthens the API client timeouts', async () => {
    const world = fakeWorld();
    world.connection.effectiveType = '2g';
    const hanging = (_url: string, init: RequestInit) => new Promise<Response>((_r, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    const scorer = scripted();
    const { runtime } = testRuntime({ flags: { source: predictorFlags(true) }, api: { fetch: hanging, defaultTimeoutMs: 1000, timeoutImplementation: 'exact' }, predictor: { seams: world.seams(), visibility: null, scorer } });
    scorer.value = 0.5;
    await runtime.predictor.ready();
    runtime.predictor.evaluateNow();
    let settled: { ok: boolean } | undefined;
    void runtime.api.request({ op: 'x', method: 'GET', path: '/x', retry: false }).then((r) => (settled = r));
    await vi.advanceTimersByTimeAsync(1500);
    expect(settled).toBeUndefined(); // 1 s × 2
    await vi.advanceTimersByTimeAsync(600);
    expect(settled).toMatchObject({ ok: false, error: { code: 'TIMEOUT' } });
    runtime.dispose();
  });
});
