import { classify } from '../core/classify';
import { reportInternalError } from '../core/guard';
import type { IntelligentFallbackSystem } from '../fallback/fallbackSystem';
import { loadDeferred } from '../flags/loadWithFlag';
import { runWithRecovery } from './recoveredRun';
import { emptyRecoveryMetrics } from './recoveryMetrics';
import type { RecoveryOrchestrator } from './recoveryOrchestrator';
import type { RecoveryDeps } from './recoveryWiring';
import { decideWorkflowRecovery } from './workflowDecision';
import type { WorkflowDecisionHandle } from './workflowRecovery';

/** Loads the recovery code: the fallback system and the orchestrator (a chunk of their own in a build). */
export type LoadRecovery = () => Promise<{ createRecovery(deps: RecoveryDeps): { fallback: IntelligentFallbackSystem; orchestrator: RecoveryOrchestrator } }>;

type Recovery = Awaited<ReturnType<LoadRecovery>> extends { createRecovery(deps: RecoveryDeps): infer R } ? R : never;

/**
 * `runtime.fallback` and `runtime.orchestrator` without their code in the first load: the recovery flow, the
 * fallback ranking and its tallies (~5 KB gz) are imported at start-up, after the first load, whatever the flags
 * say. What runs while things work needs none of it: `orchestrator.run` tries the primary path first and asks the
 * loaded orchestrator only when it fails. Strategies registered meanwhile are registered on load, in order; a
 * recovery or a fallback asked meanwhile waits for the code. A failed load is reported (`runtime.internalError`)
 * and answers as these subsystems do with their flags off (a recovery `failed`, a fallback run is the primary
 * alone); the next call tries again.
 */
export function lazyRecovery(deps: RecoveryDeps, load: LoadRecovery = () => import('../afterFirstLoad')): Recovery & { dispose(): void } {
  const { events } = deps;
  const report = (error: unknown) => reportInternalError(events, 'orchestrator', error);
  const { calls, code } = loadDeferred({ load, what: 'the recovery code', report, build: (module) => module.createRecovery(deps) });

  const fallback: IntelligentFallbackSystem = {
    registerStrategy: (opType, strategy) => calls.listen(strategy, (real, registered) => real.fallback.registerStrategy(opType, registered)),
    executeWithFallback: (operation, opType, request) =>
      calls.ask((real) => real.fallback.executeWithFallback(operation, opType, request)).catch(async () => {
        // The fallback code is missing: the primary alone, as with the flag off.
        try {
          const result = await operation(request?.signal);
          return result.ok ? { ok: true, value: result.value, source: 'network' as const, stale: false, attempts: [] } : { ok: false, error: result.error, attempts: [] };
        } catch (error) {
          return { ok: false, error: classify(error), attempts: [] };
        }
      }),
    ranking: (opType) => calls.current()?.fallback.ranking(opType) ?? [],
    metrics: (opType) => calls.current()?.fallback.metrics(opType) ?? {},
    ready: code.ready,
  };
  const orchestrator: RecoveryOrchestrator = {
    orchestrateRecovery: (thrown, context) => calls.ask((real) => real.orchestrator.orchestrateRecovery(thrown, context)).catch(() => ({ status: 'failed' as const, error: classify(thrown) })),
    history: () => calls.current()?.orchestrator.history() ?? [],
    ready: code.ready,
    metrics: () => calls.current()?.orchestrator.metrics() ?? emptyRecoveryMetrics(),
    decideWorkflowStep(failure): WorkflowDecisionHandle {
      const real = calls.current();
      if (real) return real.orchestrator.decideWorkflowStep(failure);
      // The decision is pure: given now; it is recorded (and settled) in the orchestrator's ledger once loaded.
      let recorded: WorkflowDecisionHandle | undefined;
      calls.run((loaded) => void (recorded = loaded.orchestrator.decideWorkflowStep(failure)));
      return { ...decideWorkflowRecovery(failure), settle: (ok) => calls.run(() => recorded?.settle(ok)) };
    },
    run: (operation) => runWithRecovery({ clock: deps.clock, flags: deps.flags, orchestrator, fallback }, operation, deps.config.run),
  };
  return {
    fallback,
    orchestrator,
    dispose() {
      code.dispose();
      calls.dispose();
    },
  };
}
