/**
 * `npm run bench -- predictor`: the error predictor on replayed traces (bench/predictor.traces.ts), the seed's
 * baseline scorer and the trend scorer side by side, on the held-out half (odd seeds; the trend scorer was tuned
 * on the even seeds only). Also the cost of one evaluation (collector snapshot + scoring).
 */
import { createBaselineScorer } from '../src/resilience/predictor/baselineScorer';
import type { RiskLevel, RiskScorer } from '../src/resilience/predictor/predictorTypes';
import { createTrendScorer } from '../src/resilience/predictor/trendScorer';
import { evaluate, type Evaluation } from './predictor.evaluation';
import { replayTrace, type ReplayResult } from './predictor.replay';
import { generateTraces, type Trace } from './predictor.traces';

const PER_KIND = 24;

export async function runPredictorBench(): Promise<string> {
  const traces = generateTraces(PER_KIND, 1);
  const training = traces.filter((trace) => trace.seed % 2 === 0);
  const heldOut = traces.filter((trace) => trace.seed % 2 === 1);
  const scorers: RiskScorer[] = [createBaselineScorer(), createTrendScorer()];
  const lines: string[] = [];
  lines.push(`${traces.length} traces (${PER_KIND} per kind, 8 kinds: 4 failing, 4 benign); evaluation every 30 s and on bursts; alarm = level high or above; useful lead ≥ 5 s, horizon 5 min.`);
  for (const [label, set] of [['held-out half (odd seeds)', heldOut], ['training half (even seeds, tuned on)', training]] as const) {
    lines.push('', `### ${label}: ${set.length} traces`, '');
    lines.push('| scorer | precision | recall | false-alarm rate | lead median | lead p10 | TP | FP |', '|---|---|---|---|---|---|---|---|');
    for (const scorer of scorers) lines.push(row(scorer.name, evaluate(replayAll(set, scorer))));
    lines.push(row('baseline, alarm at medium', evaluate(replayAll(set, scorers[0]!, 'medium'))));
  }
  lines.push('', '### recall by kind (held-out)', '');
  for (const scorer of scorers) {
    const results = replayAll(heldOut, scorer);
    const kinds = [...new Set(heldOut.map((trace) => trace.kind))];
    lines.push(`- ${scorer.name}: ${kinds.map((kind) => `${kind} ${describeKind(results.filter((r) => r.trace.kind === kind))}`).join(', ')}`);
  }
  const ticks = replayAll(heldOut, createTrendScorer()).flatMap((result) => result.tickMs);
  ticks.sort((a, b) => a - b);
  const at = (q: number) => (ticks[Math.min(ticks.length - 1, Math.floor(q * ticks.length))] ?? 0).toFixed(3);
  lines.push('', `Tick cost (trend scorer, ${ticks.length} evaluations): median ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms (goal ≤ 0.5 ms).`);
  return lines.join('\n');
}

function replayAll(traces: readonly Trace[], scorer: RiskScorer, alarmLevel: RiskLevel = 'high'): ReplayResult[] {
  return traces.map((trace) => replayTrace(trace, scorer, { alarmLevel }));
}

function describeKind(results: readonly ReplayResult[]): string {
  const failing = results[0]?.trace.failureAt !== undefined;
  const e = evaluate(results);
  return failing ? `recall ${pct(e.recall)}` : `alarmed ${pct(e.falseAlarmRate)}`;
}

function row(name: string, e: Evaluation): string {
  const seconds = (ms: number | undefined) => (ms === undefined ? '–' : `${(ms / 1000).toFixed(1)} s`);
  return `| ${name} | ${e.truePositives + e.falseAlarms === 0 ? '– (no alarm)' : pct(e.precision)} | ${pct(e.recall)} | ${pct(e.falseAlarmRate)} | ${seconds(e.leadMedianMs)} | ${seconds(e.leadP10Ms)} | ${e.truePositives}/${e.failing} | ${e.falseAlarms} |`;
}

function pct(ratio: number): string {
  return `${Math.round(ratio * 100)} %`;
}
