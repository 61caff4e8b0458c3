/** The subset of the Web Storage API (localStorage) the runtime uses; injectable for tests and Node. */
export interface SyncStorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * Wraps a possibly missing or throwing storage (Safari private mode, disabled cookies, quota, a SecurityError
 * just for touching `window.localStorage`). Reads return null and writes do nothing on failure; `onError`
 * hears about it. Never throws.
 */
export function guardedStorage(
  resolve: () => SyncStorageLike | null | undefined,
  onError: (operation: string, error: unknown) => void,
): SyncStorageLike {
  const attempt = <T>(operation: string, fallback: T, step: (storage: SyncStorageLike) => T): T => {
    try {
      const storage = resolve();
      return storage ? step(storage) : fallback;
    } catch (error) {
      onError(operation, error);
      return fallback;
    }
  };
  return {
    getItem: (key) => attempt('getItem', null, (s) => s.getItem(key)),
    setItem: (key, value) => attempt('setItem', undefined, (s) => s.setItem(key, value)),
    removeItem: (key) => attempt('removeItem', undefined, (s) => s.removeItem(key)),
  };
}

/** `globalThis.localStorage` when it exists and can be touched; undefined in Node or when access throws. */
export function browserLocalStorage(): SyncStorageLike | undefined {
  try {
    return (globalThis as { localStorage?: SyncStorageLike }).localStorage ?? undefined;
  } catch {
    return undefined;
  }
}

/** An in-memory storage (tests, Node, and the degraded path when localStorage is unusable). */
export function memoryStorage(): SyncStorageLike & { readonly size: number } {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, String(value)),
    removeItem: (key) => void items.delete(key),
    get size() {
      return items.size;
    },
  };
}
