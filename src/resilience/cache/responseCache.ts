import type { KeyValueStore, KeyValueTransaction } from '../core/storage';

/** A value kept by the `ResponseCache`, with when it was stored. */
export interface CachedResponse<T = unknown> {
  readonly value: T;
  /** Wall clock when it was stored. */
  readonly storedAt: number;
}

/** Per-student bounds of the response cache. */
export interface CacheBounds {
  /** Copies kept per student (least recently used go first). Default 200. */
  maxEntries: number;
  /** Bytes (as JSON) kept per student; a single larger response is not stored. Default 2 MiB. */
  maxBytes: number;
  /** A copy older than this is never served (and is deleted when met). Default 7 days. */
  maxAgeMs: number;
}

/** Default response cache bounds: 200 entries, 2 MiB, 7 days. */
export const DEFAULT_CACHE_BOUNDS: CacheBounds = { maxEntries: 200, maxBytes: 2 * 1024 * 1024, maxAgeMs: 7 * 24 * 60 * 60 * 1000 };

/** What a put did: `stored` false when the value alone is over `maxBytes`; `evicted` copies made room. */
export interface CachePutOutcome {
  readonly stored: boolean;
  readonly evicted: number;
}

/**
 * Response cache (IndexedDB), one namespace per user: a user never reads another user's copy, and logout
 * purges the user's namespace. Each user's namespace has an index record (key → size and last use, counted
 * by a use counter, not a clock) kept in the same transaction as every write, so the bounds hold without
 * reading values. Records are validated on read; a foreign-shaped one is ignored and deleted. Every method
 * rejects with a classified ResilienceError on storage failure.
 */
export interface ResponseCache {
  /** The stored copy, unless missing or older than `maxAgeMs` (then deleted). Counts as a use (LRU). */
  get<T = unknown>(user: string, key: string): Promise<CachedResponse<T> | undefined>;
  /** Stores the copy and evicts the least recently used ones beyond the bounds, in one transaction. */
  put(user: string, key: string, value: unknown, storedAt: number): Promise<CachePutOutcome>;
  /** Deletes every entry of the user by key range (no value is read); resolves how many were indexed. */
  purgeUser(user: string): Promise<number>;
}

export const CACHE_STORE = 'responses';

interface CacheRecord {
  user: string;
  key: string;
  value: unknown;
  storedAt: number;
}

/** Per-user index: `tick` counts uses; `items[key] = [bytes, lastUseTick]`. */
interface CacheIndex {
  tick: number;
  items: Record<string, [number, number]>;
}

/** user and key are length-prefixed so no pair of (user, key) can collide with another. */
function userPrefix(user: string): string {
  return `${user.length}:${user}/`;
}
function recordKey(user: string, key: string): string {
  return userPrefix(user) + key;
}
/** The user's index lives at the (never used) empty cache key, inside the user's key range. */
const indexKey = (user: string) => recordKey(user, '');

export interface ResponseCacheOptions {
  bounds?: Partial<CacheBounds>;
  /** Wall clock for the maximum age. */
  now: () => number;
}

export function createResponseCache(store: KeyValueStore, options: ResponseCacheOptions): ResponseCache {
  const bounds: CacheBounds = { ...DEFAULT_CACHE_BOUNDS, ...options.bounds };

  return {
    async get<T>(user: string, key: string) {
      if (key === '') return undefined;
      return store.transaction(async (tx) => {
        const storageKey = recordKey(user, key);
        const raw = await tx.get(storageKey);
        if (raw === undefined) return undefined;
        const index = await readIndex(tx, user);
        const valid = isRecord(raw) && raw.user === user && raw.key === key;
        if (!valid || options.now() - raw.storedAt > bounds.maxAgeMs) {
          tx.del(storageKey);
          delete index.items[key];
          tx.set(indexKey(user), index);
          return undefined;
        }
        index.tick += 1;
        index.items[key] = [index.items[key]?.[0] ?? byteSize(raw.value), index.tick];
        tx.set(indexKey(user), index);
        return { value: raw.value as T, storedAt: raw.storedAt };
      });
    },
    async put(user, key, value, storedAt) {
      if (key === '') return { stored: false, evicted: 0 };
      const bytes = byteSize(value);
      return store.transaction(async (tx) => {
        const index = await readIndex(tx, user);
        if (bytes > bounds.maxBytes) {
          // Too large to keep at all: an older copy of it would be misleading next to the new answer.
          tx.del(recordKey(user, key));
          delete index.items[key];
          tx.set(indexKey(user), index);
          return { stored: false, evicted: 0 };
        }
        index.tick += 1;
        index.items[key] = [bytes, index.tick];
        tx.set(recordKey(user, key), { user, key, value, storedAt } satisfies CacheRecord);
        const evicted = evictBeyondBounds(index, key, bounds);
        for (const gone of evicted) tx.del(recordKey(user, gone));
        tx.set(indexKey(user), index);
        return { stored: true, evicted: evicted.length };
      });
    },
    async purgeUser(user) {
      const index = await store.get(indexKey(user));
      const prefix = userPrefix(user);
      // Every key of this user starts with the prefix; the upper bound swaps its final "/" for the next character.
      await store.delRange(prefix, `${prefix.slice(0, -1)}0`);
      return isIndex(index) ? Object.keys(index.items).length : 0;
    },
  };
}

/** Removes least recently used keys (never `keep`) until the index is within the bounds; returns them. */
function evictBeyondBounds(index: CacheIndex, keep: string, bounds: CacheBounds): string[] {
  const keys = Object.keys(index.items);
  let total = 0;
  for (const key of keys) total += index.items[key]?.[0] ?? 0;
  if (keys.length <= bounds.maxEntries && total <= bounds.maxBytes) return [];
  const byAge = keys.filter((key) => key !== keep).sort((a, b) => (index.items[a]?.[1] ?? 0) - (index.items[b]?.[1] ?? 0));
  const evicted: string[] = [];
  let count = keys.length;
  for (const key of byAge) {
    if (count <= bounds.maxEntries && total <= bounds.maxBytes) break;
    total -= index.items[key]?.[0] ?? 0;
    count -= 1;
    delete index.items[key];
    evicted.push(key);
  }
  return evicted;
}

async function readIndex(tx: KeyValueTransaction, user: string): Promise<CacheIndex> {
  const raw = await tx.get(indexKey(user));
  return isIndex(raw) ? raw : { tick: 0, items: {} };
}

function isIndex(value: unknown): value is CacheIndex {
  if (typeof value !== 'object' || value === null) return false;
  const index = value as Partial<CacheIndex>;
  return typeof index.tick === 'number' && typeof index.items === 'object' && index.items !== null;
}

function isRecord(value: unknown): value is CacheRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Partial<CacheRecord>;
  return typeof record.user === 'string' && typeof record.key === 'string' && typeof record.storedAt === 'number' && Number.isFinite(record.storedAt) && 'value' in record;
}

const encoder = new TextEncoder();
function byteSize(value: unknown): number {
  return encoder.encode(JSON.stringify(value) ?? '').length;
}
