import type { Clock } from '../core/clock';
import type { EventBus } from '../core/eventBus';
import { guard, reportInternalError } from '../core/guard';
import type { FeatureFlags } from '../flags/featureFlags';
import type { Healer, PredictionSnapshot, Predictor } from '../orchestrator/recoveryTypes';
import type { Outbox } from '../outbox/outbox';
import type { ApiClient } from '../transport/apiClient';
import { createNetworkTuning, type NetworkTuning } from './actions/networkTuning';
import { flushOutboxAction } from './actions/flushOutbox';
import { memoryReliefAction } from './actions/memoryRelief';
import { prefetchAction, type PrefetchTarget } from './actions/prefetch';
import { createActionRunner, type PreventiveAction } from './actions/preventiveAction';
import { slowNetworkAction } from './actions/slowNetwork';
import { textOnlySuggestionAction } from './actions/textOnlySuggestion';
import { warmUpAction, type WarmUpTarget } from './actions/warmUp';
import { createBaselineScorer } from './baselineScorer';
import { pageSignalSeams, type BrowserSignalSeams } from './browserSeams';
import { createErrorPredictor, type VisibilitySource } from './errorPredictor';
import { createMetricsCollector } from './metricsCollector';
import type { Prediction, RiskScorer } from './predictorTypes';
import { createHysteresis } from './riskLevels';
import { createTrendScorer } from './trendScorer';

/** Options of the error predictor: evaluation period, scorer, browser seams and the preventive actions' targets. */
export interface PredictorConfig {
  /** Evaluation period. Default 30 s (tests and dev tools shorten it). */
  intervalMs?: number;
  /** Default 'trend'; 'baseline' is the seed's formula. */
  scorer?: 'trend' | 'baseline' | RiskScorer;
  /** Browser APIs to read; default the page's (none outside a document). */
  seams?: BrowserSignalSeams;
  /** Pauses evaluation while hidden; default `document`, null for never hidden. */
  visibility?: VisibilitySource | null;
  /** What to prefetch before a predicted outage (the app: current and next lesson). Omit: no prefetch action. */
  prefetchTargets?: () => readonly PrefetchTarget[];
  /** The app's simplified tutor to warm at high risk. Omit: no warm-up action. */
  warmUp?: WarmUpTarget;
  /** Monitoring hook, called when the level rises to high or critical. */
  onAlert?: (prediction: Prediction) => void;
  /** The baseline's connection limit. Default 6. */
  connectionLimit?: number;
  burstCount?: number;
  burstWindowMs?: number;
  /** Event-loop lag sampling period; 0 turns it off. Default 1 s. */
  lagIntervalMs?: number;
  /** Evaluations below a level's threshold (minus the margin) before the level falls. Default 2. */
  holdEvaluations?: number;
}

/** `runtime.predictor`: the orchestrator's Predictor plus what the UI and the bench read. */
export interface RuntimePredictor extends Predictor {
  /** The last prediction, or undefined before the first evaluation or with the flag off. */
  latest(): Prediction | undefined;
  subscribe(listener: (prediction: Prediction) => void): () => void;
  /** Evaluates now; undefined when the flag is off. */
  evaluateNow(): Prediction | undefined;
  /** Preventive actions in force. */
  activeActions(): readonly string[];
  /** Sources running (bus listener, observers, timers); empty with the flag off. */
  activeSources(): readonly string[];
  readonly tuning: NetworkTuning;
  /**
   * Resolves once the predictor's code is loaded and running: `runtime.predictor` loads it only when the
   * `predictor` flag is on (lazyPredictor.ts); at once while the flag is off or when already loaded.
   */
  ready(): Promise<void>;
  dispose(): void;
}

/** What the predictor is built from (the runtime's services and the `predictor` options). */
export interface PredictorDeps {
  clock: Clock;
  events: EventBus;
  flags: FeatureFlags;
  api: ApiClient;
  outbox: Pick<Outbox, 'snapshot' | 'syncNow'>;
  healer: Healer;
  /** Shared with the API client (timeouts); default a fresh one. */
  tuning?: NetworkTuning;
  config: PredictorConfig;
}

/** Builds the predictor, started and stopped with the `predictor` flag: flag off → no listener, observer or timer. */
export function createPredictorServices(deps: PredictorDeps): RuntimePredictor {
  const { clock, events, flags, config } = deps;
  const tuning = deps.tuning ?? createNetworkTuning();
  const scorer = typeof config.scorer === 'object' ? config.scorer : config.scorer === 'baseline' ? createBaselineScorer({ connectionLimit: config.connectionLimit }) : createTrendScorer();
  const actions: PreventiveAction[] = [
    ...(config.prefetchTargets ? [prefetchAction({ api: deps.api, targets: config.prefetchTargets, concurrency: tuning.maxConcurrency })] : []),
    flushOutboxAction({ outbox: deps.outbox }),
    ...(config.warmUp ? [warmUpAction({ warmer: config.warmUp })] : []),
    slowNetworkAction({ tuning }),
    memoryReliefAction({ healer: deps.healer }),
    textOnlySuggestionAction({ events }),
  ];
  const runner = createActionRunner(actions, events);
  const burst = { note: () => undefined as void };
  const collector = createMetricsCollector({
    clock,
    events,
    seams: config.seams ?? pageSignalSeams(),
    lagIntervalMs: config.lagIntervalMs,
    onBadEvent: () => burst.note(),
    onError: (source, error) => reportInternalError(events, `predictor.${source}`, error),
  });
  const running = createErrorPredictor({
    clock,
    events,
    collector,
    scorer,
    hysteresis: createHysteresis({ holdEvaluations: config.holdEvaluations }),
    intervalMs: config.intervalMs,
    burstCount: config.burstCount,
    burstWindowMs: config.burstWindowMs,
    visibility: config.visibility === null ? undefined : (config.visibility ?? documentVisibility()),
    onEvaluated: (prediction, metrics) => runner.update(prediction, metrics),
    onAlert: config.onAlert,
  });
  burst.note = () => running.noteBadEvent();

  const sync = () =>
    guard(
      events,
      'predictor',
      () => {
        if (flags.isEnabled('predictor')) running.start();
        else if (running.running) {
          running.stop();
          runner.undoAll();
        }
      },
      () => running.stop(),
    );
  sync();
  const unsubscribeFlags = flags.subscribe(sync);
  const on = () => flags.isEnabled('predictor') && running.running;

  return {
    tuning,
    snapshot: (): PredictionSnapshot => toSnapshot(on() ? running.latest() : undefined),
    latest: () => (on() ? running.latest() : undefined),
    subscribe: (listener) => running.subscribe(listener),
    evaluateNow: () => (on() ? guard(events, 'predictor', () => running.evaluate('manual'), () => undefined) : undefined),
    activeActions: () => runner.active(),
    activeSources: () => collector.active(),
    ready: () => Promise.resolve(),
    dispose() {
      unsubscribeFlags();
      running.stop();
      runner.undoAll();
    },
  };
}

/** The orchestrator's vocabulary: medium → elevated, high and critical → high. */
function toSnapshot(prediction: Prediction | undefined): PredictionSnapshot {
  if (!prediction) return { score: 0, level: 'low' };
  const level = prediction.level === 'low' ? 'low' : prediction.level === 'medium' ? 'elevated' : 'high';
  return { score: prediction.score, level };
}

function documentVisibility(): VisibilitySource | undefined {
  const doc = (globalThis as { document?: { hidden?: boolean; addEventListener?: Document['addEventListener']; removeEventListener?: Document['removeEventListener'] } }).document;
  if (!doc || typeof doc.addEventListener !== 'function') return undefined;
  return {
    hidden: () => doc.hidden === true,
    subscribe(listener) {
      doc.addEventListener?.('visibilitychange', listener);
      return () => doc.removeEventListener?.('visibilitychange', listener);
    },
  };
}
