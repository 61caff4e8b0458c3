import { classify } from '../core/classify';
import type { Clock } from '../core/clock';
import type { ResilienceError } from '../core/errors';
import type { FlagName } from '../flags/flagNames';
import { interactiveRetryPolicy, type RetryPolicy } from '../policies/retryProfiles';
import type { RecoveryOrchestrator } from './recoveryOrchestrator';
import type { FallbackRunner } from './recoveryTypes';

/** Budgets of one recovered operation (`orchestrator.run`, `runWithRecovery`). */
export interface RecoveredRunSettings {
  /** Breaker key of the primary path. Default `'api'` (the runtime's HTTP API). */
  readonly backend?: string;
  /** One deadline per user action: first try, healing, fallback chain and final retry all fit in it. Default 8 s. */
  readonly deadlineMs?: number;
  /** The part of the deadline the first try leaves for healing and the chain (with a chain). Default 1.5 s. */
  readonly reserveMs?: number;
  /** The final retry: the primary once more within what is left. Default interactive, at most 1 retry. */
  readonly finalRetry?: RetryPolicy;
}

/** What the primary path is told: the time (runtime clock) by which it must have given up. */
export interface PrimaryBudget {
  readonly deadlineAt: number;
}

/** One operation with recovery behind it: its name, its own identity, its fallback chain and its primary path. */
export interface RecoverableOperation<P, D> {
  /** Operation name for the orchestrator (its events, history and escalations), e.g. "load_item". */
  readonly op: string;
  /**
   * This request's own identity (an item id, a question id): concurrent recoveries share a whole recovery, and so
   * a value, only when it is the same. Without one a recovery shares nothing but the heal.
   */
  readonly requestKey?: string;
  /** The fallback chain to serve from, if the operation has one. */
  readonly fallback?: { readonly opType: string; readonly data: D };
  /** The primary network path; rejects on failure. It must give up by `budget.deadlineAt`. */
  readonly primary: (budget: PrimaryBudget) => Promise<P>;
  /** Go straight to recovery with this reason (the primary is known to be down). Only the plain path skips. */
  readonly skipPrimary?: ResilienceError;
  /**
   * Chain first: the plain path runs (primary, then the chain) and only a failure of both goes to the
   * orchestrator (no fallback there: the chain has just failed). For operations that must not wait for healing
   * before the chain answers.
   */
  readonly chainFirst?: boolean;
}

/** Where the value came from: the primary path (first try, healed re-run or final retry), or a fallback. */
export type Served<P, F> = { readonly from: 'primary'; readonly value: P } | { readonly from: 'fallback'; readonly value: F; readonly strategy: string };

/** What a recovered run needs of a runtime; without `orchestrator`, always the plain fallback path. */
export interface RecoveredRunDeps {
  readonly clock: Pick<Clock, 'now'>;
  readonly flags: { isEnabled(name: FlagName): boolean };
  readonly fallback?: FallbackRunner;
  readonly orchestrator?: Pick<RecoveryOrchestrator, 'orchestrateRecovery'>;
}

const DEFAULT_DEADLINE_MS = 8_000;
const DEFAULT_RESERVE_MS = 1_500;
const ONCE_MORE: RetryPolicy = interactiveRetryPolicy(DEFAULT_DEADLINE_MS, { maxRetries: 1 });

/**
 * Runs one operation with the runtime's recovery behind it and resolves with what served it; rejects with the
 * ResilienceError when nothing could (the orchestrator has then escalated it). The primary runs first; when it
 * fails the orchestrator decides: self-healed → the primary once more (then the plain chain); circuit open → what
 * the chain served meanwhile; recovered by fallback or by the final retry → that value. A fallback that served is
 * never escalated. `chainFirst` runs the plain path first and recovers only when it failed as a whole. With the
 * `orchestrator` flag off (or no orchestrator), or a skipped primary, it is the plain path: the fallback chain with
 * the primary first.
 */
export async function runWithRecovery<P, F, D>(deps: RecoveredRunDeps, operation: RecoverableOperation<P, D>, settings: RecoveredRunSettings = {}): Promise<Served<P, F>> {
  const { orchestrator } = deps;
  // One deadline from the moment the user acted; the first try leaves a reserve for healing and the chain.
  const deadlineAt = deps.clock.now() + (settings.deadlineMs ?? DEFAULT_DEADLINE_MS);
  const first: PrimaryBudget = { deadlineAt: operation.fallback ? deadlineAt - (settings.reserveMs ?? DEFAULT_RESERVE_MS) : deadlineAt };
  const orchestrated = orchestrator !== undefined && deps.flags.isEnabled('orchestrator');
  if (!orchestrated || (operation.skipPrimary && !operation.chainFirst)) return plainPath<P, F, D>(deps, operation, operation.skipPrimary, first);
  let firstError: unknown;
  try {
    return operation.chainFirst ? await plainPath<P, F, D>(deps, operation, operation.skipPrimary, first) : { from: 'primary', value: await operation.primary(first) };
  } catch (error) {
    firstError = error;
  }
  const result = await orchestrator.orchestrateRecovery<P | F, D>(firstError, {
    op: operation.op,
    backend: settings.backend ?? 'api',
    deadlineAt,
    ...(operation.requestKey === undefined ? {} : { requestKey: operation.requestKey }),
    ...(operation.fallback && !operation.chainFirst ? { fallback: operation.fallback } : {}),
    retry: async (_signal, budget) => {
      try {
        return { ok: true, value: await operation.primary({ deadlineAt: budget.deadlineAt ?? deadlineAt }) };
      } catch (error) {
        return { ok: false, error: classify(error) };
      }
    },
    retryPolicy: settings.finalRetry ?? ONCE_MORE,
  });
  switch (result.status) {
    case 'recovered':
      return result.method === 'fallback' ? { from: 'fallback', value: result.value as F, strategy: result.strategy } : { from: 'primary', value: result.value as P };
    case 'circuit_open':
      if (result.fallback) return { from: 'fallback', value: result.fallback.value as F, strategy: result.fallback.strategy };
      throw classify(firstError);
    case 'healed':
      // The cause was repaired (e.g. the connection is back): the primary once more, then the plain chain.
      try {
        return { from: 'primary', value: await operation.primary({ deadlineAt }) };
      } catch (error) {
        if (operation.chainFirst) throw classify(error);
        return plainPath<P, F, D>(deps, operation, classify(error), { deadlineAt });
      }
    case 'failed':
      // The flag went off meanwhile: the orchestrator did nothing, so the plain chain still gets its turn.
      if (!deps.flags.isEnabled('orchestrator')) return plainPath<P, F, D>(deps, operation, result.error, { deadlineAt });
      throw result.error;
  }
}

/** The plain path: the fallback chain with the primary first, or only the chain when `skipped` is given. */
async function plainPath<P, F, D>(deps: RecoveredRunDeps, operation: RecoverableOperation<P, D>, skipped: ResilienceError | undefined, budget: PrimaryBudget): Promise<Served<P, F>> {
  if (!operation.fallback || !deps.fallback) {
    if (skipped) throw skipped;
    return { from: 'primary', value: await operation.primary(budget) };
  }
  const outcome = await deps.fallback.executeWithFallback<P | F, D>(async () => ({ ok: true, value: await operation.primary(budget) }), operation.fallback.opType, {
    data: operation.fallback.data,
    ...(skipped ? { skipPrimary: true, error: skipped } : {}),
  });
  if (!outcome.ok) throw outcome.error;
  return outcome.source === 'fallback' ? { from: 'fallback', value: outcome.value as F, strategy: outcome.strategy ?? 'unknown' } : { from: 'primary', value: outcome.value as P };
}
