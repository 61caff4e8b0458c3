import type { DeferredCalls } from '../core/deferredCalls';
import { reportInternalError } from '../core/guard';
import { defaultIndexedDB } from '../core/defaultIndexedDB';
import { loadDeferred } from '../flags/loadWithFlag';
import { assertCheckpointUser, assertWorkflowId } from './checkpointIds';
import type { CheckpointService } from './checkpoints';
import type { CheckpointWiringOptions } from './checkpointWiring';
import { onPageHide } from './pageHide';
import type { Workflow, WorkflowDefinition } from './workflow';

/** Loads the checkpoints' code (a chunk of its own in a build). */
export type LoadCheckpoints = () => Promise<{ createCheckpoints(options: CheckpointWiringOptions): CheckpointService }>;

/**
 * `runtime.checkpoints` without the checkpoints' code in the first load: the log, hashing, validation,
 * migrations and retention (~5 KB gz) are imported at start-up, after the first load. A workflow handle is given
 * at once; what is asked of it meanwhile waits for the code and is done on it in call order (a resume, the
 * updates of a draft); the page-hide save is watched from the start. A failed load is reported (`runtime.internalError`) and answers as a workflow whose
 * storage failed (fresh start, nothing saved, never a throw); the next call tries again.
 */
export function lazyCheckpoints(options: CheckpointWiringOptions, load: LoadCheckpoints = () => import('../afterFirstLoad')): CheckpointService {
  assertCheckpointUser(options.userId ?? 'anonymous');
  const report = (error: unknown) => reportInternalError(options.events, 'checkpoints', error);
  const { calls, code } = loadDeferred({
    load,
    what: 'the checkpoints',
    report,
    // The page-hide save is hooked here, at once, so a hide before the code is there still saves.
    build: (module) => module.createCheckpoints({ ...options, config: { ...options.config, pageHide: null } }),
  });
  const factory = options.indexedDB === undefined ? defaultIndexedDB() : options.indexedDB;
  const stopWatchingPage = onPageHide(options.config.pageHide, () => calls.run((service) => void service.flushAll('emergency')));

  return {
    durable: factory !== null && factory !== undefined,
    workflow<S>(definition: WorkflowDefinition<S>): Workflow<S> {
      assertWorkflowId(definition.id);
      return lazyWorkflow(calls, definition);
    },
    cleanup: (policy) => calls.ask((service) => service.cleanup(policy)).catch(() => 0),
    purgeUser: (userId) => calls.ask((service) => service.purgeUser(userId)),
    flushAll: (kind) => calls.ask((service) => service.flushAll(kind)).catch(() => undefined),
    dispose() {
      stopWatchingPage();
      code.dispose();
      calls.current()?.dispose();
      calls.dispose();
    },
  };
}

/** A workflow handle made before the code is there: the real one is made at its first call on the loaded service. */
function lazyWorkflow<S>(calls: DeferredCalls<CheckpointService>, definition: WorkflowDefinition<S>): Workflow<S> {
  let real: Workflow<S> | undefined;
  const handle = (service: CheckpointService) => (real ??= service.workflow(definition));
  /** What a workflow whose storage failed answers (the load failed): `fallback`. */
  const ask = <R>(act: (workflow: Workflow<S>) => Promise<R>, fallback: R): Promise<R> => calls.ask((service) => act(handle(service))).catch(() => fallback);
  const run = (act: (workflow: Workflow<S>) => void) => calls.run((service) => act(handle(service)));
  return {
    id: definition.id,
    resume: () => ask((workflow) => workflow.resume(), { status: 'fresh', reason: 'error' }),
    confirmResumed: () => run((workflow) => workflow.confirmResumed()),
    completeStep: (step, state) => ask((workflow) => workflow.completeStep(step, state), null),
    update: (step, state) => run((workflow) => workflow.update(step, state)),
    flush: (kind) => ask((workflow) => workflow.flush(kind), undefined),
    startOver: (initial) => ask((workflow) => workflow.startOver(initial), null),
    latest: () => ask((workflow) => workflow.latest(), null),
    list: () => ask((workflow) => workflow.list(), []),
    validate: (seq) => ask((workflow) => workflow.validate(seq), null),
    restore: (seq) => ask((workflow) => workflow.restore(seq), null),
    rollback: (seq) => ask((workflow) => workflow.rollback(seq), null),
    dispose: () => calls.run(() => real?.dispose()),
  };
}
