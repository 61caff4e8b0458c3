/** Scores replayed traces against their ground truth: precision, recall, false alarms, lead time. */
import type { ReplayResult } from './predictor.replay';

export interface EvaluationOptions {
  /** A warning later than this before the failure is useless (counts as missed). Default 5 s. */
  minLeadMs?: number;
  /** A warning earlier than this before the failure is a false alarm. Default 5 min. */
  horizonMs?: number;
}

export interface Evaluation {
  readonly failing: number;
  readonly benign: number;
  readonly truePositives: number;
  readonly falseAlarms: number;
  readonly precision: number;
  readonly recall: number;
  /** Benign traces with at least one alarm, over benign traces. */
  readonly falseAlarmRate: number;
  readonly leadMedianMs: number | undefined;
  readonly leadP10Ms: number | undefined;
}

export function evaluate(results: readonly ReplayResult[], options: EvaluationOptions = {}): Evaluation {
  const minLead = options.minLeadMs ?? 5000;
  const horizon = options.horizonMs ?? 300_000;
  let failing = 0;
  let benign = 0;
  let tp = 0;
  let fp = 0;
  let benignAlarmed = 0;
  const leads: number[] = [];
  for (const { trace, alarms } of results) {
    if (trace.failureAt === undefined) {
      benign++;
      fp += alarms.length;
      if (alarms.length > 0) benignAlarmed++;
      continue;
    }
    failing++;
    const failureAt = trace.failureAt;
    const useful = alarms.filter((at) => failureAt - at >= minLead && failureAt - at <= horizon);
    fp += alarms.filter((at) => failureAt - at > horizon).length;
    if (useful.length > 0) {
      tp++;
      leads.push(failureAt - Math.min(...useful));
    }
  }
  leads.sort((a, b) => a - b);
  const quantile = (q: number) => (leads.length === 0 ? undefined : leads[Math.min(leads.length - 1, Math.floor(q * leads.length))]);
  return {
    failing,
    benign,
    truePositives: tp,
    falseAlarms: fp,
    precision: tp + fp === 0 ? 0 : tp / (tp + fp),
    recall: failing === 0 ? 0 : tp / failing,
    falseAlarmRate: benign === 0 ? 0 : benignAlarmed / benign,
    leadMedianMs: quantile(0.5),
    leadP10Ms: quantile(0.1),
  };
}
