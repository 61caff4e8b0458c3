import type { Clock } from '../core/clock';
import type { EventBus } from '../core/eventBus';
import { defaultIndexedDB } from '../core/defaultIndexedDB';
import type { SyncStorageLike } from '../core/syncStorage';
import type { FeatureFlags } from '../flags/featureFlags';
import { createIdbCheckpointBackend, createMemoryCheckpointBackend } from './checkpointBackend';
import { createCheckpointService, type CheckpointService } from './checkpoints';
import { createContentHash } from './contentHash';
import { onPageHide, type PageHideSource } from './pageHide';
import { DEFAULT_RETENTION, type RetentionPolicy } from './retention';

const CLEANUP_EVERY_SAVES = 25;

/** Checkpoint settings of the runtime config. */
export interface CheckpointConfig {
  /** Delay of a progress save after the last update. Default 400 ms. */
  debounceMs?: number;
  /** Longest a progress save waits while updates keep coming. Default 2 s. */
  maxWaitMs?: number;
  retention?: Partial<RetentionPolicy>;
  /** Web Crypto's subtle; null forces the plain-JS SHA-256. Default globalThis.crypto.subtle. */
  subtle?: Parameters<typeof createContentHash>[0];
  /** Default: `document` (visibilitychange) and `window` (pagehide) when present; null for none. */
  pageHide?: PageHideSource | null;
}

export interface CheckpointWiringOptions {
  indexedDB: IDBFactory | null | undefined;
  databaseName: string;
  clock: Clock;
  events: EventBus;
  flags: FeatureFlags;
  syncStorage: SyncStorageLike;
  userId: string | undefined;
  config: CheckpointConfig;
}

/** Builds the checkpoint service for the runtime and hooks the emergency save to page hide. */
export function createCheckpoints(options: CheckpointWiringOptions): CheckpointService {
  const factory = options.indexedDB === undefined ? defaultIndexedDB() : options.indexedDB;
  const backend = factory ? createIdbCheckpointBackend(factory, `${options.databaseName}-checkpoints`) : createMemoryCheckpointBackend();
  const service = createCheckpointService({
    backend,
    hash: createContentHash(options.config.subtle),
    clock: options.clock,
    events: options.events,
    flags: options.flags,
    syncStorage: options.syncStorage,
    user: options.userId ?? 'anonymous',
    debounceMs: options.config.debounceMs ?? 400,
    maxWaitMs: options.config.maxWaitMs ?? 2000,
    retention: { ...DEFAULT_RETENTION, ...options.config.retention },
  });
  // Retention runs at the first save of the runtime and after every CLEANUP_EVERY_SAVES more, so a long session
  // of progress saves does not grow the chain (and the boot restore that reads it) without bound. Not at
  // construction: a page that never checkpoints never opens the database.
  let saves = 0;
  const unsubscribeSaves = options.events.subscribe((event) => {
    if (event.type === 'checkpoint.saved' && saves++ % CLEANUP_EVERY_SAVES === 0) void service.cleanup();
  });
  const stopWatchingPage = onPageHide(options.config.pageHide, () => void service.flushAll('emergency'));
  return {
    ...service,
    durable: service.durable,
    dispose() {
      unsubscribeSaves();
      stopWatchingPage();
      service.dispose();
    },
  };
}
