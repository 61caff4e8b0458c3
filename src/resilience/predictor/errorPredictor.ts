import type { Clock, TimerHandle } from '../core/clock';
import { createListeners } from '../core/listeners';
import type { EventBus } from '../core/eventBus';
import { guard, reportInternalError } from '../core/guard';
import type { MetricsCollector } from './metricsCollector';
import type { MetricsSnapshot, Prediction, RiskScorer } from './predictorTypes';
import { atLeast } from './predictorTypes';
import type { Hysteresis } from './riskLevels';

/** Whether the page is hidden, and a way to hear when that changes (`document` satisfies it via the wiring). */
export interface VisibilitySource {
  hidden(): boolean;
  subscribe(listener: () => void): () => void;
}

export interface ErrorPredictorOptions {
  clock: Clock;
  events: EventBus;
  collector: MetricsCollector;
  scorer: RiskScorer;
  hysteresis: Hysteresis;
  /** Regular evaluation period on the runtime clock. Default 30 s. */
  intervalMs?: number;
  /** A burst: this many bad events within `burstWindowMs` re-evaluates at once. Default 3 within 5 s. */
  burstCount?: number;
  burstWindowMs?: number;
  /** Evaluations triggered by bursts are at least this far apart. Default 1 s. */
  minGapMs?: number;
  visibility?: VisibilitySource;
  /** After each evaluation (the action runner listens here). */
  onEvaluated?: (prediction: Prediction, metrics: MetricsSnapshot) => void;
  /** Monitoring hook: called when the level rises to high or critical. */
  onAlert?: (prediction: Prediction) => void;
}

export interface ErrorPredictor {
  start(): void;
  stop(): void;
  /** Evaluates now (also used by the bench and by tests). */
  evaluate(reason?: string): Prediction;
  /** Counts one bad event towards a burst (the collector calls it). */
  noteBadEvent(): void;
  latest(): Prediction | undefined;
  subscribe(listener: (prediction: Prediction) => void): () => void;
  readonly running: boolean;
}

/**
 * Evaluates risk every `intervalMs` and on bursts of bad events; pauses while the page is hidden (a hidden
 * page's timers are throttled and its signals say nothing about the student's experience). Each evaluation
 * emits `prediction`; entering high or critical calls the alert hook once per rise.
 */
export function createErrorPredictor(options: ErrorPredictorOptions): ErrorPredictor {
  const { clock, events, collector, scorer, hysteresis } = options;
  const intervalMs = options.intervalMs ?? 30_000;
  const burstCount = options.burstCount ?? 3;
  const burstWindowMs = options.burstWindowMs ?? 5000;
  const minGapMs = options.minGapMs ?? 1000;
  const listeners = createListeners<Prediction>((error) => reportInternalError(events, 'predictor.listener', error));
  const badTimes: number[] = [];
  let latest: Prediction | undefined;
  let timer: TimerHandle | undefined;
  let burstTimer: TimerHandle | undefined;
  let running = false;
  let lastEvaluatedAt = -Infinity;
  let alerted = false;
  let stopVisibility: (() => void) | undefined;

  const paused = () => options.visibility?.hidden() === true;
  const clearTimers = () => {
    if (timer !== undefined) clock.clearTimeout(timer);
    if (burstTimer !== undefined) clock.clearTimeout(burstTimer);
    timer = burstTimer = undefined;
  };
  const schedule = () => {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = clock.setTimeout(() => {
      timer = undefined;
      if (!running || paused()) return;
      evaluate('interval');
      schedule();
    }, intervalMs);
  };

  const evaluate = (reason = 'manual'): Prediction => {
    const metrics = collector.snapshot();
    const { score, factors } = scorer.score(metrics);
    const level = hysteresis.next(score);
    const prediction: Prediction = { at: metrics.at, score, level, factors, scorer: scorer.name };
    latest = prediction;
    lastEvaluatedAt = metrics.at;
    events.emit('prediction', { score, level, factors, scorer: scorer.name, reason }, metrics.at);
    listeners.notify(prediction);
    guard(events, 'predictor.actions', () => options.onEvaluated?.(prediction, metrics), () => undefined);
    const high = atLeast(level, 'high');
    if (high && !alerted) guard(events, 'predictor.alert', () => options.onAlert?.(prediction), () => undefined);
    alerted = high;
    return prediction;
  };

  const onVisibility = () => {
    if (!running) return;
    collector.setPaused(paused());
    if (paused()) clearTimers();
    else {
      evaluate('visible');
      schedule();
    }
  };

  return {
    get running() {
      return running;
    },
    start() {
      if (running) return;
      running = true;
      collector.start();
      stopVisibility = options.visibility?.subscribe(onVisibility);
      if (paused()) collector.setPaused(true);
      else schedule();
    },
    stop() {
      running = false;
      clearTimers();
      stopVisibility?.();
      stopVisibility = undefined;
      collector.stop();
    },
    evaluate,
    noteBadEvent() {
      if (!running || paused()) return;
      const now = clock.now();
      badTimes.push(now);
      while (badTimes.length > 0 && now - (badTimes[0] as number) > burstWindowMs) badTimes.shift();
      if (badTimes.length < burstCount || burstTimer !== undefined) return;
      const wait = Math.max(0, lastEvaluatedAt + minGapMs - now);
      burstTimer = clock.setTimeout(() => {
        burstTimer = undefined;
        if (!running || paused()) return;
        badTimes.length = 0;
        evaluate('burst');
        schedule(); // the next regular evaluation counts from this one
      }, wait);
    },
    latest: () => latest,
    subscribe: listeners.subscribe,
  };
}
