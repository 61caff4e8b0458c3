/**
 * Contenders for the orchestrator and fallback decision overhead. Every step resolves at once, so
 * the figures are the machinery's own cost: each table compares the component with the same steps called
 * directly. No Node APIs (bundled as-is, like the api overhead contenders).
 */
import { systemClock, systemRandom, memoryStorage, ResilienceError } from '../src/resilience';
import { createEventBus } from '../src/resilience/core/eventBus';
import { createIdGenerator } from '../src/resilience/core/ids';
import { createIntelligentFallbackSystem } from '../src/resilience/fallback/fallbackSystem';
import type { FallbackContext, FallbackStrategy, StrategyResult } from '../src/resilience/fallback/fallbackTypes';
import { createRecoveryOrchestrator } from '../src/resilience/orchestrator/recoveryOrchestrator';
import type { FallbackRunner, Healer } from '../src/resilience/orchestrator/recoveryTypes';
import { formatTable, measureAll, type Contender, type MeasureOptions } from './harness';

const clock = systemClock();
const error = new ResilienceError('HTTP_5XX', 'down', { backend: 'api', status: 503 });
const served: StrategyResult<string> = { ok: true, value: 'hint' };
const failed: StrategyResult<string> = { ok: false, error };
const flags = { isEnabled: () => true };

function strategies(): FallbackStrategy<string>[] {
  // Three strategies; the first two fail at once, so ranking puts the one that serves first after warm-up.
  return [
    { name: 'cachedAnswer', canHandle: () => true, execute: () => Promise.resolve(failed) },
    { name: 'simplifiedTutor', canHandle: () => true, execute: () => Promise.resolve(failed) },
    { name: 'localHints', canHandle: () => true, execute: () => Promise.resolve(served) },
  ];
}

function fallbackTable(options: MeasureOptions) {
  const events = createEventBus(clock);
  events.subscribe(() => undefined); // one live listener, as in the app
  const system = createIntelligentFallbackSystem({ clock, events, storage: memoryStorage(), enabled: () => true });
  const chain = strategies();
  for (const strategy of chain) system.registerStrategy('ai_tutoring', strategy);
  const hints = chain[2] as FallbackStrategy<string>;
  const primary = () => Promise.resolve(failed);
  const context: FallbackContext = { opType: 'ai_tutoring', error, data: undefined };
  const contenders: Contender[] = [
    { name: 'direct: primary, then the serving strategy', call: async () => (await primary(), hints.canHandle(context) && (await hints.execute(context, undefined))) },
    { name: 'executeWithFallback (rank 3, choose, metrics, persist)', call: () => system.executeWithFallback(primary, 'ai_tutoring') },
    { name: 'executeWithFallback, skipPrimary', call: () => system.executeWithFallback(primary, 'ai_tutoring', { skipPrimary: true, error }) },
  ];
  return { title: 'fallback selection overhead (3 strategies, the best-ranked serves)', baseline: contenders[0]?.name ?? '', contenders, options };
}

function orchestratorTable(options: MeasureOptions) {
  const events = createEventBus(clock);
  events.subscribe(() => undefined);
  const healer: Healer = { handleError: () => Promise.resolve({ healed: false }) };
  const breakers = { snapshot: () => ({}) };
  const hints = strategies()[2] as FallbackStrategy<string>;
  // The fallback step as a no-op runner: the orchestrator's own decisions are what is measured.
  const fallback: FallbackRunner = {
    executeWithFallback: async <T>() => {
      const result = await hints.execute({ opType: 'ai_tutoring', error, data: undefined }, undefined);
      return result.ok ? { ok: true as const, value: result.value as T, source: 'fallback' as const, strategy: hints.name, stale: false, attempts: [] } : { ok: false as const, error, attempts: [] };
    },
  };
  const orchestrator = createRecoveryOrchestrator({ clock, random: systemRandom(), events, ids: createIdGenerator(clock, systemRandom()), flags, healer, breakers, fallback });
  const realFallback = createIntelligentFallbackSystem({ clock, events, storage: memoryStorage() });
  for (const strategy of strategies()) realFallback.registerStrategy('ai_tutoring', strategy);
  const full = createRecoveryOrchestrator({ clock, random: systemRandom(), events, ids: createIdGenerator(clock, systemRandom()), flags, healer, breakers, fallback: realFallback });
  const context = { op: 'tutor.ask', fallback: { opType: 'ai_tutoring' } };
  const contenders: Contender[] = [
    {
      name: 'direct: heal, breaker state, fallback step',
      call: async () => {
        await healer.handleError(error, { op: 'tutor.ask', backend: 'api' });
        breakers.snapshot();
        return fallback.executeWithFallback(() => Promise.resolve(failed), 'ai_tutoring');
      },
    },
    { name: 'orchestrateRecovery (same no-op steps)', call: () => orchestrator.orchestrateRecovery(error, context) },
    { name: 'orchestrateRecovery + real fallback system', call: () => full.orchestrateRecovery(error, context) },
  ];
  return { title: 'orchestrator decision overhead (recovered by fallback)', baseline: contenders[0]?.name ?? '', contenders, options };
}

/** Runs both tables; returns them formatted. */
export async function runOrchestratorBench(options: MeasureOptions): Promise<string[]> {
  const tables: string[] = [];
  for (const group of [orchestratorTable(options), fallbackTable(options)]) {
    const measurements = await measureAll(group.contenders, group.options);
    tables.push(`${group.title}\n\n${formatTable(measurements, group.baseline)}`);
  }
  return tables;
}
