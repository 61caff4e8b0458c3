import type { Clock, RandomSource } from '../core/clock';
import type { EventBus } from '../core/eventBus';
import type { IdGenerator } from '../core/ids';
import type { SyncStorageLike } from '../core/syncStorage';
import type { FeatureFlags } from '../flags/featureFlags';
import { createIntelligentFallbackSystem, type IntelligentFallbackSystem } from '../fallback/fallbackSystem';
import type { BreakerRegistry } from '../policies/breakerRegistry';
import type { RetryPolicy } from '../policies/retryProfiles';
import type { ConnectivityMonitor } from '../transport/connectivity';
import type { RecoveredRunSettings } from './recoveredRun';
import { createRecoveryOrchestrator, type RecoveryOrchestrator } from './recoveryOrchestrator';
import type { Escalator, Healer, Predictor } from './recoveryTypes';

/** Seams and budgets of the recovery orchestrator. */
export interface RecoveryConfig {
  /** Receives failed recoveries as manual-intervention items (e.g. the escalation queue). Default: event only. */
  escalator?: Escalator;
  /** Risk predictor consulted when the `predictor` flag is on. */
  predictor?: Predictor;
  /** Replaces the runtime's SelfHealingSystem in the flow (tests, embedding). */
  healer?: Healer;
  /** Final-retry policy. Default interactive: ≤ 2 retries within 8 s. */
  retryPolicy?: RetryPolicy;
  historySize?: number;
  /** Budgets of `orchestrator.run()`: backend, deadline per user action, reserve for the chain, final retry. */
  run?: RecoveredRunSettings;
  /** UCB exploration weight of the fallback ranking within a quality tier (default 1). */
  fallbackExplorationWeight?: number;
  /** Op types whose fallbacks stand in for the live socket: their degraded mode ends on socket evidence. Default none. */
  socketFallbackOps?: readonly string[];
  /** Op types whose fallbacks stand in for a device capability (never degraded mode). Default none. */
  deviceOnlyFallbackOps?: readonly string[];
}

/** What the fallback system and the orchestrator are built from (`createRecovery`, lazyRecovery.ts). */
export interface RecoveryDeps {
  clock: Clock;
  random: RandomSource;
  events: EventBus;
  ids: IdGenerator;
  flags: FeatureFlags;
  storage: SyncStorageLike;
  breakers: BreakerRegistry;
  connectivity: ConnectivityMonitor;
  healer: Healer | undefined;
  config: RecoveryConfig;
  /** The runtime's student: the fallback tallies are kept per student. */
  userId?: string;
}

/** Builds the fallback system and the orchestrator over the runtime's services. */
export function createRecovery(deps: RecoveryDeps): { fallback: IntelligentFallbackSystem; orchestrator: RecoveryOrchestrator } {
  const { clock, random, events, flags, storage, breakers, connectivity, config } = deps;
  const fallback = createIntelligentFallbackSystem({
    clock,
    events,
    storage,
    enabled: () => flags.isEnabled('fallback'),
    ...(deps.userId === undefined ? {} : { userId: deps.userId }),
    explorationWeight: config.fallbackExplorationWeight,
  });
  const orchestrator = createRecoveryOrchestrator({
    clock,
    random,
    events,
    ids: deps.ids,
    flags,
    healer: config.healer ?? deps.healer,
    breakers,
    fallback,
    predictor: config.predictor,
    escalator: config.escalator,
    // Offline pauses the final retry only while the connectivity subsystem is on (like the API client).
    offline: {
      isOffline: () => flags.isEnabled('connectivity') && connectivity.isOffline(),
      waitForOnline: (maxWaitMs, signal) => connectivity.waitForOnline(maxWaitMs, signal),
    },
    retryPolicy: config.retryPolicy,
    historySize: config.historySize,
    run: config.run,
  });
  return { fallback, orchestrator };
}
