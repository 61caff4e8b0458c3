/**
 * `npm run bench -- trend-weights`: the grid search that chose DEFAULT_TREND_WEIGHTS, on the training half
 * (even seeds) only. Objective: the highest recall with precision ≥ 85 % and median lead ≥ 10 s; ties → precision.
 */
import { createTrendScorer, DEFAULT_TREND_WEIGHTS, type TrendScorerWeights } from '../src/resilience/predictor/trendScorer';
import { evaluate } from './predictor.evaluation';
import { replayTrace } from './predictor.replay';
import { generateTraces } from './predictor.traces';

const GRID: Partial<Record<keyof TrendScorerWeights, readonly number[]>> = {
  latencyTrend: [0.55, 0.7, 0.85],
  errors: [0.6, 0.75, 0.9],
  errorTrend: [0.25, 0.4],
  staleness: [0.35, 0.5, 0.6],
};

export async function runPredictorTune(): Promise<string> {
  const training = generateTraces(24, 1).filter((trace) => trace.seed % 2 === 0);
  const keys = Object.keys(GRID) as (keyof TrendScorerWeights)[];
  let best: { weights: TrendScorerWeights; recall: number; precision: number; lead: number } | undefined;
  const visit = (index: number, weights: TrendScorerWeights) => {
    if (index === keys.length) {
      const e = evaluate(training.map((trace) => replayTrace(trace, createTrendScorer(weights))));
      const lead = e.leadMedianMs ?? 0;
      if (e.precision < 0.85 || lead < 10_000) return;
      if (!best || e.recall > best.recall || (e.recall === best.recall && e.precision > best.precision)) best = { weights: { ...weights }, recall: e.recall, precision: e.precision, lead };
      return;
    }
    const key = keys[index] as keyof TrendScorerWeights;
    for (const value of GRID[key] ?? []) visit(index + 1, { ...weights, [key]: value });
  };
  visit(0, { ...DEFAULT_TREND_WEIGHTS });
  if (!best) return 'No weights reach precision ≥ 85 % with median lead ≥ 10 s on the training half.';
  const found = best as { weights: TrendScorerWeights; recall: number; precision: number; lead: number };
  return [
    `Best on the training half: recall ${Math.round(found.recall * 100)} %, precision ${Math.round(found.precision * 100)} %, median lead ${(found.lead / 1000).toFixed(1)} s`,
    `weights ${JSON.stringify(found.weights)}`,
  ].join('\n');
}
