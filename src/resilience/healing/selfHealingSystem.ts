import { classify } from '../core/classify';
import type { Clock } from '../core/clock';
import type { ErrorCode, ResilienceError } from '../core/errors';
import type { EventBus } from '../core/eventBus';
import { reportInternalError } from '../core/guard';
import type { HealingContext, HealingStrategy, HealOutcome } from './healingTypes';

/**
 * Repairs known failure causes (reload after a deploy, session refresh, storage reopen, memory cleanup) by error
 * code, with a per-code attempt budget.
 */
export interface SelfHealingSystem {
  /** Adds a strategy for one error code (tried in registration order). Returns the function that removes it. */
  registerStrategy(code: ErrorCode, strategy: HealingStrategy): () => void;
  /**
   * Tries to repair what caused `error`. Never rejects. At most `maxAttempts` healing attempts per error code
   * within `windowMs`; past that, or when strategies exist but none applies now, it escalates
   * (`heal.escalated`). Concurrent calls for the same code share one attempt.
   */
  handleError(error: unknown, context?: HealingContext): Promise<HealOutcome>;
  /** Attempts counted for `code` in the current window. */
  attemptsFor(code: ErrorCode): number;
}

export interface SelfHealingOptions {
  clock: Clock;
  events: EventBus;
  /** Read on each call: false (the `selfHealing` flag off) → `{healed:false}` at once, nothing runs. */
  enabled?: () => boolean;
  maxAttempts?: number;
  windowMs?: number;
}

/** The SelfHealingSystem: strategies per error code, attempts capped per window, then escalation. */
export function createSelfHealingSystem(options: SelfHealingOptions): SelfHealingSystem {
  const { clock, events } = options;
  const enabled = options.enabled ?? (() => true);
  const maxAttempts = options.maxAttempts ?? 3;
  const windowMs = options.windowMs ?? 60_000;
  const strategies = new Map<ErrorCode, HealingStrategy[]>();
  const attempts = new Map<ErrorCode, number[]>();
  const inFlight = new Map<ErrorCode, Promise<HealOutcome>>();

  const recentAttempts = (code: ErrorCode): number[] => {
    const since = clock.now() - windowMs;
    const kept = (attempts.get(code) ?? []).filter((at) => at > since);
    attempts.set(code, kept);
    return kept;
  };
  const escalate = (code: ErrorCode, reason: string): HealOutcome => {
    events.emit('heal.escalated', { code, reason, attempts: recentAttempts(code).length });
    return { healed: false, escalated: true, reason };
  };
  const applies = (strategy: HealingStrategy, error: ResilienceError, context: HealingContext): boolean => {
    try {
      return strategy.canHeal(error, context);
    } catch (thrown) {
      reportInternalError(events, `healing.${strategy.name}`, thrown);
      return false;
    }
  };

  const run = async (error: ResilienceError, context: HealingContext, registered: HealingStrategy[]): Promise<HealOutcome> => {
    const { code } = error;
    const recent = recentAttempts(code);
    if (recent.length >= maxAttempts) return escalate(code, `${maxAttempts} healing attempts within ${windowMs} ms`);
    const candidates = registered.filter((strategy) => applies(strategy, error, context));
    if (candidates.length === 0) return escalate(code, 'no strategy can heal this now');
    recent.push(clock.now());
    let last: string | undefined;
    for (const strategy of candidates) {
      last = strategy.name;
      events.emit('heal.attempted', { strategy: strategy.name, code });
      try {
        if (await strategy.heal(error, context)) {
          events.emit('heal.succeeded', { strategy: strategy.name, code });
          return { healed: true, strategy: strategy.name };
        }
        events.emit('heal.failed', { strategy: strategy.name, code, message: 'the strategy could not heal' });
      } catch (thrown) {
        reportInternalError(events, `healing.${strategy.name}`, thrown);
        events.emit('heal.failed', { strategy: strategy.name, code, message: thrown instanceof Error ? thrown.message : String(thrown) });
      }
    }
    return { healed: false, strategy: last };
  };

  return {
    registerStrategy(code, strategy) {
      strategies.set(code, [...(strategies.get(code) ?? []), strategy]);
      return () => strategies.set(code, (strategies.get(code) ?? []).filter((s) => s !== strategy));
    },
    handleError(thrown, context = {}) {
      if (!enabled()) return Promise.resolve({ healed: false, reason: 'self-healing is off' });
      const error = classify(thrown);
      const registered = strategies.get(error.code) ?? [];
      if (registered.length === 0) return Promise.resolve({ healed: false, reason: 'no strategy for this error' });
      const shared = inFlight.get(error.code);
      if (shared) return shared;
      const outcome = run(error, context, registered).finally(() => inFlight.delete(error.code));
      inFlight.set(error.code, outcome);
      return outcome;
    },
    attemptsFor: (code) => recentAttempts(code).length,
  };
}
