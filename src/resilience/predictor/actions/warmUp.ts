import { atLeast, type RiskLevel } from '../predictorTypes';
import type { PreventiveAction } from './preventiveAction';

/** What the app warms ahead of trouble (e.g. a fallback path): `warm` readies it (its connection, chunk, data), `release` lets it go. */
export interface WarmUpTarget {
  warm(): void | Promise<void>;
  release?(): void;
}

/** Warms the app's target while risk is high, so a fallback answers at once if the primary path fails. */
export function warmUpAction(options: { warmer: WarmUpTarget; minLevel?: RiskLevel }): PreventiveAction {
  const minLevel = options.minLevel ?? 'high';
  return {
    name: 'warmUp',
    wants: (prediction) => atLeast(prediction.level, minLevel),
    async apply() {
      await options.warmer.warm();
      return 'fallback path warmed';
    },
    undo() {
      options.warmer.release?.();
      return 'fallback path released';
    },
  };
}
