import { ResilienceError, type EscalationItem, type FallbackStrategy, type RecoveryContext } from '../../../src/resilience';
import { flagsWith, json, scriptedFetch, testRuntime, useFakeClock } from './helpers';

type Code = ConstructorParameters<typeof ResilienceError>[0];
const failure = (code: Code = 'HTTP_5XX') => new ResilienceError(code, `test ${code}`, { backend: 'api' });

function strategy(name: string, run: () => Promise<{ ok: true; value: string } | { ok: false; error: ResilienceError }>): FallbackStrategy<string> & { calls: number } {
  const s = {
    name,
    calls: 0,
    canHandle: () => true,
    execute: () => {
      s.calls += 1;
      return run();
    },
  };
  return s;
}
const servesHint = () => strategy('localHints', async () => ({ ok: true, value: 'offline hint' }));
const failsToo = () => strategy('cachedAnswer', async () => ({ ok: false, error: failure('NETWORK') }));

/** A runtime whose escalations are collected. */
function setup(config: Parameters<typeof testRuntime>[0] = {}) {
  const escalated: EscalationItem[] = [];
  const harness = testRuntime({ ...config, recovery: { escalator: { escalate: (item) => void escalated.push(item) }, ...config.recovery } });
  return { ...harness, escalated };
}
/** The shipped file rolls the predictor out to nobody; switched on for everyone here. */
function predictorOn(): unknown {
  const file = flagsWith({ predictor: true }) as { flags: Record<string, { rollout?: number }> };
  delete file.flags.predictor?.rollout;
  return file;
}
const tutoring: RecoveryContext<string> = { op: 'tutor.ask', fallback: { opType: 'ai_tutoring' } };

describe('RecoveryOrchestrator', () => {
  beforeEach(() => useFakeClock());
  afterEach(() => vi.useRealTimers());

  it('self-healing first: a healed error returns healed and runs no fallback', async () => {
    const { runtime, ofType } = setup();
    runtime.healing.registerStrategy('HTTP_5XX', { name: 'resetPool', canHeal: () => true, heal: async () => true });
    const hints = servesHint();
    runtime.fallback.registerStrategy('ai_tutoring', hints);

    await expect(runtime.orchestrator.orchestrateRecovery(failure(), tutoring)).resolves.toEqual({ status: 'healed', method: 'self_healing', strategy: 'resetPool' });
    expect(hints.calls).toBe(0);
    expect(ofType('recovery.started')).toEqual([expect.objectContaining({ op: 'tutor.ask', code: 'HTTP_5XX' })]);
    expect(ofType('recovery.finished')).toEqual([expect.objectContaining({ op: 'tutor.ask', result: expect.objectContaining({ status: 'healed', method: 'self_healing' }) })]);
    runtime.dispose();
  });

  it('breaker open: circuit_open with the time left, and the fallback still serves the student', async () => {
    const { fetch } = scriptedFetch(json({ error: { code: 'DOWN', message: 'x' } }, 503));
    const { runtime, escalated } = setup({ api: { fetch }, flags: { source: flagsWith({ retry: false }) } });
    for (let i = 0; i < 5; i++) await runtime.api.request({ op: 'tutor.ask', method: 'GET', path: '/api/x' });
    expect(runtime.breakers.snapshot().api?.state).toBe('open');
    await vi.advanceTimersByTimeAsync(10_000);
    runtime.fallback.registerStrategy('ai_tutoring', servesHint());
    const retry = vi.fn(async () => ({ ok: true as const, value: 'never' }));

    const result = await runtime.orchestrator.orchestrateRecovery(failure('CIRCUIT_OPEN'), { ...tutoring, retry });
    expect(result).toEqual({ status: 'circuit_open', waitTimeMs: 20_000, fallback: { strategy: 'localHints', value: 'offline hint', stale: false } });
    expect(retry).not.toHaveBeenCalled();
    expect(escalated).toEqual([]);

    // Without a fallback op the student gets the wait time alone.
    await expect(runtime.orchestrator.orchestrateRecovery(failure(), { op: 'lessons.list' })).resolves.toEqual({ status: 'circuit_open', waitTimeMs: 20_000 });
    runtime.dispose();
  });

  it('recovered by the fallback chain when healing cannot help', async () => {
    const { runtime, escalated } = setup();
    const cached = failsToo();
    runtime.fallback.registerStrategy('ai_tutoring', cached);
    runtime.fallback.registerStrategy('ai_tutoring', servesHint());
    const result = await runtime.orchestrator.orchestrateRecovery(failure(), tutoring);
    expect(result).toEqual({ status: 'recovered', method: 'fallback', strategy: 'localHints', value: 'offline hint', stale: false });
    expect(cached.calls).toBe(1);
    expect(escalated).toEqual([]);
    runtime.dispose();
  });

  it('recovered by the final retry, which waits a backoff before trying again', async () => {
    const { runtime, ofType } = setup();
    const replies = [{ ok: false as const, error: failure() }, { ok: true as const, value: 'answer' }];
    const retry = vi.fn(async () => replies.shift() ?? { ok: false as const, error: failure() });
    const pending = runtime.orchestrator.orchestrateRecovery(failure(), { op: 'tutor.ask', retry });
    await vi.advanceTimersByTimeAsync(0);
    expect(retry).not.toHaveBeenCalled(); // not straight back at a backend that has just failed
    await vi.advanceTimersByTimeAsync(2_000);
    await expect(pending).resolves.toEqual({ status: 'recovered', method: 'retry', value: 'answer', attempts: 2 });
    expect(retry).toHaveBeenCalledTimes(2);
    expect(ofType('escalation.raised')).toEqual([]);
    runtime.dispose();
  });

  it('fails and escalates when nothing works: a manual-intervention item and escalation.raised', async () => {
    const { runtime, escalated, ofType } = setup();
    runtime.fallback.registerStrategy('ai_tutoring', failsToo());
    const retry = vi.fn(async () => ({ ok: false as const, error: failure() }));
    const pending = runtime.orchestrator.orchestrateRecovery(failure(), { ...tutoring, retry });
    await vi.advanceTimersByTimeAsync(10_000);
    const result = await pending;
    expect(result).toMatchObject({ status: 'failed', escalated: true, error: { code: 'HTTP_5XX' } });
    expect(retry).toHaveBeenCalledTimes(2); // interactive policy: at most 2 retries
    expect(escalated).toEqual([expect.objectContaining({ op: 'tutor.ask', code: 'HTTP_5XX', causeKey: 'HTTP_5XX|api|tutor.ask' })]);
    expect(ofType('escalation.raised')).toEqual([expect.objectContaining({ id: escalated[0]?.id, op: 'tutor.ask', code: 'HTTP_5XX' })]);
    runtime.dispose();
  });

  it('does not escalate an aborted operation, nor anything with the escalation flag off', async () => {
    const aborted = setup();
    await expect(aborted.runtime.orchestrator.orchestrateRecovery(failure('ABORTED'), tutoring)).resolves.toEqual({ status: 'failed', error: expect.objectContaining({ code: 'ABORTED' }) });
    expect(aborted.escalated).toEqual([]);
    aborted.runtime.dispose();

    const off = setup({ flags: { source: flagsWith({ escalation: false }) } });
    await expect(off.runtime.orchestrator.orchestrateRecovery(failure('HTTP_4XX'), tutoring)).resolves.toEqual({ status: 'failed', error: expect.objectContaining({ code: 'HTTP_4XX' }) });
    expect(off.escalated).toEqual([]);
    expect(off.ofType('escalation.raised')).toEqual([]);
    off.runtime.dispose();
  });

  it('10 concurrent failures of one request with one cause share one recovery: strategies run once, everyone gets the result', async () => {
    const { runtime, ofType } = setup();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = strategy('simplifiedTutor', async () => {
      await gate;
      return { ok: true, value: 'plain answer' };
    });
    runtime.fallback.registerStrategy('ai_tutoring', slow);
    const healer = vi.spyOn(runtime.healing, 'handleError');

    const sameAsk = { ...tutoring, requestKey: 'ask-1' };
    const pending = Array.from({ length: 10 }, () => runtime.orchestrator.orchestrateRecovery(failure(), sameAsk));
    await vi.advanceTimersByTimeAsync(0);
    release();
    const results = await Promise.all(pending);
    expect(new Set(results).size).toBe(1);
    expect(results[0]).toMatchObject({ status: 'recovered', strategy: 'simplifiedTutor', value: 'plain answer' });
    expect(slow.calls).toBe(1);
    expect(healer).toHaveBeenCalledTimes(1);
    expect(ofType('recovery.started')).toHaveLength(1);
    expect(runtime.orchestrator.history()).toEqual([expect.objectContaining({ callers: 10, status: 'recovered', method: 'fallback' })]);

    // A different cause is a different recovery; a later failure of the same cause is a new one.
    await runtime.orchestrator.orchestrateRecovery(failure('TIMEOUT'), sameAsk);
    await runtime.orchestrator.orchestrateRecovery(failure(), sameAsk);
    expect(ofType('recovery.started')).toHaveLength(3);
    runtime.dispose();
  });

  it('two different requests with one cause share the heal only: each gets the value computed for it', async () => {
    const { runtime } = setup();
    let releaseHeal: () => void = () => undefined;
    const healGate = new Promise<void>((resolve) => (releaseHeal = resolve));
    const healer = vi.spyOn(runtime.healing, 'handleError').mockImplementation(async () => {
      await healGate;
      return { healed: false, strategy: 'apiRetry' };
    });
    // The chain answers each question about its own lesson (the data the request carried).
    const perQuestion: FallbackStrategy<string, { question: string }> = {
      name: 'simplifiedTutor',
      canHandle: () => true,
      execute: async ({ data }) => ({ ok: true, value: `about ${data.question}` }),
    };
    runtime.fallback.registerStrategy('ai_tutoring', perQuestion);
    const ask = (question: string) =>
      runtime.orchestrator.orchestrateRecovery<string, { question: string }>(failure(), { op: 'tutor.ask', requestKey: question, fallback: { opType: 'ai_tutoring', data: { question } } });
    // Same for two final retries: each request's own operation runs, not the first caller's.
    const retried = (question: string) =>
      runtime.orchestrator.orchestrateRecovery<string>(failure(), { op: 'lesson_data', requestKey: question, retry: async () => ({ ok: true, value: `lesson ${question}` }) });

    const pending = [ask('exercise 1'), ask('exercise 2')];
    const retries = [retried('fractions'), retried('percentages')];
    await vi.advanceTimersByTimeAsync(0);
    releaseHeal();
    await vi.advanceTimersByTimeAsync(5_000);
    const [first, second] = await Promise.all(pending);
    expect(healer).toHaveBeenCalledTimes(2); // one per cause: tutor.ask and lesson_data
    expect(first).toMatchObject({ status: 'recovered', value: 'about exercise 1' });
    expect(second).toMatchObject({ status: 'recovered', value: 'about exercise 2' });
    await expect(Promise.all(retries)).resolves.toEqual([
      expect.objectContaining({ method: 'retry', value: 'lesson fractions' }),
      expect.objectContaining({ method: 'retry', value: 'lesson percentages' }),
    ]);
    runtime.dispose();
  });

  it('a deadline bounds the heal and the final retry: a hung heal leaves room for the chain, no retry starts past the deadline', async () => {
    const { runtime, escalated } = setup();
    vi.spyOn(runtime.healing, 'handleError').mockImplementation(() => new Promise(() => undefined)); // never settles
    runtime.fallback.registerStrategy('ai_tutoring', servesHint());
    const startedAt = Date.now();
    const deadlineAt = startedAt + 8_000;
    let servedAt = 0;
    const served = runtime.orchestrator.orchestrateRecovery(failure(), { ...tutoring, requestKey: 'ask-9', deadlineAt }).then((result) => {
      servedAt = Date.now();
      return result;
    });
    await vi.advanceTimersByTimeAsync(8_000);
    await expect(served).resolves.toMatchObject({ status: 'recovered', value: 'offline hint' });
    expect(servedAt - startedAt).toBeLessThanOrEqual(8_000);

    // Retry-After beyond what is left of the deadline: no final retry at all, escalated at once.
    let retries = 0;
    const limited = new ResilienceError('RATE_LIMITED', '429', { backend: 'api', retryAfterMs: 3_000 });
    const later = Date.now();
    const failed = runtime.orchestrator.orchestrateRecovery(limited, {
      op: 'lesson_data',
      requestKey: 'fractions',
      deadlineAt: later + 2_000,
      retry: async () => {
        retries += 1;
        return { ok: false, error: limited };
      },
    });
    await vi.advanceTimersByTimeAsync(2_000);
    await expect(failed).resolves.toMatchObject({ status: 'failed', error: { code: 'RATE_LIMITED' } });
    expect(retries).toBe(0);
    expect(escalated).toHaveLength(1);
    runtime.dispose();
  });

  it('with the orchestrator flag off it returns the plain failure at once with no side effect', async () => {
    const { runtime, events, escalated } = setup({ flags: { source: flagsWith({ orchestrator: false }) } });
    const hints = servesHint();
    runtime.fallback.registerStrategy('ai_tutoring', hints);
    const healer = vi.spyOn(runtime.healing, 'handleError');
    const retry = vi.fn(async () => ({ ok: true as const, value: 'x' }));
    const before = events.length;
    const error = failure();
    await expect(runtime.orchestrator.orchestrateRecovery(error, { ...tutoring, retry })).resolves.toStrictEqual({ status: 'failed', error });
    expect(events.slice(before)).toEqual([]);
    expect([hints.calls, healer.mock.calls.length, retry.mock.calls.length, escalated.length]).toEqual([0, 0, 0, 0]);
    expect(runtime.orchestrator.history()).toEqual([]);
    runtime.dispose();
  });

  it('a step that throws is reported and skipped: the flow goes on as if it were off', async () => {
    const predictor = { snapshot: () => { throw new Error('predictor boom'); } };
    const healer = { handleError: () => Promise.reject(new Error('healer boom')) };
    const { runtime, ofType } = setup({ flags: { source: predictorOn() }, recovery: { healer, predictor } });
    runtime.fallback.registerStrategy('ai_tutoring', servesHint());
    await expect(runtime.orchestrator.orchestrateRecovery(failure(), tutoring)).resolves.toMatchObject({ status: 'recovered', method: 'fallback' });
    expect(ofType('runtime.internalError').map((e) => [e.subsystem, e.message])).toEqual([
      ['orchestrator.predictor', 'predictor boom'],
      ['orchestrator.self_healing', 'healer boom'],
    ]);
    runtime.dispose();
  });

  it('records the predictor snapshot only when the predictor flag is on', async () => {
    const snapshot = vi.fn(() => ({ score: 0.8, level: 'high' as const }));
    const on = setup({ flags: { source: predictorOn() }, recovery: { predictor: { snapshot } } });
    await on.runtime.orchestrator.orchestrateRecovery(failure('HTTP_4XX'), tutoring);
    expect(on.runtime.orchestrator.history()[0]?.prediction).toEqual({ score: 0.8, level: 'high' });
    expect(on.escalated[0]?.prediction).toEqual({ score: 0.8, level: 'high' });
    on.runtime.dispose();

    snapshot.mockClear();
    const off = setup({ flags: { source: flagsWith({ predictor: false }) }, recovery: { predictor: { snapshot } } });
    await off.runtime.orchestrator.orchestrateRecovery(failure('HTTP_4XX'), tutoring);
    expect(snapshot).not.toHaveBeenCalled();
    expect(off.runtime.orchestrator.history()[0]).not.toHaveProperty('prediction');
    off.runtime.dispose();
  });

  it('keeps a bounded history and per-method metrics (count, success rate, mean and p95 duration)', async () => {
    const { runtime } = setup({ recovery: { historySize: 3 } });
    let call = 0;
    runtime.fallback.registerStrategy('ai_tutoring', strategy('timed', async () => {
      call += 1;
      await vi.advanceTimersByTimeAsync(call * 10);
      return call % 2 === 0 ? { ok: true, value: 'v' } : { ok: false, error: failure('NETWORK') };
    }));
    for (let i = 0; i < 4; i++) await runtime.orchestrator.orchestrateRecovery(failure('HTTP_4XX'), { ...tutoring, causeKey: `k${i}` });

    expect(runtime.orchestrator.history().map((r) => r.causeKey)).toEqual(['k1', 'k2', 'k3']);
    const metrics = runtime.orchestrator.metrics();
    expect(metrics.fallback).toEqual({ count: 4, successes: 2, successRate: 0.5, meanDurationMs: 25, p95DurationMs: 40 });
    expect(metrics.recovery).toMatchObject({ count: 4, successes: 2, successRate: 0.5 });
    expect(metrics.retry.count).toBe(0); // HTTP_4XX is not retryable
    runtime.dispose();
  });
});
