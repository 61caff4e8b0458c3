import { classify } from '../core/classify';
import type { Clock, RandomSource } from '../core/clock';
import type { ResilienceError } from '../core/errors';
import type { EventBus } from '../core/eventBus';
import { guard, guardAsync, reportInternalError } from '../core/guard';
import type { IdGenerator } from '../core/ids';
import type { FlagName } from '../flags/flagNames';
import type { OfflineAwareness } from '../policies/retry';
import { interactiveRetryPolicy, type RetryPolicy } from '../policies/retryProfiles';
import { createRecoveryLedger, type RecoveryMetrics } from './recoveryLedger';
import { createWorkflowRecovery, type WorkflowDecisionHandle, type WorkflowStepFailure } from './workflowRecovery';
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

export interface RecoveryOrchestrator {
  /**
   * Recovers from `error` with the flow of DESIGN §7: dedupe → predictor → self-heal → breaker → fallback →
   * final retry → escalate. Never rejects. Flag `orchestrator` off → `{status:'failed', error}` at once with
   * no side effect. Concurrent calls with the same cause key share one recovery and one result.
   */
  orchestrateRecovery<T = unknown, D = unknown>(error: unknown, context: RecoveryContext<T, D>): Promise<RecoveryResult<T>>;
  /** Finished recoveries, oldest first (bounded). */
  history(): readonly RecoveryRecord[];
  metrics(): RecoveryMetrics;
  /** A workflow step failed: resume, restart, reassign or escalate, by cause; recorded in history and metrics. */
  decideWorkflowStep(failure: WorkflowStepFailure): WorkflowDecisionHandle;
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
}

type Summary = { status: RecoveryResult['status']; method?: RecoveryRecord['method']; strategy?: string; escalated: boolean };

/** The RecoveryOrchestrator (DESIGN §7). Every step is guarded: a step that throws is reported and skipped. */
export function createRecoveryOrchestrator(options: RecoveryOrchestratorOptions): RecoveryOrchestrator {
  const { clock, random, events, flags } = options;
  const retryPolicy = options.retryPolicy ?? interactiveRetryPolicy();
  const ledger = createRecoveryLedger(options.historySize ?? 100);
  const inFlight = new Map<string, { promise: Promise<RecoveryResult<unknown>>; callers: number }>();

  /** Runs one step and times it into the ledger; a throw or rejection means "as if the step were off". */
  const step = async <R>(name: 'self_healing' | 'fallback' | 'retry', run: () => Promise<R>, succeeded: (r: R) => boolean | undefined) => {
    const startedAt = clock.now();
    const result = await guardAsync<R | undefined>(events, `orchestrator.${name}`, run, () => undefined);
    const ok = result === undefined ? undefined : succeeded(result);
    if (ok !== undefined) ledger.recordStep(name, ok, clock.now() - startedAt);
    return result;
  };

  const escalate = (error: ResilienceError, op: string, causeKey: string, prediction: PredictionSnapshot | undefined): boolean => {
    if (!flags.isEnabled('escalation')) return false;
    const item = { id: options.ids(), op, code: error.code, message: error.message, causeKey, raisedAt: clock.now(), ...(prediction ? { prediction } : {}) };
    events.emit('escalation.raised', { id: item.id, op, code: error.code, message: error.message });
    const escalator = options.escalator;
    if (escalator) void guardAsync(events, 'orchestrator.escalation', async () => escalator.escalate(item), () => undefined);
    return true;
  };

  const recover = async <T>(error: ResilienceError, context: RecoveryContext<T>, causeKey: string): Promise<RecoveryResult<T>> => {
    const { op } = context;
    const startedAt = clock.now();
    const backend = context.backend ?? error.backend ?? 'api';
    events.emit('recovery.started', { op, code: error.code });
    let prediction: PredictionSnapshot | undefined;

    const finish = (result: RecoveryResult<T>, summary: Summary): RecoveryResult<T> => {
      const durationMs = clock.now() - startedAt;
      ledger.recordStep('recovery', result.status !== 'failed', durationMs);
      const callers = inFlight.get(causeKey)?.callers ?? 1;
      ledger.recordRecovery({ op, causeKey, code: error.code, startedAt, durationMs, callers, ...summary, ...(prediction ? { prediction } : {}) });
      events.emit('recovery.finished', { op, result: { ...summary, code: error.code, durationMs, callers } });
      return result;
    };

    // A caller that gave up needs no recovery, and is nobody's manual intervention.
    if (error.code === 'ABORTED' || context.signal?.aborted) return finish({ status: 'failed', error }, { status: 'failed', escalated: false });

    const predictor = options.predictor;
    if (predictor && flags.isEnabled('predictor')) prediction = guard(events, 'orchestrator.predictor', () => predictor.snapshot(), () => undefined);

    const healer = options.healer;
    const healed = healer && (await step('self_healing', () => healer.handleError(error, { op, backend, prediction }), (h) => (h.healed || h.strategy !== undefined ? h.healed : undefined)));
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
    if (retry && error.retryable) {
      const policy = context.retryPolicy ?? retryPolicy;
      const outcome = await step('retry', () => finalRetry(retry, error, policy, { clock, random, offline: options.offline, signal: context.signal }), (o) => o.ok);
      if (outcome?.ok) return finish({ status: 'recovered', method: 'retry', value: outcome.value, attempts: outcome.attempts - 1 }, { status: 'recovered', method: 'retry', escalated: false });
      if (outcome) lastError = outcome.error;
    }

    if (lastError.code === 'ABORTED' || context.signal?.aborted) return finish({ status: 'failed', error: lastError }, { status: 'failed', escalated: false });
    const escalated = guard(events, 'orchestrator.escalation', () => escalate(lastError, op, causeKey, prediction), () => false);
    return finish({ status: 'failed', error: lastError, ...(escalated ? { escalated } : {}) }, { status: 'failed', escalated });
  };

  return {
    orchestrateRecovery<T, D>(thrown: unknown, context: RecoveryContext<T, D>): Promise<RecoveryResult<T>> {
      const error = classify(thrown);
      if (!flags.isEnabled('orchestrator')) return Promise.resolve({ status: 'failed', error });
      const causeKey = context.causeKey ?? `${error.code}|${context.backend ?? error.backend ?? 'api'}|${context.op}`;
      const shared = inFlight.get(causeKey);
      if (shared) {
        shared.callers += 1;
        return shared.promise as Promise<RecoveryResult<T>>;
      }
      const promise = recover(error, context as RecoveryContext<T>, causeKey)
        .catch((unexpected: unknown): RecoveryResult<T> => {
          reportInternalError(events, 'orchestrator', unexpected);
          return { status: 'failed', error };
        })
        .finally(() => inFlight.delete(causeKey));
      inFlight.set(causeKey, { promise, callers: 1 });
      return promise;
    },
    history: () => ledger.history(),
    metrics: () => ledger.metrics(),
    decideWorkflowStep: createWorkflowRecovery(ledger, clock),
  };
}
