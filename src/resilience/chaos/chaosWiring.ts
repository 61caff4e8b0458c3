import type { Clock } from '../core/clock';
import { ResilienceError } from '../core/errors';
import type { EventBus } from '../core/eventBus';
import { createChaosEngine } from './chaosEngine';
import { jumpingClock, startChaosTicker, type JumpingClock } from './chaosClock';
import { chaosFetch } from './chaosFetch';
import type { ChaosSettings } from './chaosScenarios';
import { chaosStorageFaults } from './chaosStorage';
import { chaosWebSocket } from './chaosSocket';
import type { ChaosSeams, RuntimeChaos } from './chaosSeams';

/** The runtime's `chaos` option for `settings` (what `?chaos=seed:scenario` parses to in developer-tools builds). */
export function runtimeChaos(settings: ChaosSettings): RuntimeChaos {
  return { settings, clock: (base) => chaosClock(settings, base), seams: (events, clock, base) => createChaosSeams(settings, events, clock, base) };
}

/** The runtime's clock: the base clock, or one runtime chaos can jump when the scenario has `clock` rules. */
export function chaosClock(settings: ChaosSettings, base: Clock): Clock {
  return settings.rules.some((rule) => rule.key === 'clock') ? jumpingClock(base) : base;
}

/** Builds the seams for `settings`. `clock` is what {@link chaosClock} gave. */
export function createChaosSeams(settings: ChaosSettings, events: EventBus, clock: Clock, base: Clock): ChaosSeams {
  const engine = createChaosEngine(settings, events);
  return {
    backendFetch: (fetch) => (engine.has('backend') ? chaosFetch(fetch, engine, clock) : fetch),
    storageFaults: engine.has('storage') ? chaosStorageFaults(engine) : undefined,
    wrapWebSocket: engine.has('socket') ? (Impl) => chaosWebSocket(Impl, engine) : undefined,
    startTicker(healer) {
      const ticker = startChaosTicker({
        engine,
        clock: base,
        jump: (ms) => (clock as Partial<JumpingClock>).jump?.(ms),
        // What the heap sampler reports at a crossing: self-healing's memory clean-up runs the evictors.
        pressure: () => void healer.handleError(new ResilienceError('MEMORY_PRESSURE', 'Memory pressure injected by runtime chaos'), { op: 'memory' }).catch(() => undefined),
      });
      return ticker.stop;
    },
  };
}
