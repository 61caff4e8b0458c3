import { RETAINED_ASSETS_CACHE } from './ownedCaches';

/** The parts of Cache / CacheStorage / Clients used here (the worker's globals; fakes in unit tests). */
export interface CacheLike {
  keys(): Promise<readonly Request[]>;
  match(request: Request | string): Promise<Response | undefined>;
  put(request: Request | string, response: Response): Promise<void>;
  delete(request: Request | string): Promise<boolean>;
}
export interface CacheStorageLike {
  open(name: string): Promise<CacheLike>;
  has(name: string): Promise<boolean>;
  delete(name: string): Promise<boolean>;
}
export interface TabList {
  matchAll(options: { type: 'window'; includeUncontrolled: boolean }): Promise<ReadonlyArray<{ readonly id: string }>>;
}

export interface RetainedAssetsDeps {
  caches: CacheStorageLike;
  clients: TabList;
  /** Workbox's precache cache name (`cacheNames.precache`). */
  precacheName: string;
  /** Absolute URLs (without query) of the assets the new version precaches. */
  currentUrls: ReadonlySet<string>;
}

/** Cache key of the record of tabs that were open when this version took over (not a fetchable URL). */
const TABS_KEY = 'https://retained.invalid/open-tabs';

/**
 * The previous versions' hashed chunks, kept while a tab that may still import them is open.
 *
 * Workbox deletes precache entries the new manifest no longer lists when the new worker activates; a tab
 * that loaded the old index.html would then get a 404 for its lazily loaded chunks. So at install (while the
 * old entries are certainly still there) the new worker copies the old `/assets/` entries it does not list
 * into a cache of its own, which activation does not touch; at activation it records which tabs are open
 * (all of them run an older version). The assets route answers from this cache when the precache has no
 * entry. `cleanup()` (run on navigations and at activation) deletes the cache once none of the recorded tabs
 * is open any more, so it holds at most the files of versions still shown in some tab.
 */
export function createRetainedAssets(deps: RetainedAssetsDeps) {
  const plainUrl = (request: Request | string): string => {
    const url = new URL(typeof request === 'string' ? request : request.url);
    return `${url.origin}${url.pathname}`;
  };
  const openTabIds = async () => (await deps.clients.matchAll({ type: 'window', includeUncontrolled: true })).map((tab) => tab.id);
  const readTabs = async (cache: CacheLike): Promise<string[] | null> => {
    const stored = await cache.match(TABS_KEY);
    if (!stored) return null;
    const parsed: unknown = await stored.json().catch(() => []);
    return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : [];
  };

  return {
    /** Install: copies the outgoing version's assets the new manifest drops. Returns how many were copied. */
    async retainPrevious(): Promise<number> {
      if (!(await deps.caches.has(deps.precacheName))) return 0;
      const precache = await deps.caches.open(deps.precacheName);
      const retained = await deps.caches.open(RETAINED_ASSETS_CACHE);
      let copied = 0;
      for (const request of await precache.keys()) {
        const url = plainUrl(request);
        if (!new URL(url).pathname.startsWith('/assets/') || deps.currentUrls.has(url)) continue;
        const response = await precache.match(request);
        if (!response) continue;
        await retained.put(url, response);
        copied += 1;
      }
      // Until this version activates and records the open tabs, no worker may clean up (the outgoing one
      // would otherwise see an old record whose tabs have closed and delete what was just retained).
      await retained.delete(TABS_KEY);
      return copied;
    },

    /** Activate: remembers the tabs open now; their documents belong to older versions. */
    async recordOpenTabs(): Promise<void> {
      if (!(await deps.caches.has(RETAINED_ASSETS_CACHE))) return;
      const retained = await deps.caches.open(RETAINED_ASSETS_CACHE);
      const ids = new Set([...((await readTabs(retained)) ?? []), ...(await openTabIds())]);
      await retained.put(TABS_KEY, new Response(JSON.stringify([...ids]), { headers: { 'Content-Type': 'application/json' } }));
    },

    /** A retained copy of a hashed asset, or undefined. */
    async match(request: Request): Promise<Response | undefined> {
      if (!(await deps.caches.has(RETAINED_ASSETS_CACHE))) return undefined;
      return (await deps.caches.open(RETAINED_ASSETS_CACHE)).match(plainUrl(request));
    },

    /** Deletes the retained files once no tab recorded at activation is open. Returns true when it deleted them. */
    async cleanup(): Promise<boolean> {
      if (!(await deps.caches.has(RETAINED_ASSETS_CACHE))) return false;
      const recorded = await readTabs(await deps.caches.open(RETAINED_ASSETS_CACHE));
      if (recorded === null) return false; // a newer version is installing: it records the tabs when it activates
      const open = new Set(await openTabIds());
      if (recorded.some((id) => open.has(id))) return false;
      return deps.caches.delete(RETAINED_ASSETS_CACHE);
    },
  };
}

export type RetainedAssets = ReturnType<typeof createRetainedAssets>;
