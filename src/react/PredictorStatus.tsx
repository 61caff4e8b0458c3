import { useSyncExternalStore } from 'react';
import type { Prediction } from '../resilience';
import { useFlags, useRuntime } from './hooks';

/** Developer panel: the error predictor's score, level and reasons, live (one re-render per evaluation). */
export function PredictorStatus() {
  const runtime = useRuntime();
  const flags = useFlags();
  const prediction = useSyncExternalStore(runtime.predictor.subscribe, runtime.predictor.latest, runtime.predictor.latest);
  const enabled = flags.flags.predictor.effective;
  return (
    <section aria-labelledby="dev-predictor-heading" className="dev-section">
      <h3 id="dev-predictor-heading">Error predictor</h3>
      {!enabled ? <p>Off (flag predictor).</p> : prediction ? <PredictionView prediction={prediction} actions={runtime.predictor.activeActions()} /> : <p>No evaluation yet.</p>}
    </section>
  );
}

function PredictionView({ prediction, actions }: { prediction: Prediction; actions: readonly string[] }) {
  const factors = [...prediction.factors].sort((a, b) => b.weight - a.weight).slice(0, 4);
  return (
    <>
      <p>
        Risk <output data-testid="predictor-score">{prediction.score.toFixed(2)}</output>, level{' '}
        <output data-testid="predictor-level">{prediction.level}</output> ({prediction.scorer} scorer)
      </p>
      {factors.length > 0 && (
        <ul className="dev-predictor-factors">
          {factors.map((factor) => (
            <li key={factor.name}>
              {factor.name} +{factor.weight.toFixed(2)}: {factor.detail}
            </li>
          ))}
        </ul>
      )}
      <p>Actions in force: {actions.length > 0 ? actions.join(', ') : 'none'}</p>
    </>
  );
}
