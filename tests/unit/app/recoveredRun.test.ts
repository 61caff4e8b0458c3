import type { Lesson } from '../../../src/protocol/api';
import { registerAppFallbacks } from '../../../src/app/resilience/fallbackChains';
import { loadLessonWithFallback } from '../../../src/app/resilience/lessonWithFallback';
import { withTutorFallback } from '../../../src/app/resilience/tutorWithFallback';
import type { Loaded, TutorReply, TutorService } from '../../../src/app/services/types';
import { createEscalationLog, memoryStorage, ResilienceError, runWithRecovery, type EscalationItem, type RecoveredRunDeps, type RecoveryResult } from '../../../src/resilience';
import { flagsWith, hangingFetch, json, scriptedFetch, testRuntime, useFakeClock } from '../resilience/helpers';
import { lesson } from './lessonFixture';


const unavailable = () => new ResilienceError('HTTP_5XX', 'Service unavailable', { status: 503, retryable: true });

/** A runtime double whose orchestrator answers `result`; the fallback system is never expected to run. */
function scripted(result: RecoveryResult, enabled: boolean | (() => boolean) = true) {
  const orchestrateRecovery = vi.fn(async () => result);
  const executeWithFallback = vi.fn(async () => ({ ok: false as const, error: unavailable(), attempts: [] }));
  const runtime = {
    orchestrator: { orchestrateRecovery },
    fallback: { executeWithFallback },
    flags: { isEnabled: typeof enabled === 'function' ? enabled : () => enabled },
    clock: { now: () => 0 },
  } as unknown as RecoveredRunDeps;
  return { runtime, orchestrateRecovery, executeWithFallback };
}

/** A primary that fails `failures` times, then answers "fresh". */
function flaky(failures: number) {
  let calls = 0;
  const primary = vi.fn(async (_budget?: { deadlineAt: number }) => {
    calls += 1;
    if (calls <= failures) throw unavailable();
    return 'fresh';
  });
  return primary;
}

const operation = (primary: (budget: { deadlineAt: number }) => Promise<string>) => ({ op: 'lesson_data', fallback: { opType: 'lesson_data', data: { lessonId: 'fractions' } }, primary });

describe('runWithRecovery maps the RecoveryResult', () => {
  it('a primary that works is served as primary, without any recovery', async () => {
    const { runtime, orchestrateRecovery } = scripted({ status: 'failed', error: unavailable() });
    await expect(runWithRecovery(runtime, operation(flaky(0)))).resolves.toEqual({ from: 'primary', value: 'fresh' });
    expect(orchestrateRecovery).not.toHaveBeenCalled();
  });

  it('hands the failure to the orchestrator with the op, the api backend, the chain and a retry of the same request', async () => {
    const { runtime, orchestrateRecovery } = scripted({ status: 'recovered', method: 'retry', value: 'fresh', attempts: 1 });
    const primary = flaky(1);
    await expect(runWithRecovery(runtime, operation(primary))).resolves.toEqual({ from: 'primary', value: 'fresh' });
    const [error, context] = orchestrateRecovery.mock.calls[0] as unknown as [ResilienceError, { op: string; backend: string; fallback: unknown; retry: (signal: undefined, budget: { deadlineAt: number }) => Promise<unknown>; deadlineAt: number }];
    expect(error).toMatchObject({ code: 'HTTP_5XX' });
    expect(context).toMatchObject({ op: 'lesson_data', backend: 'api', fallback: { opType: 'lesson_data', data: { lessonId: 'fractions' } } });
    await expect(context.retry(undefined, { deadlineAt: 7_000 })).resolves.toEqual({ ok: true, value: 'fresh' });
    // One deadline from the moment the student acted: the first try leaves a reserve, the retry gets what is left.
    expect(context).toMatchObject({ deadlineAt: 8_000 });
    expect(primary.mock.calls).toEqual([[{ deadlineAt: 6_500 }], [{ deadlineAt: 7_000 }]]);
  });

  it('recovered by fallback → the fallback value and its strategy', async () => {
    const { runtime } = scripted({ status: 'recovered', method: 'fallback', strategy: 'lessonSnapshot', value: 'saved', stale: true });
    await expect(runWithRecovery(runtime, operation(flaky(9)))).resolves.toEqual({ from: 'fallback', value: 'saved', strategy: 'lessonSnapshot' });
  });

  it('healed → the primary once more', async () => {
    const { runtime } = scripted({ status: 'healed', method: 'self_healing', strategy: 'apiRetry' });
    const primary = flaky(1);
    await expect(runWithRecovery(runtime, operation(primary))).resolves.toEqual({ from: 'primary', value: 'fresh' });
    expect(primary).toHaveBeenCalledTimes(2);
  });

  it('healed but the primary fails again → the plain chain, without the primary', async () => {
    const { runtime, executeWithFallback } = scripted({ status: 'healed', method: 'self_healing' });
    executeWithFallback.mockResolvedValueOnce({ ok: true, value: 'saved', source: 'fallback', strategy: 'lessonSnapshot', stale: true, attempts: [] } as never);
    const primary = flaky(9);
    await expect(runWithRecovery(runtime, operation(primary))).resolves.toEqual({ from: 'fallback', value: 'saved', strategy: 'lessonSnapshot' });
    expect(primary).toHaveBeenCalledTimes(2);
    expect(executeWithFallback).toHaveBeenCalledWith(expect.any(Function), 'lesson_data', expect.objectContaining({ skipPrimary: true }));
  });

  it('circuit open → what the fallback served meanwhile, else the error', async () => {
    const served = scripted({ status: 'circuit_open', waitTimeMs: 1_000, fallback: { strategy: 'lessonSnapshot', value: 'saved', stale: true } });
    await expect(runWithRecovery(served.runtime, operation(flaky(9)))).resolves.toEqual({ from: 'fallback', value: 'saved', strategy: 'lessonSnapshot' });
    const bare = scripted({ status: 'circuit_open', waitTimeMs: 1_000 });
    await expect(runWithRecovery(bare.runtime, operation(flaky(9)))).rejects.toMatchObject({ code: 'HTTP_5XX' });
  });

  it('failed → rejects with the recovery error', async () => {
    const { runtime, executeWithFallback } = scripted({ status: 'failed', error: new ResilienceError('CIRCUIT_OPEN', 'open'), escalated: true });
    await expect(runWithRecovery(runtime, operation(flaky(9)))).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });
    expect(executeWithFallback).not.toHaveBeenCalled();
  });

  it('orchestrator flag off → exactly the plain path: executeWithFallback with the primary first', async () => {
    const { runtime, orchestrateRecovery, executeWithFallback } = scripted({ status: 'failed', error: unavailable() }, false);
    executeWithFallback.mockResolvedValueOnce({ ok: true, value: 'saved', source: 'fallback', strategy: 'lessonSnapshot', stale: true, attempts: [] } as never);
    await expect(runWithRecovery(runtime, operation(flaky(9)))).resolves.toEqual({ from: 'fallback', value: 'saved', strategy: 'lessonSnapshot' });
    expect(orchestrateRecovery).not.toHaveBeenCalled();
    expect(executeWithFallback).toHaveBeenCalledWith(expect.any(Function), 'lesson_data', { data: { lessonId: 'fractions' } });
  });

  it('the flag turned off while the primary ran (the orchestrator answers failed at once) → still the plain chain', async () => {
    let enabled = true;
    const { runtime, executeWithFallback } = scripted({ status: 'failed', error: unavailable() }, () => enabled);
    executeWithFallback.mockResolvedValueOnce({ ok: true, value: 'saved', source: 'fallback', strategy: 'lessonSnapshot', stale: true, attempts: [] } as never);
    const primary = vi.fn(async () => {
      enabled = false;
      throw unavailable();
    });
    await expect(runWithRecovery(runtime, operation(primary))).resolves.toMatchObject({ from: 'fallback', value: 'saved' });
  });
});

/** A real runtime (escalator recorded) with the app's chains; `replies` script the API. */
function setup(replies: Parameters<typeof scriptedFetch>, flags?: unknown) {
  const server = scriptedFetch(...replies);
  const escalations = createEscalationLog();
  const { runtime, ofType } = testRuntime({
    api: { fetch: server.fetch },
    storage: { indexedDB: null, local: memoryStorage() },
    recovery: { escalator: escalations },
    ...(flags ? { flags: { source: flags } } : {}),
  });
  const fallbacks = registerAppFallbacks(runtime, { storage: memoryStorage(), userId: 'ada', now: () => 0 });
  return { runtime, server, ofType, fallbacks, escalations };
}

const loadFrom = (runtime: ReturnType<typeof setup>['runtime']) => async (): Promise<Loaded<Lesson>> => {
  const result = await runtime.api.request<Lesson>({ op: 'lesson_data', method: 'GET', path: '/api/lessons/fractions', retry: false });
  if (!result.ok) throw result.error;
  return { value: result.value as Lesson };
};

describe('lessons and the tutor over a real RecoveryOrchestrator', () => {
  afterEach(() => vi.useRealTimers());

  it('a lesson answering 503 is served from its snapshot by the orchestrator: recovered/fallback, not escalated', async () => {
    const { runtime, fallbacks, ofType, escalations } = setup([json({ error: { code: 'DOWN', message: 'down' } }, 503)]);
    fallbacks.snapshots.save(lesson);
    const loaded = await loadLessonWithFallback(runtime, fallbacks.snapshots, 'fractions', loadFrom(runtime));
    expect(loaded.value.title).toBe('Fractions');
    expect(loaded.stale).toBeDefined();
    expect(runtime.orchestrator.history()).toEqual([expect.objectContaining({ op: 'lesson_data', status: 'recovered', method: 'fallback', strategy: 'lessonSnapshot', escalated: false })]);
    expect(ofType('escalation.raised')).toEqual([]);
    expect(escalations.items()).toEqual([]);
    runtime.dispose();
  });

  it('no snapshot and the lesson failing: one final retry, then failed, escalated into the log and announced', async () => {
    useFakeClock();
    const { runtime, fallbacks, ofType, escalations, server } = setup([json({ error: { code: 'DOWN', message: 'down' } }, 503)]);
    const loading = loadLessonWithFallback(runtime, fallbacks.snapshots, 'fractions', loadFrom(runtime));
    const outcome = expect(loading).rejects.toMatchObject({ code: 'HTTP_5XX' });
    await vi.advanceTimersByTimeAsync(2_000);
    await outcome;
    expect(server.calls).toHaveLength(2); // the load, then the same request once more
    expect(runtime.orchestrator.history()).toEqual([expect.objectContaining({ op: 'lesson_data', status: 'failed', escalated: true })]);
    expect(ofType('escalation.raised')).toEqual([expect.objectContaining({ op: 'lesson_data', code: 'HTTP_5XX' })]);
    await vi.waitFor(() => expect(escalations.items()).toEqual([expect.objectContaining<Partial<EscalationItem>>({ op: 'lesson_data', code: 'HTTP_5XX' })]));
    runtime.dispose();
  });

  it('the final retry that works is served as the fresh lesson (and saved as the snapshot)', async () => {
    useFakeClock();
    const { runtime, fallbacks, ofType } = setup([json({ error: { code: 'DOWN', message: 'down' } }, 503), json(lesson)]);
    const loading = loadLessonWithFallback(runtime, fallbacks.snapshots, 'fractions', loadFrom(runtime));
    await vi.advanceTimersByTimeAsync(2_000);
    await expect(loading).resolves.toEqual({ value: lesson });
    expect(fallbacks.snapshots.find('fractions')?.lesson).toEqual(lesson);
    expect(runtime.orchestrator.history()).toEqual([expect.objectContaining({ status: 'recovered', method: 'retry' })]);
    expect(ofType('escalation.raised')).toEqual([]);
    runtime.dispose();
  });

  it('a black-holed lesson is served from its snapshot inside the 8 s deadline (no 10 s attempt timeout, no retry loop after it)', async () => {
    useFakeClock();
    const escalations = createEscalationLog();
    const { runtime } = testRuntime({ api: { fetch: hangingFetch }, storage: { indexedDB: null, local: memoryStorage() }, recovery: { escalator: escalations } });
    const fallbacks = registerAppFallbacks(runtime, { storage: memoryStorage(), userId: 'ada', now: () => 0 });
    fallbacks.snapshots.save(lesson);
    const startedAt = Date.now();
    let servedAt: number | undefined;
    // The app's own load: the request carries the deadline of the student's action.
    const load = async (budget: { deadlineAt: number }): Promise<Loaded<Lesson>> => {
      const result = await runtime.api.request<Lesson>({ op: 'lesson_data', method: 'GET', path: '/api/lessons/fractions', deadlineAt: budget.deadlineAt });
      if (!result.ok) throw result.error;
      return { value: result.value as Lesson };
    };
    const loading = loadLessonWithFallback(runtime, fallbacks.snapshots, 'fractions', load).then((loaded) => {
      servedAt = Date.now();
      return loaded;
    });
    await vi.advanceTimersByTimeAsync(8_000);
    await expect(loading).resolves.toMatchObject({ value: { title: 'Fractions' }, stale: expect.anything() });
    expect((servedAt as number) - startedAt).toBeLessThanOrEqual(8_000);
    expect(escalations.items()).toEqual([]);
    runtime.dispose();
  });

  it('a lesson under 429 + Retry-After: 3 settles inside the deadline: 3 requests, no second retry loop from the final retry', async () => {
    useFakeClock();
    const { runtime, fallbacks, server, escalations } = setup([json({ error: { code: 'SLOW_DOWN', message: 'busy' } }, 429, { 'Retry-After': '3' })]);
    const startedAt = Date.now();
    let settledAt: number | undefined;
    const load = async (budget: { deadlineAt: number }): Promise<Loaded<Lesson>> => {
      const result = await runtime.api.request<Lesson>({ op: 'lesson_data', method: 'GET', path: '/api/lessons/fractions', deadlineAt: budget.deadlineAt });
      if (!result.ok) throw result.error;
      return { value: result.value as Lesson };
    };
    const loading = loadLessonWithFallback(runtime, fallbacks.snapshots, 'fractions', load).finally(() => (settledAt = Date.now()));
    const outcome = expect(loading).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await vi.advanceTimersByTimeAsync(8_000);
    await outcome;
    expect(server.calls).toHaveLength(3); // at 0, 3 and 6 s; the final retry's Retry-After would pass the deadline
    expect((settledAt as number) - startedAt).toBeLessThanOrEqual(8_000);
    await vi.waitFor(() => expect(escalations.items()).toHaveLength(1));
    runtime.dispose();
  });

  it('with the orchestrator flag off a failing lesson takes the plain fallback path: no recovery at all', async () => {
    const { runtime, fallbacks, ofType, server } = setup([json({ error: { code: 'DOWN', message: 'down' } }, 503)], flagsWith({ orchestrator: false }));
    fallbacks.snapshots.save(lesson);
    await expect(loadLessonWithFallback(runtime, fallbacks.snapshots, 'fractions', loadFrom(runtime))).resolves.toMatchObject({ value: lesson });
    expect(server.calls).toHaveLength(1);
    expect(ofType('recovery.started')).toEqual([]);
    expect(ofType('fallback.used')).toEqual([expect.objectContaining({ op: 'lesson_data', strategy: 'lessonSnapshot' })]);
    runtime.dispose();

    // Nothing saved: the load's own error at once, no final retry, nothing escalated.
    const bare = setup([json({ error: { code: 'DOWN', message: 'down' } }, 503)], flagsWith({ orchestrator: false }));
    await expect(loadLessonWithFallback(bare.runtime, bare.fallbacks.snapshots, 'fractions', loadFrom(bare.runtime))).rejects.toMatchObject({ code: 'HTTP_5XX' });
    expect(bare.server.calls).toHaveLength(1);
    expect(bare.ofType('escalation.raised')).toEqual([]);
    expect(bare.escalations.items()).toEqual([]);
    bare.runtime.dispose();
  });

  it('a live ask that fails is answered by the ai_tutoring chain at once, labelled, with no recovery to wait for', async () => {
    const { runtime, fallbacks, ofType } = setup([json({ replyTo: 'ask-1', text: 'Use quarters.' })]);
    const live: TutorService = { ask: () => Promise.reject(new ResilienceError('SOCKET_CLOSED', 'gone')), close: () => undefined };
    const tutor = withTutorFallback(live, { runtime, answers: fallbacks.answers, createId: () => 'ask-1' });
    const reply: TutorReply = await tutor.ask('fractions', 'help', () => undefined);
    expect(reply).toEqual({ replyTo: 'ask-1', text: 'Use quarters.', source: 'simplified' });
    expect(runtime.orchestrator.history()).toEqual([]);
    expect(ofType('escalation.raised')).toEqual([]);
    tutor.close();
    runtime.dispose();
  });

  it('a question nothing could answer is recovered: asked live once more, then escalated', async () => {
    useFakeClock();
    const { runtime, fallbacks, ofType, escalations } = setup([json({ error: { code: 'DOWN', message: 'down' } }, 500)]);
    let asked = 0;
    const live: TutorService = {
      ask: () => {
        asked += 1;
        return Promise.reject(new ResilienceError('SOCKET_CLOSED', 'gone'));
      },
      close: () => undefined,
    };
    const tutor = withTutorFallback(live, { runtime, answers: fallbacks.answers, createId: () => 'ask-1' });
    const reply = tutor.ask('fractions', 'help', () => undefined);
    const outcome = expect(reply).rejects.toBeInstanceOf(ResilienceError);
    await vi.advanceTimersByTimeAsync(10_000);
    await outcome;
    expect(asked).toBe(2);
    expect(runtime.orchestrator.history()).toEqual([expect.objectContaining({ op: 'ai_tutoring', status: 'failed', escalated: true })]);
    expect(ofType('escalation.raised')).toEqual([expect.objectContaining({ op: 'ai_tutoring' })]);
    await vi.waitFor(() => expect(escalations.items()).toEqual([expect.objectContaining({ op: 'ai_tutoring' })]));
    tutor.close();
    runtime.dispose();
  });

  it('the same question with the orchestrator flag off: the error of the chain, nothing escalated', async () => {
    const { runtime, fallbacks, ofType } = setup([json({ error: { code: 'DOWN', message: 'down' } }, 500)], flagsWith({ orchestrator: false }));
    const live: TutorService = { ask: () => Promise.reject(new ResilienceError('SOCKET_CLOSED', 'gone')), close: () => undefined };
    const tutor = withTutorFallback(live, { runtime, answers: fallbacks.answers, createId: () => 'ask-1' });
    await expect(tutor.ask('fractions', 'help', () => undefined)).rejects.toBeInstanceOf(ResilienceError);
    expect(ofType('recovery.started')).toEqual([]);
    expect(ofType('escalation.raised')).toEqual([]);
    tutor.close();
    runtime.dispose();
  });
});

describe('the escalation log', () => {
  it('keeps the newest items up to its limit and takes an operation off when it works again', () => {
    const log = createEscalationLog(2);
    const changes = vi.fn();
    log.subscribe(changes);
    const item = (id: string, op: string): EscalationItem => ({ id, op, code: 'HTTP_5XX', message: 'down', causeKey: `HTTP_5XX|api|${op}`, raisedAt: 0 });
    void log.escalate(item('1', 'lesson_data'));
    void log.escalate(item('2', 'lesson_list'));
    void log.escalate(item('3', 'lesson_data'));
    expect(log.items().map((i) => i.id)).toEqual(['2', '3']);
    log.resolve('lesson_data');
    expect(log.items().map((i) => i.id)).toEqual(['2']);
    log.resolve('ai_tutoring');
    expect(changes).toHaveBeenCalledTimes(4);
  });
});

describe('orchestrator.run: the same recovery as a runtime method', () => {
  beforeEach(() => useFakeClock());
  afterEach(() => vi.useRealTimers());

  it('serves the final retry of a failed primary as primary, with the runtime clock giving the deadline', async () => {
    const { runtime, ofType } = testRuntime({ flags: { source: flagsWith({ orchestrator: true, selfHealing: false }) } });
    const primary = flaky(1);
    const served = runtime.orchestrator.run<string>({ op: 'lesson_data', requestKey: 'fractions', primary });
    await vi.advanceTimersByTimeAsync(8_000);
    await expect(served).resolves.toEqual({ from: 'primary', value: 'fresh' });
    expect(primary).toHaveBeenCalledTimes(2);
    expect(ofType('recovery.finished')).toMatchObject([{ op: 'lesson_data', result: { status: 'recovered', method: 'retry', code: 'HTTP_5XX' } }]);
    runtime.dispose();
  });

  it('with the orchestrator flag off it is the plain path: one try, its error', async () => {
    const { runtime, ofType } = testRuntime({ flags: { source: flagsWith({ orchestrator: false }) } });
    await expect(runtime.orchestrator.run<string>({ op: 'lesson_data', primary: flaky(1) })).rejects.toMatchObject({ code: 'HTTP_5XX' });
    expect(ofType('recovery.finished')).toEqual([]);
    runtime.dispose();
  });
});
