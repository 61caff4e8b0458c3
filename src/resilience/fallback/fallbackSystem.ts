import { classify } from '../core/classify';
import type { Clock } from '../core/clock';
import { ResilienceError } from '../core/errors';
import type { EventBus } from '../core/eventBus';
import { guard, reportInternalError } from '../core/guard';
import type { SyncStorageLike } from '../core/syncStorage';
import type {
  FallbackAttempt,
  FallbackContext,
  FallbackOutcome,
  FallbackRequest,
  FallbackStrategy,
  PrimaryOperation,
  StrategyMetrics,
  StrategyResult,
} from './fallbackTypes';
import { createStrategyMetricsBook } from './strategyMetrics';
import { DEFAULT_COOL_DOWN, DEFAULT_EXPLORATION_WEIGHT, rankStrategies, type CoolDownRule } from './strategyRanking';

/** Ranked fallback strategies per operation type, tried in order when the primary fails. */
export interface IntelligentFallbackSystem {
  /**
   * Adds a strategy for `opType`. Its quality tier is `strategy.tier`, else its registration position: a
   * better tier is always tried first; observed success reorders only strategies of one tier. Returns the
   * function that removes it.
   */
  registerStrategy<T, D = unknown>(opType: string, strategy: FallbackStrategy<T, D>): () => void;
  /**
   * Runs `operation`; when it fails (or `request.skipPrimary`), tries the strategies of `opType` in ranked
   * order (tier, then observed success within the tier; one failing right now goes last) until one serves. Never rejects. Flag `fallback` off: the primary only, nothing recorded or emitted.
   */
  executeWithFallback<T, D = unknown>(operation: PrimaryOperation<T>, opType: string, request?: FallbackRequest<D>): Promise<FallbackOutcome<T>>;
  /** Strategy names of `opType` in the order the next call would try them. */
  ranking(opType: string): readonly string[];
  metrics(opType: string): Readonly<Record<string, StrategyMetrics>>;
  /** Resolves once the fallback code is there (the runtime loads it after the first load); never rejects. */
  ready(): Promise<void>;
}

export interface FallbackSystemOptions {
  clock: Clock;
  events: EventBus;
  /** Where per-strategy metrics survive a reload (the runtime passes its guarded localStorage). */
  storage: SyncStorageLike;
  /** The student the tallies belong to (part of their storage key); none → one shared record per op type. */
  userId?: string;
  /** Read on each call: false (flag `fallback` off) → primary only. */
  enabled?: () => boolean;
  storageKeyPrefix?: string;
  /** Weight of the UCB exploration bonus within a tier (see strategyRanking.ts). */
  explorationWeight?: number;
  /** Observations lose half their weight every this many ms of the runtime clock. Default 15 min. */
  halfLifeMs?: number;
  /** Consecutive failures (each within 60 s of the last) after which a strategy is skipped for a cool-down. Default 3 in a row → 10 s. */
  coolDown?: CoolDownRule;
}

export const DEFAULT_HALF_LIFE_MS = 15 * 60_000;
/** A failure more than this long after the previous one starts a new streak. */
export const STREAK_WINDOW_MS = 60_000;

type AnyStrategy = FallbackStrategy<unknown, unknown>;

/** The IntelligentFallbackSystem: per-op-type chains in quality tiers, reordered inside a tier by decayed observed success. */
export function createIntelligentFallbackSystem(options: FallbackSystemOptions): IntelligentFallbackSystem {
  const { clock, events } = options;
  const enabled = options.enabled ?? (() => true);
  const explorationWeight = options.explorationWeight ?? DEFAULT_EXPLORATION_WEIGHT;
  const coolDown = options.coolDown ?? DEFAULT_COOL_DOWN;
  const registered = new Map<string, AnyStrategy[]>();
  const prefix = options.storageKeyPrefix ?? 'resilience.fallback.';
  const book = createStrategyMetricsBook({
    storage: options.storage,
    // Per student: one student's outage or cache misses say nothing about another's on the same device.
    keyPrefix: options.userId === undefined ? prefix : `${prefix}${options.userId}.`,
    halfLifeMs: options.halfLifeMs ?? DEFAULT_HALF_LIFE_MS,
    streakWindowMs: STREAK_WINDOW_MS,
    onCorrupt: (key, reason) => reportInternalError(events, 'fallback', new Error(`Ignoring corrupt fallback metrics "${key}": ${reason}`)),
  });

  const ranked = (opType: string): AnyStrategy[] => {
    const strategies = registered.get(opType) ?? [];
    const now = clock.now();
    return guard(events, 'fallback', () => rankStrategies(strategies, book.tallies(opType, now), now, explorationWeight, coolDown), () => strategies.slice());
  };

  /** Runs one strategy; a throw is that strategy's failure, reported and never the caller's problem. */
  const runStrategy = async (strategy: AnyStrategy, context: FallbackContext, signal: AbortSignal | undefined, attempts: FallbackAttempt[]) => {
    const startedAt = clock.now();
    let result: StrategyResult<unknown>;
    let threw = false;
    try {
      if (!strategy.canHandle(context)) {
        attempts.push({ name: strategy.name, ok: false, durationMs: 0, skipped: 'cannotHandle' });
        return undefined;
      }
      result = await strategy.execute(context, signal);
    } catch (error) {
      reportInternalError(events, `fallback.${strategy.name}`, error);
      threw = true;
      result = { ok: false, error: classify(error) };
    }
    const durationMs = clock.now() - startedAt;
    guard(events, 'fallback', () => book.record(context.opType, strategy.name, result.ok, durationMs, clock.now()), () => undefined);
    attempts.push(
      result.ok
        ? { name: strategy.name, ok: true, durationMs }
        : { name: strategy.name, ok: false, durationMs, code: result.error.code, ...(threw ? { skipped: 'threw' as const } : {}) },
    );
    return result;
  };

  return {
    registerStrategy(opType, strategy) {
      const entry = strategy as AnyStrategy;
      registered.set(opType, [...(registered.get(opType) ?? []), entry]);
      return () => void registered.set(opType, (registered.get(opType) ?? []).filter((s) => s !== entry));
    },

    async executeWithFallback<T, D>(operation: PrimaryOperation<T>, opType: string, request: FallbackRequest<D> = {}): Promise<FallbackOutcome<T>> {
      const { signal } = request;
      const attempts: FallbackAttempt[] = [];
      const on = enabled();
      let error = request.error;
      if (!on || !request.skipPrimary) {
        const startedAt = clock.now();
        const primary = await runPrimary(operation, signal);
        attempts.push(primary.ok ? { name: 'primary', ok: true, durationMs: clock.now() - startedAt } : { name: 'primary', ok: false, durationMs: clock.now() - startedAt, code: primary.error.code });
        if (primary.ok) return { ok: true, value: primary.value, source: 'network', stale: false, attempts };
        if (!on) return { ok: false, error: primary.error, attempts };
        error = primary.error;
      }

      const chain = ranked(opType);
      const context: FallbackContext = { opType, error, data: request.data };
      for (const strategy of chain) {
        if (signal?.aborted) return { ok: false, error: new ResilienceError('ABORTED', 'The fallback chain was aborted by the caller', { cause: signal.reason }), attempts };
        const result = await runStrategy(strategy, context, signal, attempts);
        if (!result?.ok) continue;
        guard(events, 'fallback', () => book.save(opType), () => undefined);
        const stale = result.stale === true;
        events.emit('fallback.used', { op: opType, strategy: strategy.name, stale });
        return { ok: true, value: result.value as T, source: 'fallback', strategy: strategy.name, stale, attempts };
      }
      if (chain.length > 0) {
        guard(events, 'fallback', () => book.save(opType), () => undefined);
        events.emit('fallback.exhausted', { op: opType });
      }
      return { ok: false, error: error ?? new ResilienceError('UNKNOWN', `No fallback for "${opType}" could serve`), attempts };
    },

    ranking: (opType) => ranked(opType).map((strategy) => strategy.name),
    ready: () => Promise.resolve(),
    metrics: (opType) => guard(events, 'fallback', () => book.snapshot(opType, clock.now()), () => ({})),
  };
}

async function runPrimary<T>(operation: PrimaryOperation<T>, signal: AbortSignal | undefined): Promise<StrategyResult<T>> {
  try {
    return await operation(signal);
  } catch (error) {
    return { ok: false, error: classify(error) };
  }
}
