import { classify } from '../core/classify';
import type { Clock, RandomSource, TimerHandle } from '../core/clock';
import type { ResilienceError } from '../core/errors';
import type { EventBus } from '../core/eventBus';
import { guard, guardAsync, reportInternalError } from '../core/guard';
import type { IdGenerator } from '../core/ids';
import type { FlagName } from '../flags/flagNames';
import type { OfflineAwareness } from '../policies/retry';
import { interactiveRetryPolicy, type RetryPolicy } from '../policies/retryProfiles';
import { runWithRecovery, type RecoverableOperation, type RecoveredRunSettings, type Served } from './recoveredRun';
import { createRecoveryLedger } from './recoveryLedger';
import type { RecoveryMetrics } from './recoveryMetrics';
import type { WorkflowStepFailure } from './workflowDecision';
import { createWorkflowRecovery, type WorkflowDecisionHandle } from './workflowRecovery';
import { finalRetry, openCircuitWaitMs, serveFromFallback } from './recoverySteps';
import type {
  BreakerView,
  Escalator,
  FallbackRunner,
  Healer,
  PredictionSnapshot,
  Predictor,
  RecoveryContext,
  RecoveryRecord,
  RecoveryResult,
} from './recoveryTypes';

/** Runs one recovery flow for a failure: self-heal, breaker, fallback, final retry, escalation. */
export interface RecoveryOrchestrator {
  /**
   * Recovers from `error` in this order: dedupe → predictor → self-heal → breaker → fallback →
   * final retry → escalate. Never rejects. Flag `orchestrator` off → `{status:'failed', error}` at once with
   * no side effect. Concurrent calls with the same cause key share one self-healing attempt; only calls that
   * also have the same `requestKey` share the whole recovery and its result (the fallback and the final retry
   * run per request). With `deadlineAt` every step fits inside the request's deadline.
   */
  orchestrateRecovery<T = unknown, D = unknown>(error: unknown, context: RecoveryContext<T, D>): Promise<RecoveryResult<T>>;
  /** Finished recoveries, oldest first (bounded). */
  history(): readonly RecoveryRecord[];
  metrics(): RecoveryMetrics;
  /** A workflow step failed: resume, restart, reassign or escalate, by cause; recorded in history and metrics. */
  decideWorkflowStep(failure: WorkflowStepFailure): WorkflowDecisionHandle;
  /**
   * Runs one operation with this recovery behind it (`runWithRecovery` with the runtime's fallback system and the
   * config's `recovery.run` budgets): resolves with what served it, rejects with the ResilienceError when nothing did.
   */
  run<P, F = never, D = unknown>(operation: RecoverableOperation<P, D>): Promise<Served<P, F>>;
  /** Resolves once the recovery code is there (the runtime loads it after the first load); never rejects. */
  ready(): Promise<void>;
}

export interface RecoveryOrchestratorOptions {
  clock: Clock;
  random: RandomSource;
  events: EventBus;
  ids: IdGenerator;
  flags: { isEnabled(name: FlagName): boolean };
  healer?: Healer;
  breakers?: BreakerView;
  fallback?: FallbackRunner;
  predictor?: Predictor;
  escalator?: Escalator;
  offline?: OfflineAwareness;
  /** Final retry policy when the context gives none. Default: interactive (≤ 2 retries within 8 s). */
  retryPolicy?: RetryPolicy;
  historySize?: number;
  /** Budgets of `run()`. */
  run?: RecoveredRunSettings;
}

type Summary = { status: RecoveryResult['status']; method?: RecoveryRecord['method']; strategy?: string; escalated: boolean };
type HealOutcome = Awaited<ReturnType<Healer['handleError']>>;

/** Part of a deadline kept for the fallback chain: the heal must end this much before it. */
export const FALLBACK_RESERVE_MS = 1_000;

/** The RecoveryOrchestrator. Every step is guarded: a step that throws is reported and skipped. */
export function createRecoveryOrchestrator(options: RecoveryOrchestratorOptions): RecoveryOrchestrator {
  const { clock, random, events, flags } = options;
  const retryPolicy = options.retryPolicy ?? interactiveRetryPolicy();
  const ledger = createRecoveryLedger(options.historySize ?? 100);
  /** Whole recoveries, shared only by calls with the same cause and the same request key. */
  const inFlight = new Map<string, { promise: Promise<RecoveryResult<unknown>>; callers: number }>();
  /** Heals, shared by every call with the same cause whatever the request. */
  const heals = new Map<string, Promise<HealOutcome | undefined>>();

  /** Runs one step and times it into the ledger; a throw or rejection means "as if the step were off". */
  const step = async <R>(name: 'self_healing' | 'fallback' | 'retry', run: () => Promise<R>, succeeded: (r: R) => boolean | undefined) => {
    const startedAt = clock.now();
    const result = await guardAsync<R | undefined>(events, `orchestrator.${name}`, run, () => undefined);
    const ok = result === undefined ? undefined : succeeded(result);
    if (ok !== undefined) ledger.recordStep(name, ok, clock.now() - startedAt);
    return result;
  };

  /** One heal per cause: a later caller with the same cause joins the running one. */
  const sharedHeal = (healer: Healer, error: ResilienceError, causeKey: string, context: { op: string; backend: string; prediction: PredictionSnapshot | undefined }) => {
    let heal = heals.get(causeKey);
    if (!heal) {
      heal = step('self_healing', () => healer.handleError(error, context), (h) => (h.healed || h.strategy !== undefined ? h.healed : undefined)).finally(() => heals.delete(causeKey));
      heals.set(causeKey, heal);
    }
    return heal;
  };

  /** `work`, or undefined once `untilAt` (runtime clock) has passed first; no limit without `untilAt`. */
  const until = async <R>(work: Promise<R>, untilAt: number | undefined): Promise<R | undefined> => {
    if (untilAt === undefined) return work;
    let timer: TimerHandle | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = clock.setTimeout(() => resolve(undefined), Math.max(0, untilAt - clock.now()));
    });
    try {
      return await Promise.race([work, late]);
    } finally {
      if (timer !== undefined) clock.clearTimeout(timer);
    }
  };

  const escalate = (error: ResilienceError, op: string, causeKey: string, prediction: PredictionSnapshot | undefined): boolean => {
    if (!flags.isEnabled('escalation')) return false;
    const item = { id: options.ids(), op, code: error.code, message: error.message, causeKey, raisedAt: clock.now(), ...(prediction ? { prediction } : {}) };
    events.emit('escalation.raised', { id: item.id, op, code: error.code, message: error.message });
    const escalator = options.escalator;
    if (escalator) void guardAsync(events, 'orchestrator.escalation', async () => escalator.escalate(item), () => undefined);
    return true;
  };

  const recover = async <T>(error: ResilienceError, context: RecoveryContext<T>, causeKey: string, flightKey: string): Promise<RecoveryResult<T>> => {
    const { op, deadlineAt } = context;
    const startedAt = clock.now();
    const backend = context.backend ?? error.backend ?? 'api';
    events.emit('recovery.started', { op, code: error.code });
    let prediction: PredictionSnapshot | undefined;

    const finish = (result: RecoveryResult<T>, summary: Summary): RecoveryResult<T> => {
      const durationMs = clock.now() - startedAt;
      ledger.recordStep('recovery', result.status !== 'failed', durationMs);
      const callers = inFlight.get(flightKey)?.callers ?? 1;
      ledger.recordRecovery({ op, causeKey, code: error.code, startedAt, durationMs, callers, ...summary, ...(prediction ? { prediction } : {}) });
      events.emit('recovery.finished', { op, result: { ...summary, code: error.code, durationMs, callers } });
      return result;
    };

    // A caller that gave up needs no recovery, and is nobody's manual intervention.
    if (error.code === 'ABORTED' || context.signal?.aborted) return finish({ status: 'failed', error }, { status: 'failed', escalated: false });

    const predictor = options.predictor;
    if (predictor && flags.isEnabled('predictor')) prediction = guard(events, 'orchestrator.predictor', () => predictor.snapshot(), () => undefined);

    // The heal is shared by cause; this request waits for it only while its deadline leaves room for the chain.
    const healer = options.healer;
    const healUntil = deadlineAt === undefined ? undefined : deadlineAt - (context.fallback ? FALLBACK_RESERVE_MS : 0);
    const healed = healer && (await until(sharedHeal(healer, error, causeKey, { op, backend, prediction }), healUntil));
    if (healed?.healed) return finish({ status: 'healed', method: 'self_healing', strategy: healed.strategy }, { status: 'healed', method: 'self_healing', strategy: healed.strategy, escalated: false });

    const breakers = flags.isEnabled('circuitBreaker') ? options.breakers : undefined;
    const waitTimeMs = guard(events, 'orchestrator.breaker', () => openCircuitWaitMs(breakers, backend, error, clock.now()), () => undefined);

    const fallback = options.fallback;
    const served = fallback && context.fallback ? await step('fallback', () => serveFromFallback(fallback, error, context), (o) => o.ok) : undefined;
    const value = served?.ok ? { strategy: served.strategy ?? 'unknown', value: served.value, stale: served.stale } : undefined;
    if (waitTimeMs !== undefined) {
      return finish({ status: 'circuit_open', waitTimeMs, ...(value ? { fallback: value } : {}) }, { status: 'circuit_open', ...(value ? { method: 'fallback' as const, strategy: value.strategy } : {}), escalated: false });
    }
    if (value) return finish({ status: 'recovered', method: 'fallback', ...value }, { status: 'recovered', method: 'fallback', strategy: value.strategy, escalated: false });

    const retry = context.retry;
    let lastError = error;
    if (retry && error.retryable && (deadlineAt === undefined || deadlineAt > clock.now())) {
      const policy = context.retryPolicy ?? retryPolicy;
      const outcome = await step('retry', () => finalRetry(retry, error, policy, { clock, random, offline: options.offline, signal: context.signal, deadlineAt }), (o) => o.ok);
      if (outcome?.ok) return finish({ status: 'recovered', method: 'retry', value: outcome.value, attempts: outcome.attempts - 1 }, { status: 'recovered', method: 'retry', escalated: false });
      if (outcome) lastError = outcome.error;
    }

    if (lastError.code === 'ABORTED' || context.signal?.aborted) return finish({ status: 'failed', error: lastError }, { status: 'failed', escalated: false });
    const escalated = guard(events, 'orchestrator.escalation', () => escalate(lastError, op, causeKey, prediction), () => false);
    return finish({ status: 'failed', error: lastError, ...(escalated ? { escalated } : {}) }, { status: 'failed', escalated });
  };

  let solo = 0;
  const orchestrator: RecoveryOrchestrator = {
    orchestrateRecovery<T, D>(thrown: unknown, context: RecoveryContext<T, D>): Promise<RecoveryResult<T>> {
      const error = classify(thrown);
      if (!flags.isEnabled('orchestrator')) return Promise.resolve({ status: 'failed', error });
      const causeKey = context.causeKey ?? `${error.code}|${context.backend ?? error.backend ?? 'api'}|${context.op}`;
      // Without a request key nobody else is known to want this very value: the recovery is this call's own.
      const flightKey = context.requestKey === undefined ? `solo:${++solo}` : `${causeKey}#${context.requestKey}`;
      const shared = inFlight.get(flightKey);
      if (shared) {
        shared.callers += 1;
        return shared.promise as Promise<RecoveryResult<T>>;
      }
      const promise = recover(error, context as RecoveryContext<T>, causeKey, flightKey)
        .catch((unexpected: unknown): RecoveryResult<T> => {
          reportInternalError(events, 'orchestrator', unexpected);
          return { status: 'failed', error };
        })
        .finally(() => inFlight.delete(flightKey));
      inFlight.set(flightKey, { promise, callers: 1 });
      return promise;
    },
    history: () => ledger.history(),
    ready: () => Promise.resolve(),
    metrics: () => ledger.metrics(),
    decideWorkflowStep: createWorkflowRecovery(ledger, clock),
    run: <P, F, D>(operation: RecoverableOperation<P, D>) =>
      runWithRecovery<P, F, D>({ clock, flags, orchestrator, ...(options.fallback ? { fallback: options.fallback } : {}) }, operation, options.run),
  };
  return orchestrator;
}
