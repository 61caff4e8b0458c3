import type { ResilienceError } from '../core/errors';

/** What the caller knows about the failed operation (op name, backend…); strategies may read it. */
export interface HealingContext {
  readonly op?: string;
  readonly backend?: string;
  readonly [key: string]: unknown;
}

/**
 * One way of repairing the conditions behind an error ("when" separate from "what"): `canHeal` decides
 * cheaply whether it applies now, `heal` acts and resolves true when the caller may try the operation again.
 * Both may throw or reject; the healing system counts that as a failure and reports it, never the caller.
 */
export interface HealingStrategy {
  readonly name: string;
  canHeal(error: ResilienceError, context: HealingContext): boolean;
  heal(error: ResilienceError, context: HealingContext): Promise<boolean>;
}

/** What `SelfHealingSystem.handleError` resolved with. */
export interface HealOutcome {
  readonly healed: boolean;
  /** The strategy that healed (or the last one tried). */
  readonly strategy?: string;
  /** Healing gave up on this error type for now: someone (orchestrator, student, developer) must step in. */
  readonly escalated?: boolean;
  readonly reason?: string;
}
