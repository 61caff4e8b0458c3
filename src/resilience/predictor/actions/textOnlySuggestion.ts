import type { EventBus } from '../../core/eventBus';
import { atLeast, type MetricsSnapshot, type Prediction } from '../predictorTypes';
import type { PreventiveAction } from './preventiveAction';

/**
 * Device resources at their critical level: CPU pressure "critical", heap ≥ 95 % of its limit, or a critical
 * risk whose largest reason is memory. Server trouble alone never suggests text-only (it would not help).
 */
export function deviceCritical(prediction: Prediction, metrics: MetricsSnapshot): string | undefined {
  if (metrics.pressure === 'critical') return 'CPU pressure critical';
  if (metrics.memoryRatio !== undefined && metrics.memoryRatio >= 0.95) return 'memory nearly exhausted';
  const top = [...prediction.factors].sort((a, b) => b.weight - a.weight)[0];
  if (atLeast(prediction.level, 'critical') && top && (top.name === 'memory' || top.name === 'memoryTrend')) return 'memory critical';
  return undefined;
}

/** Suggests text-only mode (`prediction.suggestion`, shown as a non-modal offer); undo withdraws the offer. */
export function textOnlySuggestionAction(options: { events: EventBus }): PreventiveAction {
  return {
    name: 'suggestTextOnly',
    wants: (prediction, metrics) => deviceCritical(prediction, metrics) !== undefined,
    apply(prediction, metrics) {
      const reason = deviceCritical(prediction, metrics) ?? 'device critical';
      options.events.emit('prediction.suggestion', { suggestion: 'text-only', active: true, reason });
      return `suggested text-only: ${reason}`;
    },
    undo() {
      options.events.emit('prediction.suggestion', { suggestion: 'text-only', active: false, reason: 'device recovered' });
      return 'text-only suggestion withdrawn';
    },
  };
}
