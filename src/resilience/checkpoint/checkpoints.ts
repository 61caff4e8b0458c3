import type { Clock } from '../core/clock';
import type { EventBus } from '../core/eventBus';
import { guardAsync, reportInternalError } from '../core/guard';
import type { SyncStorageLike } from '../core/syncStorage';
import type { FeatureFlags } from '../flags/featureFlags';
import { createBootGuard } from './bootGuard';
import { assertCheckpointUser, assertWorkflowId } from './checkpointIds';
import { userPrefix, type CheckpointBackend } from './checkpointBackend';
import { createCheckpointLog } from './checkpointLog';
import type { CheckpointKind } from './checkpointRecord';
import type { HashText } from './contentHash';
import { expiredCheckpoints, type RetentionPolicy } from './retention';
import { createWorkflow, type Workflow, type WorkflowDefinition } from './workflow';
import { isPlainObject } from '../core/isPlainObject';

/** The runtime's checkpoints (`runtime.checkpoints`); the `checkpoints` flag off → nothing saved or resumed. */
export interface CheckpointService {
  /** False when IndexedDB is missing and checkpoints live in memory only (they do not survive a reload). */
  readonly durable: boolean;
  /** The current student's workflow `definition.id` (one object per id; a second call returns a new handle). */
  workflow<S>(definition: WorkflowDefinition<S>): Workflow<S>;
  /** Retention over every stored checkpoint: resolves with how many were deleted. Never rejects. */
  cleanup(policy?: Partial<RetentionPolicy>): Promise<number>;
  /** Log-out: deletes every checkpoint of `userId` (quarantined ones too) and its crash-loop counters. */
  purgeUser(userId: string): Promise<void>;
  /** Saves every workflow's pending update now (page hide). */
  flushAll(kind?: CheckpointKind): Promise<void>;
  dispose(): void;
}

export interface CheckpointServiceOptions {
  backend: CheckpointBackend;
  hash: HashText;
  clock: Clock;
  events: EventBus;
  flags: FeatureFlags;
  /** Synchronous storage for the crash-loop counters (survives a renderer crash). */
  syncStorage: SyncStorageLike;
  user: string;
  debounceMs: number;
  maxWaitMs: number;
  retention: RetentionPolicy;
}

const GUARD_KEY_PREFIX = 'resilience.checkpointRestore:';

export function createCheckpointService(options: CheckpointServiceOptions): CheckpointService {
  const { backend, hash, clock, events, flags, syncStorage, user } = options;
  assertCheckpointUser(user);
  const enabled = () => flags.isEnabled('checkpoints');
  const live = new Set<Workflow<unknown>>();
  const guardKey = (workflow: string) => `${GUARD_KEY_PREFIX}${user}:${workflow}`;

  return {
    durable: backend.durable,
    workflow<S>(definition: WorkflowDefinition<S>): Workflow<S> {
      assertWorkflowId(definition.id);
      const log = createCheckpointLog({ backend, hash, clock, events, user, workflow: definition.id, schema: definition });
      const workflow: Workflow<S> = createWorkflow({
        definition,
        log,
        guard: createBootGuard(syncStorage, guardKey(definition.id)),
        clock,
        events,
        enabled,
        debounceMs: options.debounceMs,
        maxWaitMs: options.maxWaitMs,
        onDispose: () => live.delete(workflow as Workflow<unknown>),
      });
      live.add(workflow as Workflow<unknown>);
      return workflow;
    },
    cleanup: (policy = {}) =>
      guardAsync(
        events,
        'checkpoints',
        async () => {
          const raws = await backend.readPrefix('');
          const entries = raws.map((raw) => {
            const cut = raw.key.lastIndexOf('\u0000');
            return { key: raw.key, group: raw.key.slice(0, cut), seq: Number(raw.key.slice(cut + 1)), savedAt: savedAtOf(raw.record) };
          });
          const expired = expiredCheckpoints(entries, { ...options.retention, ...policy }, clock.now());
          if (expired.length > 0) await backend.remove(expired);
          const maxAgeMs = policy.maxAgeMs ?? options.retention.maxAgeMs;
          const quarantined = await backend.readQuarantine();
          const old = quarantined.filter(({ entry }) => !isPlainObject(entry) || typeof entry.at !== 'number' || clock.now() - entry.at > maxAgeMs);
          if (old.length > 0) await backend.removeQuarantined(old.map(({ key }) => key));
          const removed = expired.length + old.length;
          if (removed > 0) events.emit('checkpoint.cleaned', { removed });
          return removed;
        },
        () => 0,
      ),
    async purgeUser(userId) {
      try {
        await backend.purgePrefix(userPrefix(userId));
      } catch (error) {
        reportInternalError(events, 'checkpoints', error);
      }
      for (const workflow of live) if (userId === user) syncStorage.removeItem(guardKey(workflow.id));
    },
    async flushAll(kind = 'emergency') {
      await Promise.all([...live].map((workflow) => workflow.flush(kind)));
    },
    dispose() {
      for (const workflow of [...live]) workflow.dispose();
      backend.close();
    },
  };
}

function savedAtOf(record: unknown): number | null {
  if (!isPlainObject(record) || typeof record.body !== 'string') return null;
  try {
    const parsed: unknown = JSON.parse(record.body);
    return isPlainObject(parsed) && typeof parsed.savedAt === 'number' ? parsed.savedAt : null;
  } catch {
    return null;
  }
}
