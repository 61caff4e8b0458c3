import { replayTrace } from '../../../../bench/predictor.replay';
import { evaluate } from '../../../../bench/predictor.evaluation';
import { generateTrace, generateTraces } from '../../../../bench/predictor.traces';
import { createBaselineScorer } from '../../../../src/resilience/predictor/baselineScorer';
import { createTrendScorer } from '../../../../src/resilience/predictor/trendScorer';

describe('the predictor on replayed traces (bench/predictor.traces.ts)', () => {
  it('traces are deterministic per seed and end at their failure', () => {
    expect(generateTrace('latencyCreep', 3)).toEqual(generateTrace('latencyCreep', 3));
    const creep = generateTrace('latencyCreep', 3);
    expect(creep.failureAt).toBe(creep.durationMs);
    expect(creep.steps.every((step) => step.at <= creep.durationMs)).toBe(true);
    expect(generateTrace('slowNetwork', 3).failureAt).toBeUndefined();
  });

  it.each([1, 3, 5])('warns at least 5 s before a latency creep turns into an outage (seed %s); the baseline does not', (seed) => {
    const trace = generateTrace('latencyCreep', seed);
    const ours = replayTrace(trace, createTrendScorer());
    expect(trace.failureAt! - ours.alarms[0]!).toBeGreaterThanOrEqual(5000);
    expect(replayTrace(trace, createBaselineScorer()).alarms).toEqual([]);
  });

  it.each([1, 3, 5])('warns before memory growth crashes the tab (seed %s)', (seed) => {
    const trace = generateTrace('memoryCrash', seed);
    const ours = replayTrace(trace, createTrendScorer());
    expect(trace.failureAt! - ours.alarms[0]!).toBeGreaterThanOrEqual(5000);
  });

  it('stays quiet on a slow network that never fails and on a growing-then-collected heap', () => {
    for (const seed of [1, 3, 5]) {
      expect(replayTrace(generateTrace('memorySawtooth', seed), createTrendScorer()).alarms).toEqual([]);
      expect(replayTrace(generateTrace('busyDevice', seed), createTrendScorer()).alarms).toEqual([]);
    }
  });

  it('beats the baseline on recall with precision of at least 80 % over a small held-out set', () => {
    const heldOut = generateTraces(6, 101).filter((trace) => trace.seed % 2 === 1);
    const ours = evaluate(heldOut.map((trace) => replayTrace(trace, createTrendScorer())));
    const baseline = evaluate(heldOut.map((trace) => replayTrace(trace, createBaselineScorer())));
    expect(ours.recall).toBeGreaterThan(baseline.recall);
    expect(ours.precision).toBeGreaterThanOrEqual(0.8);
  });
});
