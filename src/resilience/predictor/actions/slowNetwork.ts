import { atLeast, type MetricsSnapshot, type RiskLevel } from '../predictorTypes';
import type { NetworkTuning } from './networkTuning';
import type { PreventiveAction } from './preventiveAction';

const SLOW_TYPES: ReadonlySet<string> = new Set(['slow-2g', '2g', '3g']);

/** The network is slow now: Network Information says so (type, rtt), or our own latency EWMA is past 2.5 s. */
export function isSlowNetwork(metrics: MetricsSnapshot): boolean {
  const network = metrics.network;
  if (network?.effectiveType !== undefined && SLOW_TYPES.has(network.effectiveType)) return true;
  if (network?.rttMs !== undefined && network.rttMs >= 500) return true;
  return metrics.latencyEwmaMs > 2500;
}

/** On a slow network at `minLevel` or above: timeouts × 2 and background concurrency 1; undo restores both. */
export function slowNetworkAction(options: { tuning: NetworkTuning; minLevel?: RiskLevel; timeoutFactor?: number }): PreventiveAction {
  const minLevel = options.minLevel ?? 'medium';
  const factor = options.timeoutFactor ?? 2;
  return {
    name: 'slowNetwork',
    wants: (prediction, metrics) => atLeast(prediction.level, minLevel) && isSlowNetwork(metrics),
    apply() {
      options.tuning.set({ timeoutFactor: factor, maxConcurrency: 1 });
      return `timeouts × ${factor}, concurrency 1`;
    },
    undo() {
      options.tuning.reset();
      return 'timeouts and concurrency restored';
    },
  };
}
