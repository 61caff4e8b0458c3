import { createEventBus } from '../../../../src/resilience/core/eventBus';
import type { ResilienceEvent } from '../../../../src/resilience';
import { flushOutboxAction } from '../../../../src/resilience/predictor/actions/flushOutbox';
import { memoryReliefAction } from '../../../../src/resilience/predictor/actions/memoryRelief';
import { createNetworkTuning } from '../../../../src/resilience/predictor/actions/networkTuning';
import { prefetchAction } from '../../../../src/resilience/predictor/actions/prefetch';
import { createActionRunner, type PreventiveAction } from '../../../../src/resilience/predictor/actions/preventiveAction';
import { slowNetworkAction } from '../../../../src/resilience/predictor/actions/slowNetwork';
import { textOnlySuggestionAction } from '../../../../src/resilience/predictor/actions/textOnlySuggestion';
import { warmUpAction } from '../../../../src/resilience/predictor/actions/warmUp';
import type { MetricsSnapshot, Prediction, RiskFactor, RiskLevel } from '../../../../src/resilience/predictor/predictorTypes';
import { systemClock } from '../../../../src/resilience/core/clock';
import { calmMetrics } from './fakes';

const at = (level: RiskLevel, factors: RiskFactor[] = []): Prediction => ({ at: 0, score: { low: 0.1, medium: 0.5, high: 0.7, critical: 0.9 }[level], level, factors, scorer: 'test' });
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function run(action: PreventiveAction) {
  const events = createEventBus(systemClock());
  const reports: ResilienceEvent[] = [];
  events.subscribe((event) => reports.push(event));
  const runner = createActionRunner([action], events);
  const step = async (prediction: Prediction, metrics: MetricsSnapshot = calmMetrics) => {
    runner.update(prediction, metrics);
    await flush();
  };
  const changes = () => reports.flatMap((e) => (e.type === 'prediction.action' ? [`${e.change}@${e.level}: ${e.detail}`] : []));
  return { events, reports, runner, step, changes };
}

describe('preventive actions', () => {
  it('prefetch: fires at medium, fetches each target once into the cache, aborts when risk falls', async () => {
    const requests: { path: string; cache?: unknown; signal?: AbortSignal }[] = [];
    let targets = [{ op: 'lesson_data', path: '/api/lessons/a', cache: { key: 'lesson:a', mode: 'fallback' as const } }];
    const api = {
      request: vi.fn(async (request: { path: string; cache?: unknown; signal?: AbortSignal }) => {
        requests.push(request);
        return { ok: true as const, source: 'network' as const, value: {}, status: 200, attempts: 1, durationMs: 1 };
      }),
    };
    const { step, changes } = run(prefetchAction({ api: api as never, targets: () => targets, concurrency: () => 2 }));
    await step(at('low'));
    expect(requests).toHaveLength(0);
    await step(at('medium'));
    expect(requests.map((r) => [r.path, r.cache])).toEqual([['/api/lessons/a', { key: 'lesson:a', mode: 'fallback' }]]);
    targets = [...targets, { op: 'lesson_data', path: '/api/lessons/b', cache: { key: 'lesson:b', mode: 'fallback' } }];
    await step(at('high'));
    expect(requests.map((r) => r.path)).toEqual(['/api/lessons/a', '/api/lessons/b']); // a is not fetched again
    const signal = requests[1]?.signal;
    await step(at('low'));
    expect(signal?.aborted).toBe(true);
    expect(changes()).toEqual(['applied@medium: prefetched 1 of 1', 'undone@low: stopped prefetching']);
  });

  it('flush outbox: fires at high (not medium), reports what it sent; nothing to reverse', async () => {
    const outbox = { snapshot: () => ({ pending: 2 }) as never, syncNow: vi.fn(async () => ({ sent: 2 }) as never) };
    const { step, changes } = run(flushOutboxAction({ outbox }));
    await step(at('medium'));
    expect(outbox.syncNow).not.toHaveBeenCalled();
    await step(at('high'));
    expect(outbox.syncNow).toHaveBeenCalledTimes(1);
    await step(at('critical'));
    expect(outbox.syncNow).toHaveBeenCalledTimes(1); // in force already
    await step(at('medium'));
    expect(changes()).toEqual(['applied@high: flushed 2 of 2', 'undone@medium: nothing to undo']);
  });

  it('warm tutor: warms the app-supplied simplified tutor at high, releases it when risk falls', async () => {
    const warmer = { warm: vi.fn(), release: vi.fn() };
    const { step } = run(warmUpAction({ warmer }));
    await step(at('medium'));
    expect(warmer.warm).not.toHaveBeenCalled();
    await step(at('high'));
    expect(warmer.warm).toHaveBeenCalledTimes(1);
    await step(at('low'));
    expect(warmer.release).toHaveBeenCalledTimes(1);
  });

  it('slow network: at medium on a slow network lengthens timeouts and lowers concurrency; undo restores', async () => {
    const tuning = createNetworkTuning();
    const { step } = run(slowNetworkAction({ tuning }));
    const slow = { ...calmMetrics, network: { effectiveType: '2g', rttMs: 900 } };
    await step(at('high')); // a fast network: nothing to tune
    expect(tuning.timeoutFactor()).toBe(1);
    await step(at('medium'), slow);
    expect([tuning.timeoutFactor(), tuning.maxConcurrency()]).toEqual([2, 1]);
    await step(at('low'), slow);
    expect([tuning.timeoutFactor(), tuning.maxConcurrency()]).toEqual([1, 4]);
  });

  it('memory clean-up: at high with memory among the reasons feeds MEMORY_PRESSURE to self-healing', async () => {
    const healer = { handleError: vi.fn(async () => ({ healed: true, strategy: 'memoryCleanup' })) };
    const { step, changes } = run(memoryReliefAction({ healer }));
    await step(at('high', [{ name: 'latency', weight: 0.7, detail: '' }]));
    expect(healer.handleError).not.toHaveBeenCalled();
    await step(at('high', [{ name: 'memoryTrend', weight: 0.7, detail: '' }]));
    expect(healer.handleError).toHaveBeenCalledWith(expect.objectContaining({ code: 'MEMORY_PRESSURE' }), { op: 'predictor' });
    await step(at('medium'));
    expect(changes()).toEqual(['applied@high: memory cleaned up (memoryCleanup)', 'undone@medium: nothing to undo (freed caches refill on use)']);
  });

  it('text-only suggestion: on critical CPU pressure or memory, withdrawn when the device recovers; server trouble alone never', async () => {
    const { step, reports } = run(textOnlySuggestionAction({ events: createEventBus(systemClock()) }));
    const suggestions = () => reports.filter((e) => e.type === 'prediction.action').map((e) => (e as { change: string }).change);
    await step(at('critical', [{ name: 'errorRate', weight: 0.9, detail: '' }]));
    expect(suggestions()).toEqual([]);
    await step(at('medium'), { ...calmMetrics, pressure: 'critical' });
    expect(suggestions()).toEqual(['applied']);
    await step(at('low'), { ...calmMetrics, pressure: 'nominal' });
    expect(suggestions()).toEqual(['applied', 'undone']);
    await step(at('critical', [{ name: 'memory', weight: 0.5, detail: '' }, { name: 'memoryTrend', weight: 0.4, detail: '' }]));
    expect(suggestions()).toEqual(['applied', 'undone', 'applied']);
  });

  it('the suggestion event says what the UI offers and why', async () => {
    const events = createEventBus(systemClock());
    const seen: ResilienceEvent[] = [];
    events.subscribe((e) => void (e.type === 'prediction.suggestion' && seen.push(e)));
    const runner = createActionRunner([textOnlySuggestionAction({ events })], events);
    runner.update(at('medium'), { ...calmMetrics, pressure: 'critical' });
    runner.undoAll();
    expect(seen).toMatchObject([
      { suggestion: 'text-only', active: true, reason: 'CPU pressure critical' },
      { suggestion: 'text-only', active: false },
    ]);
  });

  it('an action that throws is reported and the others still run', async () => {
    const broken: PreventiveAction = { name: 'broken', wants: () => true, apply: () => { throw new Error('boom'); }, undo: () => 'x' };
    const warmer = { warm: vi.fn() };
    const events = createEventBus(systemClock());
    const errors: ResilienceEvent[] = [];
    events.subscribe((e) => void (e.type === 'runtime.internalError' && errors.push(e)));
    createActionRunner([broken, warmUpAction({ warmer })], events).update(at('high'), calmMetrics);
    expect(errors).toMatchObject([{ subsystem: 'predictor.action.broken', message: 'boom' }]);
    expect(warmer.warm).toHaveBeenCalled();
  });
});
