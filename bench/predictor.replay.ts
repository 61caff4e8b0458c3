/**
 * Replays a trace on a fake clock through the real MetricsCollector and ErrorPredictor with a given scorer,
 * and reports when alarms (level high or above) were raised. Used by the bench and by unit tests.
 */
import { performance } from 'node:perf_hooks';
import type { Clock } from '../src/resilience';
import { createEventBus } from '../src/resilience/core/eventBus';
import type { BrowserSignalSeams } from '../src/resilience/predictor/browserSeams';
import { createErrorPredictor } from '../src/resilience/predictor/errorPredictor';
import { createMetricsCollector } from '../src/resilience/predictor/metricsCollector';
import { atLeast, type Prediction, type PressureState, type RiskLevel, type RiskScorer } from '../src/resilience/predictor/predictorTypes';
import { createHysteresis } from '../src/resilience/predictor/riskLevels';
import type { Trace } from './predictor.traces';

/** A clock whose time moves only when told; timers fire in order. */
export function manualClock(start = 0): Clock & { advanceTo(t: number): void } {
  let now = start;
  let nextId = 1;
  const timers = new Map<number, { at: number; callback: () => void }>();
  return {
    now: () => now,
    setTimeout(callback, delayMs) {
      const id = nextId++;
      timers.set(id, { at: now + Math.max(0, delayMs), callback });
      return id;
    },
    clearTimeout: (handle) => void timers.delete(handle as number),
    advanceTo(t) {
      for (;;) {
        let dueId: number | undefined;
        let due: { at: number; callback: () => void } | undefined;
        for (const [id, timer] of timers) if (timer.at <= t && (!due || timer.at < due.at)) [dueId, due] = [id, timer];
        if (!due || dueId === undefined) break;
        timers.delete(dueId);
        now = due.at;
        due.callback();
      }
      now = t;
    },
  };
}

export interface ReplayResult {
  readonly trace: Trace;
  /** Times (ms from trace start) when the level rose to high or above. */
  readonly alarms: readonly number[];
  readonly predictions: readonly Prediction[];
  /** Wall-clock ms per evaluation (collector snapshot + scoring + events). */
  readonly tickMs: readonly number[];
}

export interface ReplayOptions {
  intervalMs?: number;
  holdEvaluations?: number;
  /** The level that counts as an alarm. Default high (where the protective actions act). */
  alarmLevel?: RiskLevel;
}

export function replayTrace(trace: Trace, scorer: RiskScorer, options: ReplayOptions = {}): ReplayResult {
  const clock = manualClock(0);
  const events = createEventBus(clock);
  const memory = { usedJSHeapSize: 0, jsHeapSizeLimit: 4e9 };
  let frames: ((list: { getEntries(): { duration: number }[] }) => void) | undefined;
  let pressure: ((records: { state: PressureState }[]) => void) | undefined;
  const hasMemory = trace.steps.some((step) => step.kind === 'memory');
  const seams: BrowserSignalSeams = {
    PerformanceObserver: Object.assign(
      class {
        constructor(callback: typeof frames) {
          frames = callback;
        }
        observe() {}
        disconnect() {}
      },
      { supportedEntryTypes: ['long-animation-frame'] },
    ),
    PressureObserver: class {
      constructor(callback: typeof pressure) {
        pressure = callback;
      }
      observe = () => Promise.resolve();
      disconnect() {}
    },
    ...(hasMemory ? { performance: { memory } } : {}),
    ...(trace.network ? { navigator: { connection: { effectiveType: trace.network.effectiveType, rtt: trace.network.rttMs } } } : {}),
  };
  const tickMs: number[] = [];
  const collectorInner = createMetricsCollector({ clock, events, seams, lagIntervalMs: 0, onBadEvent: () => predictor.noteBadEvent(), onError: () => undefined });
  const collector = {
    ...collectorInner,
    snapshot() {
      const started = performance.now();
      const snapshot = collectorInner.snapshot();
      lastSnapshotStarted = started;
      return snapshot;
    },
  };
  let lastSnapshotStarted = 0;
  const timedScorer: RiskScorer = {
    name: scorer.name,
    score(metrics) {
      const scored = scorer.score(metrics);
      tickMs.push(performance.now() - lastSnapshotStarted);
      return scored;
    },
  };
  const predictions: Prediction[] = [];
  const alarms: number[] = [];
  let wasHigh = false;
  const predictor = createErrorPredictor({
    clock,
    events,
    collector,
    scorer: timedScorer,
    hysteresis: createHysteresis({ holdEvaluations: options.holdEvaluations }),
    intervalMs: options.intervalMs,
    onEvaluated(prediction) {
      predictions.push(prediction);
      const high = atLeast(prediction.level, options.alarmLevel ?? 'high');
      if (high && !wasHigh) alarms.push(prediction.at);
      wasHigh = high;
    },
  });
  predictor.start();
  for (const step of trace.steps) {
    clock.advanceTo(step.at);
    switch (step.kind) {
      case 'request':
        if (step.ok) events.emit('request.succeeded', { backend: step.backend, op: 'trace', status: 200, durationMs: step.durationMs, attempts: 1 });
        else events.emit('request.failed', { backend: step.backend, op: 'trace', code: step.code ?? 'HTTP_5XX', durationMs: step.durationMs, attempts: 1, fallbackAdvised: false });
        break;
      case 'memory':
        memory.usedJSHeapSize = step.ratio * memory.jsHeapSizeLimit;
        break;
      case 'pressure':
        pressure?.([{ state: step.state }]);
        break;
      case 'longTask':
        frames?.({ getEntries: () => [{ duration: step.durationMs }] });
        break;
      case 'socketStale':
        events.emit('socket.state', { state: 'stale' });
        break;
      case 'breakerOpened':
        break; // the failure itself: alarms from here on are too late (the replay ends at failureAt)
    }
  }
  clock.advanceTo(trace.durationMs);
  predictor.stop();
  return { trace, alarms: trace.failureAt === undefined ? alarms : alarms.filter((at) => at < trace.failureAt!), predictions, tickMs };
}
