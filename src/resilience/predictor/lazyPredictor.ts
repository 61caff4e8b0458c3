import { reportInternalError } from '../core/guard';
import { loadWithFlag } from '../flags/loadWithFlag';
import type { PredictionSnapshot } from '../orchestrator/recoveryTypes';
import { createNetworkTuning } from './actions/networkTuning';
import type { Prediction } from './predictorTypes';
import type { PredictorDeps, RuntimePredictor } from './predictorWiring';

/** Loads the predictor's code (a chunk of its own in a build). */
export type LoadPredictor = () => Promise<{ createPredictorServices(deps: PredictorDeps): RuntimePredictor }>;

const OFF: PredictionSnapshot = { score: 0, level: 'low' };

/**
 * `runtime.predictor` without the predictor's code in the first load: the code (collectors, scorers, preventive
 * actions, ~6.5 KB gz) is imported only once the `predictor` flag is on, at start-up or later, and then runs as
 * `createPredictorServices` does. Until then (and for ever while the flag stays off, as it ships) it answers as
 * the predictor does with its flag off: no prediction, low risk, nothing active. Listeners subscribed before the
 * load are attached to the loaded predictor. A failed load is reported (`runtime.internalError`) and leaves the
 * flag-off behaviour; the next flag change tries again.
 */
export function lazyPredictor(deps: PredictorDeps, load: LoadPredictor = () => import('./predictorWiring')): RuntimePredictor {
  const tuning = deps.tuning ?? createNetworkTuning();
  let real: RuntimePredictor | undefined;
  /** Listeners subscribed before the load, with their unsubscribe from the loaded predictor once attached. */
  const early = new Map<(prediction: Prediction) => void, (() => void) | undefined>();
  const code = loadWithFlag({
    flags: deps.flags,
    flag: 'predictor',
    load,
    loaded(module) {
      real = module.createPredictorServices({ ...deps, tuning });
      for (const listener of early.keys()) early.set(listener, real.subscribe(listener));
    },
    failed: (error) => reportInternalError(deps.events, 'predictor', new Error(`Loading the predictor failed: ${String(error)}`)),
  });

  return {
    tuning,
    snapshot: () => (real ? real.snapshot() : OFF),
    latest: () => real?.latest(),
    subscribe(listener) {
      if (real) return real.subscribe(listener);
      early.set(listener, undefined);
      return () => {
        early.get(listener)?.();
        early.delete(listener);
      };
    },
    evaluateNow: () => real?.evaluateNow(),
    activeActions: () => real?.activeActions() ?? [],
    activeSources: () => real?.activeSources() ?? [],
    ready: code.ready,
    dispose() {
      code.dispose();
      early.clear();
      real?.dispose();
    },
  };
}
