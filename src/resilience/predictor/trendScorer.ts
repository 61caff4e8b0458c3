import { pct, round } from './baselineScorer';
import type { MetricsSnapshot, RiskFactor, RiskScorer } from './predictorTypes';
import { ramp } from './trendMath';

/** Tuned on the training half of the bench traces (bench/predictor.node.ts); see docs/architecture.md. */
export interface TrendScorerWeights {
  latency: number;
  latencyTrend: number;
  errors: number;
  errorTrend: number;
  memory: number;
  memoryTrend: number;
  staleness: number;
  breaker: number;
  cpu: number;
  mainThread: number;
}

export const DEFAULT_TREND_WEIGHTS: TrendScorerWeights = {
  latency: 0.3,
  latencyTrend: 0.7,
  errors: 0.75,
  errorTrend: 0.4,
  memory: 0.3,
  memoryTrend: 0.45,
  staleness: 0.5,
  breaker: 0.5,
  cpu: 0.5,
  mainThread: 0.15,
};

/** Projection horizon: how far ahead the trend factors extrapolate. */
const HORIZON_S = 30;

/**
 * Reads trends, not only the present: EWMA and least-squares slope of latency and error rate projected
 * `HORIZON_S` ahead, memory growth projected to its limit, repeated socket staleness, open breakers, CPU pressure
 * and main-thread load. A flat slow network scores low (no rise); a rise towards failure scores early.
 */
export function createTrendScorer(weights: Partial<TrendScorerWeights> = {}): RiskScorer {
  const w = { ...DEFAULT_TREND_WEIGHTS, ...weights };
  return {
    name: 'trend',
    score(m) {
      const factors: RiskFactor[] = [];
      const add = (name: string, weight: number, detail: string) => {
        if (weight >= 0.01) factors.push({ name, weight: round(weight), detail });
      };
      const latencyNow = Math.min(m.latencyNowMs, Math.max(m.latencyEwmaMs, m.latencyNowMs * 0.8));
      add('latency', w.latency * ramp(latencyNow, 2500, 7000), `latency ${Math.round(m.latencyNowMs)} ms now, ${Math.round(m.latencyEwmaMs)} ms EWMA, p95 ${Math.round(m.p95LatencyMs)} ms`);
      const rising = m.latencySlopeMsPerS > 0 ? m.latencySlopeMsPerS : 0;
      const projected = latencyNow + rising * HORIZON_S;
      add('latencyTrend', w.latencyTrend * ramp(rising, 15, 60) * ramp(projected, 2500, 6000), `latency rising ${Math.round(rising)} ms/s → ${Math.round(projected)} ms in ${HORIZON_S} s`);
      // The short window's rate, smoothed like the buckets (a few requests must not read as a storm).
      const windowRate = (m.errorRate * m.requests + 0.04) / (m.requests + 4);
      const errorNow = Math.max(m.errorEwma, windowRate);
      add('errorRate', w.errors * ramp(errorNow, 0.03, 0.2), `errors ${pct(m.errorEwma)} (EWMA), ${pct(m.errorRate)} of ${m.requests} in window`);
      const errorRise = m.errorSlopePerS > 0 ? m.errorSlopePerS : 0;
      const errorProjected = errorNow + errorRise * HORIZON_S;
      add('errorTrend', w.errorTrend * ramp(errorProjected, 0.08, 0.3) * ramp(errorRise * HORIZON_S, 0.01, 0.05), `error rate rising → ${pct(Math.min(1, errorProjected))} in ${HORIZON_S} s`);
      memoryFactors(m, w, add);
      add('staleness', w.staleness * ramp(m.socketStales + m.socketReconnects / 2, 1, 3), `${m.socketStales} stale, ${m.socketReconnects} reconnects in 2 min`);
      if (m.openBreakers.length > 0) add('breaker', w.breaker, `breaker open: ${m.openBreakers.join(', ')}`);
      if (m.pressure === 'serious' || m.pressure === 'critical') add('cpuPressure', w.cpu * (m.pressure === 'critical' ? 1 : 0.4), `CPU ${m.pressure}`);
      const mainThread = Math.max(ramp(m.longTaskMsPerS ?? 0, 100, 400), ramp(m.eventLoopLagMs ?? 0, 200, 1000));
      add('mainThread', w.mainThread * mainThread, `long frames ${Math.round(m.longTaskMsPerS ?? 0)} ms/s, lag ${Math.round(m.eventLoopLagMs ?? 0)} ms`);
      return { score: round(factors.reduce((sum, f) => sum + f.weight, 0)), factors };
    },
  };
}

function memoryFactors(m: MetricsSnapshot, w: TrendScorerWeights, add: (name: string, weight: number, detail: string) => void): void {
  if (m.memoryRatio === undefined) return;
  add('memory', w.memory * ramp(m.memoryRatio, 0.8, 0.97), `heap ${pct(m.memoryRatio)} of limit`);
  if (m.memorySlopePerS <= 0 || m.memoryRatio < 0.6) return;
  const secondsToLimit = (0.97 - m.memoryRatio) / m.memorySlopePerS;
  add('memoryTrend', w.memoryTrend * (1 - ramp(secondsToLimit, 30, 180)), `heap rising, limit in ≈ ${Math.max(0, Math.round(secondsToLimit))} s`);
}
