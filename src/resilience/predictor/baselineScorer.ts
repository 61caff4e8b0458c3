import type { RiskFactor, RiskScorer } from './predictorTypes';

export interface BaselineScorerOptions {
  /** The seed's "connections > limit". Default 6 (a browser's HTTP/1.1 connections per host). */
  connectionLimit?: number;
}

/**
 * The seed's weighted formula, kept as the documented baseline: memory > 0.85 → 0.30, p95 response time > 5 s →
 * 0.25, error rate > 5 % → 0.20, connections > limit → 0.15, CPU pressure (serious or critical) → 0.10.
 * It reads only the present values, so it warns when a threshold is already crossed.
 */
export function createBaselineScorer(options: BaselineScorerOptions = {}): RiskScorer {
  const limit = options.connectionLimit ?? 6;
  return {
    name: 'baseline',
    score(m) {
      const factors: RiskFactor[] = [];
      if (m.memoryRatio !== undefined && m.memoryRatio > 0.85) factors.push({ name: 'memory', weight: 0.3, detail: `heap ${pct(m.memoryRatio)} of limit` });
      if (m.p95LatencyMs > 5000) factors.push({ name: 'responseTime', weight: 0.25, detail: `p95 ${Math.round(m.p95LatencyMs)} ms` });
      if (m.errorRate > 0.05) factors.push({ name: 'errorRate', weight: 0.2, detail: `${pct(m.errorRate)} failed` });
      if (m.connections > limit) factors.push({ name: 'connections', weight: 0.15, detail: `${m.connections}/s > ${limit}` });
      if (m.pressure === 'serious' || m.pressure === 'critical') factors.push({ name: 'cpuPressure', weight: 0.1, detail: `CPU ${m.pressure}` });
      return { score: round(factors.reduce((sum, f) => sum + f.weight, 0)), factors };
    },
  };
}

export function pct(ratio: number): string {
  return `${Math.round(ratio * 100)} %`;
}

export function round(value: number): number {
  return Math.round(Math.min(1, Math.max(0, value)) * 1000) / 1000;
}
