import { levelRank, RISK_LEVELS, type RiskLevel } from './predictorTypes';

/** Score above which each level starts (the seed's: > 0.4 medium, > 0.6 high, > 0.8 critical). */
export const LEVEL_THRESHOLDS: Readonly<Record<Exclude<RiskLevel, 'low'>, number>> = { medium: 0.4, high: 0.6, critical: 0.8 };

export function levelForScore(score: number): RiskLevel {
  if (score > LEVEL_THRESHOLDS.critical) return 'critical';
  if (score > LEVEL_THRESHOLDS.high) return 'high';
  if (score > LEVEL_THRESHOLDS.medium) return 'medium';
  return 'low';
}

export interface Hysteresis {
  /** The level to report for this score, given the history so far. */
  next(score: number): RiskLevel;
  readonly level: RiskLevel;
  reset(): void;
}

/**
 * Levels rise at once and fall only when the score has stayed below the current level's threshold minus
 * `margin` for `holdEvaluations` evaluations in a row, so a score hovering at a threshold does not flap.
 */
export function createHysteresis(options: { margin?: number; holdEvaluations?: number } = {}): Hysteresis {
  const margin = options.margin ?? 0.1;
  const hold = options.holdEvaluations ?? 2;
  let level: RiskLevel = 'low';
  let below = 0;
  return {
    get level() {
      return level;
    },
    next(score) {
      const raw = levelForScore(score);
      if (levelRank(raw) >= levelRank(level)) {
        level = raw;
        below = 0;
        return level;
      }
      const floor = LEVEL_THRESHOLDS[level as Exclude<RiskLevel, 'low'>];
      if (score > floor - margin) {
        below = 0;
        return level;
      }
      below++;
      if (below >= hold) {
        // Step down to what the score supports, at most to the level just under the current one per hold.
        level = RISK_LEVELS[Math.max(levelRank(raw), levelRank(level) - 1)] as RiskLevel;
        below = 0;
      }
      return level;
    },
    reset() {
      level = 'low';
      below = 0;
    },
  };
}
