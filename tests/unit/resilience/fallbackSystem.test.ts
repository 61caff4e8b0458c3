import { ResilienceError, memoryStorage, type FallbackStrategy, type StrategyResult } from '../../../src/resilience';
import { flagsWith, testRuntime, useFakeClock } from './helpers';

const down = () => new ResilienceError('HTTP_5XX', 'primary down', { status: 503 });
const failingPrimary = (error = down()) => async () => ({ ok: false as const, error });

/** A strategy whose outcome is scripted per call; counts its calls. */
function scripted(name: string, outcome: () => StrategyResult<string> | Promise<StrategyResult<string>>, canHandle = () => true, tier?: number) {
  const strategy: FallbackStrategy<string> & { calls: number } = {
    name,
    ...(tier === undefined ? {} : { tier }),
    calls: 0,
    canHandle,
    execute: async () => {
      strategy.calls += 1;
      return outcome();
    },
  };
  return strategy;
}
const serves = (value: string, stale?: boolean) => (): StrategyResult<string> => ({ ok: true, value, ...(stale ? { stale } : {}) });
const fails = () => (): StrategyResult<string> => ({ ok: false, error: new ResilienceError('NETWORK', 'strategy failed') });

/** Deterministic PRNG (mulberry32) for the strategies' scripted success rates; the runtime keeps its own seam. */
function seeded(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('IntelligentFallbackSystem', () => {
  beforeEach(() => useFakeClock());
  afterEach(() => vi.useRealTimers());

  it('a working primary answers from the network and no strategy runs', async () => {
    const { runtime, ofType } = testRuntime();
    const cache = scripted('cache', serves('cached'));
    runtime.fallback.registerStrategy('lesson_data', cache);
    const outcome = await runtime.fallback.executeWithFallback(async () => ({ ok: true, value: 'fresh' }), 'lesson_data');
    expect(outcome).toEqual({ ok: true, value: 'fresh', source: 'network', stale: false, attempts: [{ name: 'primary', ok: true, durationMs: 0 }] });
    expect(cache.calls).toBe(0);
    expect(ofType('fallback.used')).toEqual([]);
    runtime.dispose();
  });

  it('a failed primary is served by the first strategy that can, with provenance and a fallback.used event', async () => {
    const { runtime, ofType } = testRuntime();
    const offlineOnly = scripted('offlineOnly', serves('never'), () => false);
    const cache = scripted('cache', serves('cached copy', true));
    const hints = scripted('hints', serves('hint'));
    for (const s of [offlineOnly, cache, hints]) runtime.fallback.registerStrategy('lesson_data', s);

    const outcome = await runtime.fallback.executeWithFallback(failingPrimary(), 'lesson_data');
    expect(outcome).toMatchObject({ ok: true, value: 'cached copy', source: 'fallback', strategy: 'cache', stale: true });
    expect(outcome.attempts.map((a) => [a.name, a.ok, a.skipped])).toEqual([
      ['primary', false, undefined],
      ['offlineOnly', false, 'cannotHandle'],
      ['cache', true, undefined],
    ]);
    expect(offlineOnly.calls + hints.calls).toBe(0);
    expect(ofType('fallback.used')).toEqual([expect.objectContaining({ op: 'lesson_data', strategy: 'cache', stale: true })]);
    // A strategy that could not handle the call was not counted.
    expect(runtime.fallback.metrics('lesson_data')).toEqual({ cache: { attempts: 1, successes: 1, meanLatencyMs: 0 } });
    runtime.dispose();
  });

  it('skips the primary when the caller says so (breaker open) and hands the strategies the reason', async () => {
    const { runtime } = testRuntime();
    const seen: unknown[] = [];
    runtime.fallback.registerStrategy<string, { question: string }>('ai_tutoring', {
      name: 'cachedAnswer',
      canHandle: () => true,
      execute: async (context) => {
        seen.push(context);
        return { ok: true, value: `answer to ${context.data.question}` };
      },
    });
    const primary = vi.fn(failingPrimary());
    const reason = new ResilienceError('CIRCUIT_OPEN', 'open', { backend: 'api' });
    const outcome = await runtime.fallback.executeWithFallback(primary, 'ai_tutoring', { skipPrimary: true, error: reason, data: { question: 'why?' } });
    expect(outcome).toMatchObject({ ok: true, value: 'answer to why?', strategy: 'cachedAnswer' });
    expect(primary).not.toHaveBeenCalled();
    expect(seen).toEqual([{ opType: 'ai_tutoring', error: reason, data: { question: 'why?' } }]);
    runtime.dispose();
  });

  it('a strategy that throws is skipped, reported and counted as a failure; the next one serves', async () => {
    const { runtime, ofType } = testRuntime();
    runtime.fallback.registerStrategy('ai_tutoring', scripted('broken', () => { throw new Error('boom'); }));
    runtime.fallback.registerStrategy('ai_tutoring', { name: 'brokenCanHandle', canHandle: () => { throw new Error('canHandle boom'); }, execute: async () => ({ ok: true, value: 'x' }) });
    runtime.fallback.registerStrategy('ai_tutoring', scripted('hints', serves('hint')));

    const outcome = await runtime.fallback.executeWithFallback(failingPrimary(), 'ai_tutoring');
    expect(outcome).toMatchObject({ ok: true, value: 'hint', strategy: 'hints' });
    expect(outcome.attempts.map((a) => [a.name, a.skipped])).toEqual([['primary', undefined], ['broken', 'threw'], ['brokenCanHandle', 'threw'], ['hints', undefined]]);
    expect(ofType('runtime.internalError').map((e) => [e.subsystem, e.message])).toEqual([['fallback.broken', 'boom'], ['fallback.brokenCanHandle', 'canHandle boom']]);
    expect(runtime.fallback.metrics('ai_tutoring')).toMatchObject({ broken: { attempts: 1, successes: 0 }, brokenCanHandle: { attempts: 1, successes: 0 } });
    runtime.dispose();
  });

  it('when every strategy fails it returns the primary error and emits fallback.exhausted', async () => {
    const { runtime, ofType } = testRuntime();
    runtime.fallback.registerStrategy('lesson_data', scripted('cache', fails()));
    const error = down();
    const outcome = await runtime.fallback.executeWithFallback(failingPrimary(error), 'lesson_data');
    expect(outcome).toEqual({ ok: false, error, attempts: [expect.objectContaining({ name: 'primary' }), expect.objectContaining({ name: 'cache', ok: false, code: 'NETWORK' })] });
    expect(ofType('fallback.exhausted')).toEqual([expect.objectContaining({ op: 'lesson_data' })]);
    runtime.dispose();
  });

  it('an aborted caller stops the chain: no further strategy starts', async () => {
    const { runtime } = testRuntime();
    const controller = new AbortController();
    const first = scripted('first', () => {
      controller.abort();
      return fails()();
    });
    const second = scripted('second', serves('late'));
    runtime.fallback.registerStrategy('x', first);
    runtime.fallback.registerStrategy('x', second);
    const outcome = await runtime.fallback.executeWithFallback(failingPrimary(), 'x', { signal: controller.signal });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'ABORTED' } });
    expect(second.calls).toBe(0);
    runtime.dispose();
  });

  it('within one quality tier, ranking converges on the better strategy and still tries the other now and then', async () => {
    const { runtime } = testRuntime();
    const random = seeded(42);
    // B is registered first, in the same tier as A: only observed success rates can put A in front.
    const b = scripted('B', () => (random() < 0.2 ? serves('b')() : fails()()), undefined, 1);
    const a = scripted('A', () => (random() < 0.9 ? serves('a')() : fails()()), undefined, 1);
    runtime.fallback.registerStrategy('ai_tutoring', b);
    runtime.fallback.registerStrategy('ai_tutoring', a);

    const firstChoice: string[] = [];
    let bTriedLate = 0;
    for (let call = 0; call < 200; call++) {
      await vi.advanceTimersByTimeAsync(1_000); // a student asks about once a second
      const before = b.calls;
      const outcome = await runtime.fallback.executeWithFallback(failingPrimary(), 'ai_tutoring');
      firstChoice.push(outcome.attempts[1]?.name ?? '');
      if (call >= 100 && b.calls > before) bTriedLate += 1;
    }
    const last100 = firstChoice.slice(100);
    expect(last100.filter((name) => name === 'A').length).toBeGreaterThanOrEqual(80);
    expect(bTriedLate).toBeGreaterThanOrEqual(1);
    expect(runtime.fallback.ranking('ai_tutoring')).toEqual(['A', 'B']);
    runtime.dispose();
  });

  it('explores within a tier: a strategy that never gets a fall-through still goes first now and then, rarely', async () => {
    const { runtime } = testRuntime();
    const a = scripted('A', serves('a'), undefined, 1);
    const b = scripted('B', fails(), undefined, 1);
    runtime.fallback.registerStrategy('x', a);
    runtime.fallback.registerStrategy('x', b);
    const bFirst: number[] = [];
    for (let call = 0; call < 1000; call++) {
      await vi.advanceTimersByTimeAsync(1_000);
      const outcome = await runtime.fallback.executeWithFallback(failingPrimary(), 'x');
      if (outcome.attempts[1]?.name === 'B') bFirst.push(call);
    }
    // B runs only when ranked first (A always serves); UCB keeps doing that, logarithmically often.
    expect(bFirst.filter((call) => call >= 500).length).toBeGreaterThanOrEqual(1);
    expect(bFirst.length).toBeLessThanOrEqual(50);
    runtime.dispose();
  });

  it('replay: 6 asks while HTTP fails, then 300 with HTTP healthy → none of the 300 is answered below the best working tier', async () => {
    const { runtime } = testRuntime({ userId: 'ada' });
    let httpUp = false;
    const tierOf: Record<string, number> = { cachedAnswer: 1, simplifiedTutor: 2, localHints: 3 };
    // The app's ai_tutoring chain, in its quality order: a saved answer (a miss here), the HTTP tutor, offline hints.
    const cachedAnswer = scripted('cachedAnswer', serves('saved'), () => false);
    const simplifiedTutor = scripted('simplifiedTutor', () => (httpUp ? serves('fresh')() : fails()()));
    const localHints = scripted('localHints', serves('hint'));
    for (const strategy of [cachedAnswer, simplifiedTutor, localHints]) runtime.fallback.registerStrategy('ai_tutoring', strategy);
    const ask = async () => {
      await vi.advanceTimersByTimeAsync(3_000); // the student asks every few seconds
      const outcome = await runtime.fallback.executeWithFallback(failingPrimary(), 'ai_tutoring');
      return outcome.ok ? (outcome.strategy as string) : 'none';
    };

    const whileDown: string[] = [];
    for (let i = 0; i < 6; i++) whileDown.push(await ask());
    expect(whileDown).toEqual(Array(6).fill('localHints'));
    // Three failures in a row put it in a 10 s cool-down: the last three asks did not wait for it.
    expect(simplifiedTutor.calls).toBe(3);

    httpUp = true;
    const healthy: string[] = [];
    for (let i = 0; i < 300; i++) healthy.push(await ask());
    const best = tierOf.simplifiedTutor as number;
    expect(healthy.filter((name) => (tierOf[name] ?? 99) > best)).toEqual([]);
    expect(runtime.fallback.ranking('ai_tutoring')).toEqual(['cachedAnswer', 'simplifiedTutor', 'localHints']);
    runtime.dispose();
  });

  it('a strategy failing in a row is skipped for its cool-down, then tried again; a success ends the streak', async () => {
    const { runtime } = testRuntime();
    let up = false;
    const better = scripted('better', () => (up ? serves('good')() : fails()()));
    const worse = scripted('worse', serves('ok'));
    runtime.fallback.registerStrategy('x', better);
    runtime.fallback.registerStrategy('x', worse);
    for (let i = 0; i < 3; i++) await runtime.fallback.executeWithFallback(failingPrimary(), 'x');
    expect(runtime.fallback.ranking('x')).toEqual(['worse', 'better']);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(runtime.fallback.ranking('x')).toEqual(['worse', 'better']);
    await vi.advanceTimersByTimeAsync(1);
    expect(runtime.fallback.ranking('x')).toEqual(['better', 'worse']);
    up = true;
    await expect(runtime.fallback.executeWithFallback(failingPrimary(), 'x')).resolves.toMatchObject({ strategy: 'better' });
    runtime.dispose();
  });

  it('tallies decay with the runtime clock (half-life) and are kept per student', async () => {
    const storage = memoryStorage();
    const ada = testRuntime({ storage: { local: storage }, userId: 'ada' });
    ada.runtime.fallback.registerStrategy('x', scripted('only', serves('v')));
    for (let i = 0; i < 8; i++) await ada.runtime.fallback.executeWithFallback(failingPrimary(), 'x');
    expect(ada.runtime.fallback.metrics('x').only?.attempts).toBeCloseTo(8, 6);
    await vi.advanceTimersByTimeAsync(15 * 60_000);
    expect(ada.runtime.fallback.metrics('x').only?.attempts).toBeCloseTo(4, 6);
    expect(storage.getItem('resilience.fallback.ada.x')).not.toBeNull();
    ada.runtime.dispose();

    const bob = testRuntime({ storage: { local: storage }, userId: 'bob' });
    bob.runtime.fallback.registerStrategy('x', scripted('only', serves('v')));
    expect(bob.runtime.fallback.metrics('x')).toEqual({});
    bob.runtime.dispose();
  });

  it('persists per-strategy metrics and restores them (and the ranking) after a reload', async () => {
    const storage = memoryStorage();
    const first = testRuntime({ storage: { local: storage } });
    await first.runtime.fallback.ready();
    first.runtime.fallback.registerStrategy('lesson_data', scripted('cache', fails()));
    first.runtime.fallback.registerStrategy('lesson_data', scripted('snapshot', async () => {
      await vi.advanceTimersByTimeAsync(40);
      return serves('snap')();
    }));
    for (let i = 0; i < 6; i++) await first.runtime.fallback.executeWithFallback(failingPrimary(), 'lesson_data');
    const metrics = first.runtime.fallback.metrics('lesson_data');
    // Six observations, aged by the 240 ms they took (half-life 15 min): just under 6.
    expect(metrics.snapshot?.attempts).toBeCloseTo(6, 2);
    expect(metrics.snapshot?.successes).toBeCloseTo(6, 2);
    expect(metrics.snapshot?.meanLatencyMs).toBeCloseTo(40, 6);
    expect(metrics.cache?.successes).toBe(0);
    const ranking = first.runtime.fallback.ranking('lesson_data');
    expect(ranking[0]).toBe('snapshot');
    first.runtime.dispose();

    const second = testRuntime({ storage: { local: storage } });
    second.runtime.fallback.registerStrategy('lesson_data', scripted('cache', fails()));
    second.runtime.fallback.registerStrategy('lesson_data', scripted('snapshot', serves('snap')));
    await second.runtime.fallback.ready();
    expect(second.runtime.fallback.metrics('lesson_data')).toEqual(metrics);
    expect(second.runtime.fallback.ranking('lesson_data')).toEqual(ranking);
    second.runtime.dispose();
  });

  it('a corrupt metrics record is reported and ignored: ranking starts from registration order', async () => {
    const storage = memoryStorage();
    storage.setItem('resilience.fallback.lesson_data', JSON.stringify({ v: 1, s: { cache: [1, 5, 0] } }));
    const { runtime, ofType } = testRuntime({ storage: { local: storage } });
    runtime.fallback.registerStrategy('lesson_data', scripted('cache', fails()));
    runtime.fallback.registerStrategy('lesson_data', scripted('snapshot', serves('snap')));
    await runtime.fallback.ready();
    expect(runtime.fallback.ranking('lesson_data')).toEqual(['cache', 'snapshot']);
    expect(ofType('runtime.internalError')).toEqual([expect.objectContaining({ subsystem: 'fallback' })]);
    expect(runtime.fallback.metrics('lesson_data')).toEqual({});
    runtime.dispose();
  });

  it('with the fallback flag off it is exactly the plain path: the primary only, nothing recorded', async () => {
    const storage = memoryStorage();
    const { runtime, events } = testRuntime({ storage: { local: storage }, flags: { source: flagsWith({ fallback: false }) } });
    const cache = scripted('cache', serves('cached'));
    runtime.fallback.registerStrategy('lesson_data', cache);
    const before = events.length;
    const error = down();
    const plain = await failingPrimary(error)();

    const failed = await runtime.fallback.executeWithFallback(failingPrimary(error), 'lesson_data');
    expect(failed).toMatchObject({ ok: plain.ok, error: plain.error });
    const skipped = await runtime.fallback.executeWithFallback(failingPrimary(error), 'lesson_data', { skipPrimary: true });
    expect(skipped).toMatchObject({ ok: false, error });
    const worked = await runtime.fallback.executeWithFallback(async () => ({ ok: true, value: 'fresh' }), 'lesson_data');
    expect(worked).toMatchObject({ ok: true, value: 'fresh', source: 'network' });

    expect(cache.calls).toBe(0);
    expect(events.slice(before)).toEqual([]);
    expect(storage.getItem('resilience.fallback.lesson_data')).toBeNull();
    runtime.dispose();
  });
});
