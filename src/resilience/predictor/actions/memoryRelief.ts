import { ResilienceError } from '../../core/errors';
import type { Healer } from '../../orchestrator/recoveryTypes';
import { atLeast, type RiskLevel } from '../predictorTypes';
import type { PreventiveAction } from './preventiveAction';

const MEMORY_FACTORS: ReadonlySet<string> = new Set(['memory', 'memoryTrend']);

/** At `minLevel` or above with memory among the reasons: feeds MEMORY_PRESSURE to self-healing (evictors run). */
export function memoryReliefAction(options: { healer: Healer; minLevel?: RiskLevel }): PreventiveAction {
  const minLevel = options.minLevel ?? 'high';
  return {
    name: 'memoryCleanup',
    wants: (prediction) => atLeast(prediction.level, minLevel) && prediction.factors.some((f) => MEMORY_FACTORS.has(f.name)),
    async apply(prediction) {
      const error = new ResilienceError('MEMORY_PRESSURE', `Predicted memory pressure (risk ${prediction.score})`);
      const outcome = await options.healer.handleError(error, { op: 'predictor' });
      return outcome.healed ? `memory cleaned up (${outcome.strategy ?? 'healing'})` : 'nothing to clean up';
    },
    undo: () => 'nothing to undo (freed caches refill on use)',
  };
}
