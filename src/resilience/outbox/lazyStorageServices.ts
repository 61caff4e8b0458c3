import type { ResponseCache } from '../cache/responseCache';
import { reportInternalError } from '../core/guard';
import { loadDeferred } from '../flags/loadWithFlag';
import type { ApiClient } from '../transport/apiClient';
import { lazyApiClient, plainSender } from '../transport/lazyApiClient';
import { deferredOutbox } from './deferredOutbox';
import type { Outbox } from './outbox';
import type { StorageServices, StorageServicesOptions } from './outboxWiring';

/** Loads the API client, storage, outbox and response cache code (the afterFirstLoad chunk in a build). */
export type LoadStorageServices = () => Promise<{ createStorageServices(options: StorageServicesOptions): StorageServices }>;

/** The runtime's facade of {@link StorageServices}: what the first load holds of them. */
export interface LazyStorageServices {
  readonly api: ApiClient;
  readonly outbox: Outbox;
  readonly cache: ResponseCache;
  /** Reopens the IndexedDB connection (the storage healing strategy); false when there is none to reopen. */
  reopenStorage(): Promise<boolean>;
  /** Empties the response cache when it lives in memory (memory pressure); how many entries went. */
  evictCacheMemory(): number;
  dispose(): void;
}

/**
 * The API client's pipeline, storage, the outbox and the response cache without their code in the first load:
 * imported at start-up, after the first load, and built together (the outbox replays through the client, the
 * cache wraps it). Requests made meanwhile wait for it (transport/lazyApiClient.ts), so do outbox calls
 * (deferredOutbox.ts) and cache calls. A failed load is reported (`runtime.internalError`, subsystem `api`):
 * requests are sent once plainly, the outbox answers as with its flag off, the cache has nothing; the next call
 * tries the load again.
 */
export function lazyStorageServices(options: StorageServicesOptions, load: LoadStorageServices = () => import('../afterFirstLoad')): LazyStorageServices {
  const { events, clock } = options;
  let disposed = false;
  const report = (error: unknown) => reportInternalError(events, 'api', error);
  const { calls, code } = loadDeferred({ load, what: 'the API client, outbox and response cache code', report, build: (module) => module.createStorageServices(options) });
  const cache = <R>(act: (real: ResponseCache) => Promise<R>, orElse: R): Promise<R> => calls.ask((services) => act(services.cache)).catch(() => orElse);
  return {
    api: lazyApiClient({
      clock,
      events,
      interactiveBudgetMs: options.api.interactiveBudgetMs,
      source: { current: () => calls.current()?.api, ask: (act) => calls.ask((services) => act(services.api)), disposed: () => disposed },
      sendPlain: plainSender(options.api),
    }),
    outbox: deferredOutbox(calls),
    cache: {
      get: <T>(user: string, key: string) => cache((real) => real.get<T>(user, key), undefined),
      put: (user, key, value, storedAt) => calls.ask((services) => services.cache.put(user, key, value, storedAt)),
      purgeUser: (user) => cache((real) => real.purgeUser(user), 0),
    },
    reopenStorage: () => calls.ask((services) => services.storage.reopen()).catch(() => false),
    evictCacheMemory: () => calls.current()?.evictCacheMemory() ?? 0,
    dispose() {
      disposed = true;
      code.dispose();
      calls.current()?.dispose();
      calls.dispose();
    },
  };
}
