import type { EventBus } from '../core/eventBus';
import { fnv1a32 } from '../core/fnv1a';
import { mulberry32 } from './mulberry32';
import type { ChaosKey, ChaosRule, ChaosSettings } from './chaosScenarios';

/** The rule of one key, narrowed (e.g. `RuleOf<'clock'>` carries `jumpMs`). */
export type RuleOf<K extends ChaosKey> = Extract<ChaosRule, { key: K }>;

export interface ChaosEngine {
  readonly settings: ChaosSettings;
  /** The rule injected for this call, or undefined. Draws one number per rule of the key, in rule order. */
  decide<K extends ChaosKey>(key: K, target: string): RuleOf<K> | undefined;
  /** Whether the scenario has any rule for the key (no rule → no seam is placed for it). */
  has(key: ChaosKey): boolean;
}

/**
 * Seeded injection decisions. Each key draws from its own stream (the seed mixed with the key's name), so the
 * n-th decision for a key always draws the same numbers for the same seed, however calls of other keys
 * interleave: a scenario replays the same faults per key. Every injection is a `chaos.injected` event whose
 * seq counts that key's injections (1, 2, …).
 */
export function createChaosEngine(settings: ChaosSettings, events: EventBus): ChaosEngine {
  const streams = new Map<ChaosKey, { random: () => number; seq: number }>();
  const stream = (key: ChaosKey) => {
    let found = streams.get(key);
    if (!found) streams.set(key, (found = { random: mulberry32((settings.seed ^ fnv1a32(key)) >>> 0), seq: 0 }));
    return found;
  };
  return {
    settings,
    has: (key) => settings.rules.some((rule) => rule.key === key),
    decide<K extends ChaosKey>(key: K, target: string): RuleOf<K> | undefined {
      const own = stream(key);
      let chosen: RuleOf<K> | undefined;
      for (const rule of settings.rules) {
        if (rule.key !== key) continue;
        const draw = own.random(); // drawn for every rule so later decisions do not depend on earlier outcomes
        if (chosen === undefined && draw < rule.rate) chosen = rule as RuleOf<K>;
      }
      if (chosen) {
        own.seq += 1;
        const rule: ChaosRule = chosen;
        events.emit('chaos.injected', {
          key,
          kind: rule.kind,
          target,
          seq: own.seq,
          scenario: settings.scenario,
          seed: settings.seed,
          ...(rule.kind === 'outcome' ? { status: rule.status } : {}),
          ...(rule.kind === 'latency' ? { latencyMs: rule.latencyMs } : {}),
          ...(rule.kind === 'jump' ? { jumpMs: rule.jumpMs } : {}),
        });
      }
      return chosen;
    },
  };
}
