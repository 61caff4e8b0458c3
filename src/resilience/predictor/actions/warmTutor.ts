import { atLeast, type RiskLevel } from '../predictorTypes';
import type { PreventiveAction } from './preventiveAction';

/** The app's simplified tutor: `warm` readies it (loads its chunk, its data), `release` lets it go. */
export interface TutorWarmer {
  warm(): void | Promise<void>;
  release?(): void;
}

/** Warms the simplified tutor while risk is high, so the fallback answers at once if the live tutor fails. */
export function warmTutorAction(options: { warmer: TutorWarmer; minLevel?: RiskLevel }): PreventiveAction {
  const minLevel = options.minLevel ?? 'high';
  return {
    name: 'warmTutor',
    wants: (prediction) => atLeast(prediction.level, minLevel),
    async apply() {
      await options.warmer.warm();
      return 'simplified tutor warmed';
    },
    undo() {
      options.warmer.release?.();
      return 'simplified tutor released';
    },
  };
}
