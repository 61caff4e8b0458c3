import type { MetricsSnapshot } from '../../../../src/resilience/predictor/predictorTypes';
import { createBaselineScorer } from '../../../../src/resilience/predictor/baselineScorer';
import { createHysteresis, levelForScore } from '../../../../src/resilience/predictor/riskLevels';
import { createTrendScorer } from '../../../../src/resilience/predictor/trendScorer';
import { calmMetrics } from './fakes';

const names = (factors: readonly { name: string }[]) => factors.map((f) => f.name);

describe('baseline scorer (the seed formula)', () => {
  const baseline = createBaselineScorer({ connectionLimit: 6 });
  it.each<[string, Partial<MetricsSnapshot>, number, string[]]>([
    ['calm', {}, 0, []],
    ['memory 0.86 of the limit', { memoryRatio: 0.86 }, 0.3, ['memory']],
    ['memory exactly 0.85 is not above', { memoryRatio: 0.85 }, 0, []],
    ['p95 over 5 s', { p95LatencyMs: 5001 }, 0.25, ['responseTime']],
    ['error rate over 5 %', { errorRate: 0.06 }, 0.2, ['errorRate']],
    ['connections over the limit', { connections: 7 }, 0.15, ['connections']],
    ['CPU pressure serious', { pressure: 'serious' }, 0.1, ['cpuPressure']],
    ['CPU pressure fair is not pressure', { pressure: 'fair' }, 0, []],
    ['everything at once', { memoryRatio: 0.9, p95LatencyMs: 6000, errorRate: 0.5, connections: 10, pressure: 'critical' }, 1, ['memory', 'responseTime', 'errorRate', 'connections', 'cpuPressure']],
    ['absent memory API', { memoryRatio: undefined }, 0, []],
  ])('%s', (_name, metrics, score, factors) => {
    const result = baseline.score({ ...calmMetrics, ...metrics });
    expect(result.score).toBeCloseTo(score);
    expect(names(result.factors)).toEqual(factors);
  });
});

describe('trend scorer', () => {
  const trend = createTrendScorer();
  it.each<[string, Partial<MetricsSnapshot>, string, string[]]>([
    // name, metrics, level, factor names that must be present
    ['calm', {}, 'low', []],
    ['a flat slow network (no rise)', { latencyNowMs: 2400, latencyEwmaMs: 2400, p95LatencyMs: 3800, network: { effectiveType: '3g', rttMs: 700 } }, 'low', []],
    ['latency rising 60 ms/s from 2 s: not yet', { latencyNowMs: 2000, latencyEwmaMs: 1800, latencySlopeMsPerS: 60 }, 'low', ['latencyTrend']],
    ['latency rising 100 ms/s from 3.3 s', { latencyNowMs: 3500, latencyEwmaMs: 3300, p95LatencyMs: 4500, latencySlopeMsPerS: 100 }, 'high', ['latency', 'latencyTrend']],
    ['errors at 20 % and rising', { errorEwma: 0.2, errorRate: 0.2, errorSlopePerS: 0.003 }, 'critical', ['errorRate', 'errorTrend']],
    ['memory 0.8 rising to its limit in 40 s', { memoryRatio: 0.8, memorySlopePerS: 0.17 / 40 }, 'medium', ['memoryTrend']],
    ['memory 0.9 rising to its limit in 20 s', { memoryRatio: 0.9, memorySlopePerS: 0.07 / 20 }, 'high', ['memory', 'memoryTrend']],
    ['memory high but flat', { memoryRatio: 0.82, memorySlopePerS: 0 }, 'low', ['memory']],
    ['repeated socket staleness with some errors', { socketStales: 3, errorEwma: 0.08 }, 'high', ['staleness', 'errorRate']],
    ['a breaker already open', { openBreakers: ['api'] }, 'medium', ['breaker']],
    ['CPU pressure critical', { pressure: 'critical' }, 'medium', ['cpuPressure']],
  ])('%s', (_name, metrics, level, factors) => {
    const result = trend.score({ ...calmMetrics, ...metrics });
    expect(levelForScore(result.score)).toBe(level);
    expect(names(result.factors)).toEqual(expect.arrayContaining(factors));
    for (const factor of result.factors) expect(factor.detail.length).toBeGreaterThan(0);
  });

  it('explains each score: the factors add up to it', () => {
    const result = trend.score({ ...calmMetrics, latencyNowMs: 3000, latencyEwmaMs: 2800, latencySlopeMsPerS: 40, errorEwma: 0.1 });
    expect(result.factors.reduce((sum, f) => sum + f.weight, 0)).toBeCloseTo(result.score, 2);
  });

  it('warns earlier than the baseline on the same rising latency', () => {
    const baseline = createBaselineScorer();
    const creeping = { ...calmMetrics, latencyNowMs: 3500, latencyEwmaMs: 3300, p95LatencyMs: 4500, latencySlopeMsPerS: 100 };
    expect(levelForScore(trend.score(creeping).score)).toBe('high');
    expect(levelForScore(baseline.score(creeping).score)).toBe('low');
  });
});

describe('levels and hysteresis', () => {
  it.each([
    [0.4, 'low'],
    [0.41, 'medium'],
    [0.61, 'high'],
    [0.81, 'critical'],
  ] as const)('score %s is %s (thresholds are exclusive)', (score, level) => {
    expect(levelForScore(score)).toBe(level);
  });

  it('rises at once, holds while the score hovers at the threshold, falls after two low evaluations', () => {
    const h = createHysteresis({ margin: 0.1, holdEvaluations: 2 });
    expect(h.next(0.65)).toBe('high');
    expect(h.next(0.58)).toBe('high'); // below 0.6 but within the margin: no flap
    expect(h.next(0.62)).toBe('high');
    expect(h.next(0.45)).toBe('high'); // first evaluation below 0.5
    expect(h.next(0.45)).toBe('medium'); // second: one step down
    expect(h.next(0.1)).toBe('medium');
    expect(h.next(0.1)).toBe('low');
  });

  it('a low evaluation between two high ones restarts the hold', () => {
    const h = createHysteresis({ holdEvaluations: 2 });
    h.next(0.9);
    expect(h.next(0.2)).toBe('critical');
    expect(h.next(0.75)).toBe('critical'); // within the margin of 0.8: counts as holding
    expect(h.next(0.2)).toBe('critical');
    expect(h.next(0.2)).toBe('high');
  });
});
