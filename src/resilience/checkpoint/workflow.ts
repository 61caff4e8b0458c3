import type { Clock, TimerHandle } from '../core/clock';
import type { EventBus } from '../core/eventBus';
import { reportInternalError } from '../core/guard';
import type { BootGuard } from './bootGuard';
import { canonicalJson } from './canonicalJson';
import type { Checkpoint, CheckpointInfo, CheckpointLog, Verdict } from './checkpointLog';
import type { CheckpointKind } from './checkpointRecord';
import type { StateSchema } from './migrations';

/** A long workflow (a lesson run, a conversation): an id per student and the schema of its state. */
export interface WorkflowDefinition<S> extends StateSchema<S> {
  /** Unique per workflow for the student, e.g. `lesson:fractions-1`. */
  id: string;
}

/** What resuming a workflow found: a checkpoint to resume, a fresh start (and why), or a skip after a crash loop. */
export type ResumeResult<S> =
  /** `quarantined`: newer checkpoints that failed validation and were set aside (the state is older than the newest save). */
  | { status: 'resumed'; checkpoint: Checkpoint<S>; quarantined: number }
  /** Nothing to resume: no checkpoint, none valid (reported), the flag off, or storage failed (reported). */
  | { status: 'fresh'; reason: 'none' | 'noneValid' | 'off' | 'error' }
  /** Restoring the latest checkpoint crashed the app twice: it was quarantined and this boot starts clean. */
  | { status: 'skipped'; reason: 'crashLoop' };

/**
 * The workflow API: resume at boot, a checkpoint after each completed step, debounced ones while a step is in
 * progress, an emergency one when the page is hidden. Every method degrades to the flag-off behaviour (nothing
 * saved, nothing resumed) if storage or the runtime fails; it never throws at the app.
 */
export interface Workflow<S> {
  readonly id: string;
  /** Boot: the newest valid checkpoint (invalid newer ones quarantined), unless it crashed the app twice. */
  resume(): Promise<ResumeResult<S>>;
  /** The resumed state was applied and the page rendered: the crash-loop guard forgets this restore. */
  confirmResumed(): void;
  /** A step finished: saved now (a pending debounced save is folded into it). */
  completeStep(step: number, state: S): Promise<CheckpointInfo | null>;
  /**
   * Work in progress (a draft being typed, a reply streaming in): saved once updates pause for the debounce
   * delay, or after the max wait while they keep coming; the newest state wins.
   */
  update(step: number, state: S): void;
  /** Saves a pending update now (`emergency` when the page is being hidden). */
  flush(kind?: CheckpointKind): Promise<void>;
  /** Back to the first step with `initial` as the newest checkpoint; the older ones stay until retention. */
  startOver(initial: S): Promise<CheckpointInfo | null>;
  latest(): Promise<Checkpoint<S> | null>;
  list(): Promise<Array<Verdict<S>>>;
  validate(seq: number): Promise<Verdict<S> | null>;
  restore(seq?: number): Promise<Checkpoint<S> | null>;
  rollback(seq: number): Promise<Checkpoint<S> | null>;
  /** Stops the debounce timer (a pending update is dropped: call flush first to keep it). */
  dispose(): void;
}

export interface WorkflowOptions<S> {
  definition: WorkflowDefinition<S>;
  log: CheckpointLog<S>;
  guard: BootGuard;
  clock: Clock;
  events: EventBus;
  enabled: () => boolean;
  debounceMs: number;
  /** Longest a pending update waits while updates keep coming (a streaming reply would otherwise starve it). */
  maxWaitMs: number;
  onDispose: () => void;
}

export function createWorkflow<S>(options: WorkflowOptions<S>): Workflow<S> {
  const { definition, log, guard, clock, events, enabled, debounceMs } = options;
  let pending: { step: number; state: S } | undefined;
  let timer: TimerHandle | undefined;
  let pendingSince: number | undefined;
  let lastSaved: string | undefined;

  const safely = async <T>(operation: () => Promise<T>, whenOff: T): Promise<T> => {
    if (!enabled()) return whenOff;
    try {
      return await operation();
    } catch (error) {
      reportInternalError(events, 'checkpoints', error);
      return whenOff;
    }
  };
  const cancelTimer = () => {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
  };
  const saveNow = (step: number, state: S, kind: CheckpointKind) =>
    safely(async () => {
      const content = canonicalJson({ step, state });
      if (content === lastSaved && kind !== 'step') return null; // nothing changed since the last checkpoint
      const info = await log.save({ step, kind, state });
      lastSaved = content;
      return info;
    }, null);
  const flush = async (kind: CheckpointKind = 'progress') => {
    cancelTimer();
    const next = pending;
    pending = undefined;
    pendingSince = undefined;
    if (next) await saveNow(next.step, next.state, kind);
  };

  return {
    id: definition.id,
    resume: () =>
      safely<ResumeResult<S>>(async () => {
        const crashed = guard.crashedTwice();
        if (crashed) {
          await log.quarantineAll('crashLoop');
          guard.confirm();
          events.emit('checkpoint.skipped', { workflow: definition.id, seq: crashed.seq, reason: 'crashLoop' });
          return { status: 'skipped', reason: 'crashLoop' };
        }
        let quarantined = 0;
        const count = events.subscribe((event) => {
          if (event.type === 'checkpoint.quarantined' && event.workflow === definition.id) quarantined++;
        });
        let checkpoint: Checkpoint<S> | null;
        try {
          checkpoint = await log.latest();
        } finally {
          count();
        }
        if (!checkpoint) return { status: 'fresh', reason: quarantined > 0 ? 'noneValid' : 'none' };
        guard.attempt(checkpoint.seq);
        lastSaved = canonicalJson({ step: checkpoint.step, state: checkpoint.state });
        events.emit('checkpoint.restored', { workflow: definition.id, seq: checkpoint.seq, step: checkpoint.step, quarantined });
        return { status: 'resumed', checkpoint, quarantined };
      }, { status: 'fresh', reason: enabled() ? 'error' : 'off' }),
    confirmResumed: () => {
      try {
        guard.confirm();
      } catch (error) {
        reportInternalError(events, 'checkpoints', error);
      }
    },
    completeStep: (step, state) => {
      cancelTimer();
      pending = undefined;
      return saveNow(step, state, 'step');
    },
    update(step, state) {
      if (!enabled()) return;
      pending = { step, state };
      pendingSince ??= clock.now();
      cancelTimer();
      const delayMs = Math.max(0, Math.min(debounceMs, pendingSince + options.maxWaitMs - clock.now()));
      timer = clock.setTimeout(() => {
        timer = undefined;
        void flush('progress');
      }, delayMs);
    },
    flush,
    startOver: (initial) => {
      cancelTimer();
      pending = undefined;
      return saveNow(0, initial, 'step');
    },
    latest: () => safely(() => log.latest(), null),
    list: () => safely(() => log.list(), []),
    validate: (seq) => safely(() => log.validate(seq), null),
    restore: (seq) => safely(() => log.restore(seq), null),
    rollback: (seq) => safely(() => log.rollback(seq), null),
    dispose() {
      cancelTimer();
      pending = undefined;
      options.onDispose();
    },
  };
}
