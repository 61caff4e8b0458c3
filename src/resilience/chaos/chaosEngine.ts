import type { EventBus } from '../core/eventBus';
import { mulberry32 } from './mulberry32';
import type { ChaosKey, ChaosRule, ChaosSettings } from './chaosScenarios';

export interface ChaosEngine {
  readonly settings: ChaosSettings;
  /** The rule injected for this call, or undefined. Draws one number per rule of the key, in rule order. */
  decide(key: ChaosKey, target: string): ChaosRule | undefined;
}

/**
 * Seeded injection decisions: the n-th call for a key always draws the same numbers for the same seed, so a
 * scenario replays the same faults. Every injection is a `chaos.injected` event (seq counts injections).
 */
export function createChaosEngine(settings: ChaosSettings, events: EventBus): ChaosEngine {
  const random = mulberry32(settings.seed);
  let seq = 0;
  return {
    settings,
    decide(key, target) {
      let chosen: ChaosRule | undefined;
      for (const rule of settings.rules) {
        if (rule.key !== key) continue;
        const draw = random(); // drawn for every rule so later decisions do not depend on earlier outcomes
        if (chosen === undefined && draw < rule.rate) chosen = rule;
      }
      if (chosen) {
        seq += 1;
        events.emit('chaos.injected', {
          key,
          kind: chosen.kind,
          target,
          seq,
          scenario: settings.scenario,
          seed: settings.seed,
          ...(chosen.kind === 'outcome' ? { status: chosen.status } : {}),
          ...(chosen.kind === 'latency' ? { latencyMs: chosen.latencyMs } : {}),
        });
      }
      return chosen;
    },
  };
}
