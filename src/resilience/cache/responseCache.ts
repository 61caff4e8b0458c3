import type { KeyValueStore } from '../core/storage';

export interface CachedResponse<T = unknown> {
  readonly value: T;
  /** Wall clock when it was stored. */
  readonly storedAt: number;
}

/**
 * Response cache (IndexedDB), one namespace per user (DESIGN §6, §12): a user never reads another user's
 * copy, and logout purges the user's namespace. Records are validated on read; a foreign-shaped one is
 * ignored and deleted. Every method rejects with a classified ResilienceError on storage failure.
 */
export interface ResponseCache {
  get<T = unknown>(user: string, key: string): Promise<CachedResponse<T> | undefined>;
  put(user: string, key: string, value: unknown, storedAt: number): Promise<void>;
  /** Deletes every entry of the user; resolves how many were deleted. */
  purgeUser(user: string): Promise<number>;
}

export const CACHE_STORE = 'responses';

interface CacheRecord {
  user: string;
  key: string;
  value: unknown;
  storedAt: number;
}

/** user and key are length-prefixed so no pair of (user, key) can collide with another. */
function recordKey(user: string, key: string): string {
  return `${user.length}:${user}/${key}`;
}

export function createResponseCache(store: KeyValueStore): ResponseCache {
  return {
    async get<T>(user: string, key: string) {
      const storageKey = recordKey(user, key);
      const raw = await store.get(storageKey);
      if (raw === undefined) return undefined;
      if (!isRecord(raw) || raw.user !== user || raw.key !== key) {
        await store.del(storageKey);
        return undefined;
      }
      return { value: raw.value as T, storedAt: raw.storedAt };
    },
    async put(user, key, value, storedAt) {
      const record: CacheRecord = { user, key, value, storedAt };
      await store.set(recordKey(user, key), record);
    },
    async purgeUser(user) {
      const prefix = recordKey(user, '');
      const keys = (await store.entries()).map(([key]) => key).filter((key) => key.startsWith(prefix));
      await store.delMany(keys);
      return keys.length;
    },
  };
}

function isRecord(value: unknown): value is CacheRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Partial<CacheRecord>;
  return typeof record.user === 'string' && typeof record.key === 'string' && typeof record.storedAt === 'number' && Number.isFinite(record.storedAt) && 'value' in record;
}
