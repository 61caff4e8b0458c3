import { withResponseCache } from '../cache/cachedApi';
import { CACHE_STORE, createResponseCache, type CacheBounds, type ResponseCache } from '../cache/responseCache';
import type { Clock, RandomSource } from '../core/clock';
import type { ResilienceError } from '../core/errors';
import type { EventBus } from '../core/eventBus';
import type { IdGenerator } from '../core/ids';
import { defaultIndexedDB } from '../core/defaultIndexedDB';
import { createResilienceStorage, type ResilienceStorage } from '../core/storage';
import type { SyncStorageLike } from '../core/syncStorage';
import type { TransactionFaults } from '../core/storageDatabase';
import type { FeatureFlags } from '../flags/featureFlags';
import { exponentialBackoff } from '../policies/backoff';
import type { LockManagerLike } from '../policies/probeLeases';
import { BACKGROUND_BACKOFF, RETRY_AFTER_CAP_MS } from '../policies/retryProfiles';
import type { ApiClient } from '../transport/apiClient';
import { createRuntimeApiClient, type ApiClientParts } from '../transport/apiClientWiring';
import type { ConnectivityEventSource, ConnectivityMonitor } from '../transport/connectivity';
import type { BroadcastChannelLike } from '../policies/browserBreakerStore';
import { reportInternalError } from '../core/guard';
import { DATABASE_NAME } from './databaseName';
import { drainLockName } from './drainLockName';
import { createOutboxChangeFeed, defaultOutboxChannel, outboxChannelName } from './outboxChanges';
import type { OutboxBatchCodec } from './batchCodec';
import { createOutbox, type Outbox } from './outbox';
import type { OutboxEntry } from './outboxEntry';
import { OUTBOX_STORES } from './outboxStore';
import { DEFAULT_OUTBOX_LIMITS, type OutboxLimits } from './outboxSubmit';
import { defaultVisibilitySource, wireOutboxTriggers, type VisibilitySource } from './outboxTriggers';
import { createReplayPolicy } from './replayPolicy';
import { isReportScope } from '../escalation/reportNames';

const DATABASE_VERSION = 1;
const SEVEN_DAYS_MS = 7 * 24 * 60 * 60 * 1000;

/** Outbox settings of the runtime config. */
export interface OutboxConfig extends Partial<OutboxLimits> {
  /** Entries older than this (elapsed clock) go to the intervention list. Default 7 days. */
  retentionMs?: number;
  /** Scopes replayed at once. Default 4. */
  scopeConcurrency?: number;
  /** Web Locks implementation; null forces the IndexedDB lease. Default navigator.locks. */
  locks?: LockManagerLike | null;
  /**
   * 'none' turns cross-tab exclusion off (every tab drains at once). Only for tests that must show the
   * exclusion is what keeps replays single; the app passes it only in builds with developer tools.
   */
  drainExclusion?: 'none';
  /** Opens the change-notice channel; default BroadcastChannel in a page, none elsewhere. */
  openChannel?: ((name: string) => BroadcastChannelLike | undefined) | null;
  /** Default crypto.randomUUID. */
  uuid?: () => string;
  /** The backend's batch format (many entries in one request); none → one request per entry. */
  batch?: OutboxBatchCodec;
  /** Which same-origin paths may be queued and replayed; checked on submit and on every stored entry. Default any. */
  allowedPath?: (path: string) => boolean;
  /** Extra headers of an entry's replay, e.g. whose it is so the backend can refuse a foreign one. */
  requestHeaders?: (entry: OutboxEntry) => Readonly<Record<string, string>>;
  visibility?: VisibilitySource | null;
}

export interface StorageServicesOptions {
  indexedDB: IDBFactory | null | undefined;
  databaseName?: string;
  config: OutboxConfig;
  /** Monotonic milliseconds (performance.now); the retention clock's in-session basis. */
  monotonicNow: () => number;
  clock: Clock;
  random: RandomSource;
  events: EventBus;
  flags: FeatureFlags;
  ids: IdGenerator;
  tabId: string;
  syncStorage: SyncStorageLike;
  /** What the API client is built from (here, with the outbox that replays through it). */
  api: ApiClientParts;
  connectivity: ConnectivityMonitor;
  onlineSource: ConnectivityEventSource | undefined;
  userId: string | undefined;
  /** A transaction found the IndexedDB connection closed: ask self-healing (its storage strategy reopens). */
  onStorageConnectionLost?: (error: ResilienceError) => Promise<unknown>;
  /** Runtime chaos's IndexedDB faults, placed at the database layer. */
  storageFaults?: TransactionFaults;
  /** Per-student bounds and maximum age of the response cache. */
  cacheBounds?: Partial<CacheBounds>;
}

/** The API client, storage, outbox and response cache of a runtime, built together. */
export interface StorageServices {
  storage: ResilienceStorage;
  outbox: Outbox;
  cache: ResponseCache;
  /** The API client with the response cache's opt-in `cache` option. */
  api: ApiClient;
  /** Empties the response cache when it lives in memory (no IndexedDB): memory pressure. */
  evictCacheMemory(): number;
  dispose(): void;
}

/**
 * Builds the API client, storage (IndexedDB or memory), the outbox with its triggers, and the response cache
 * for the runtime. Loaded after the first load (lazyStorageServices.ts is the runtime's facade).
 */
export function createStorageServices(options: StorageServicesOptions): StorageServices {
  const { config, clock, events, flags, connectivity } = options;
  const currentUser = () => options.userId;
  const databaseName = options.databaseName ?? DATABASE_NAME;
  const client = createRuntimeApiClient(options.api);
  const storage = createResilienceStorage({
    factory: options.indexedDB === undefined ? defaultIndexedDB() : options.indexedDB,
    databaseName,
    version: DATABASE_VERSION,
    stores: [...Object.values(OUTBOX_STORES), CACHE_STORE],
    onDegraded: (reason) => events.emit('storage.degraded', { store: 'indexedDB', reason }),
    ...(options.onStorageConnectionLost ? { onConnectionLost: options.onStorageConnectionLost } : {}),
    ...(options.storageFaults ? { beforeTransaction: options.storageFaults } : {}),
  });
  const student = options.userId ?? 'anonymous';
  const changes = createOutboxChangeFeed(config.openChannel === null ? undefined : (config.openChannel ?? defaultOutboxChannel), outboxChannelName(databaseName, student), (error) => reportInternalError(events, 'outbox', error));
  const lock = config.drainExclusion === 'none'
    ? ('none' as const)
    : {
      ...(config.locks === undefined ? {} : { locks: config.locks }),
      leaseStore: storage.store(OUTBOX_STORES.meta),
      name: drainLockName(databaseName, student),
      owner: options.tabId,
      clock,
      monotonicNow: options.monotonicNow,
    };
  const outbox = createOutbox({
    storage,
    api: client.client,
    events,
    clock,
    ids: options.ids,
    uuid: config.uuid ?? (() => globalThis.crypto.randomUUID()),
    monotonicNow: options.monotonicNow,
    policy: createReplayPolicy({ backoff: exponentialBackoff(BACKGROUND_BACKOFF), random: options.random, retryAfterCapMs: RETRY_AFTER_CAP_MS, retentionMs: config.retentionMs ?? SEVEN_DAYS_MS }),
    lock,
    changes,
    limits: { ...DEFAULT_OUTBOX_LIMITS, ...pickLimits(config) },
    scopeConcurrency: config.scopeConcurrency ?? 4,
    enabled: () => flags.isEnabled('outbox'),
    currentUser,
    isOffline: () => flags.isEnabled('connectivity') && connectivity.isOffline(),
    ...(config.batch ? { batchCodec: config.batch } : {}),
    ...(config.allowedPath ? { allowedPath: config.allowedPath } : {}),
    ...(config.requestHeaders ? { requestHeaders: config.requestHeaders } : {}),
    isBackgroundScope: isReportScope,
  });
  const cache = createResponseCache(storage.store(CACHE_STORE), { bounds: options.cacheBounds, now: () => clock.now() });
  // Without change notices this tab cannot know what other tabs queued: every successful request drains.
  const unwire = wireOutboxTriggers(() => void outbox.drain(), () => !changes.live || outbox.snapshot().pending > 0, {
    events,
    connectivity,
    onlineSource: options.onlineSource,
    visibility: config.visibility === null ? undefined : (config.visibility ?? defaultVisibilitySource()),
  });
  if (flags.isEnabled('outbox')) void outbox.start();
  const api = withResponseCache(client.client, { cache, flags, events, clock, user: currentUser });
  return {
    storage,
    outbox,
    cache,
    api,
    evictCacheMemory: () => storage.evictMemory(CACHE_STORE),
    dispose() {
      unwire();
      api.dispose(); // the cache writes still waiting for their interval start now, before storage closes
      outbox.dispose();
      changes.close();
      storage.close();
      client.dispose();
    },
  };
}

function pickLimits(config: OutboxConfig): Partial<OutboxLimits> {
  const limits: Partial<OutboxLimits> = {};
  if (config.maxEntryBytes !== undefined) limits.maxEntryBytes = config.maxEntryBytes;
  if (config.maxTotalBytes !== undefined) limits.maxTotalBytes = config.maxTotalBytes;
  if (config.maxEntries !== undefined) limits.maxEntries = config.maxEntries;
  return limits;
}
