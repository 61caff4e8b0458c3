import type { SyncStorageLike } from '../core/syncStorage';
import { isFlagName, type FlagName } from './flagNames';

export type FlagOverrides = Partial<Record<FlagName, boolean>>;

/**
 * Developer-panel overrides persisted as one JSON record in (guarded) localStorage. A corrupt record is
 * reported through `onCorrupt` and treated as "no overrides"; entries for unknown flags or non-boolean values
 * are dropped.
 */
export function createOverrideStore(storage: SyncStorageLike, key: string, onCorrupt: (message: string) => void) {
  return {
    load(): FlagOverrides {
      const text = storage.getItem(key);
      if (text === null) return {};
      try {
        const parsed: unknown = JSON.parse(text);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
        const overrides: FlagOverrides = {};
        for (const [name, value] of Object.entries(parsed)) {
          if (isFlagName(name) && typeof value === 'boolean') overrides[name] = value;
        }
        return overrides;
      } catch (error) {
        onCorrupt(`Stored flag overrides under "${key}" are unreadable (${(error as Error).message}); ignoring them.`);
        return {};
      }
    },
    save(overrides: FlagOverrides): void {
      if (Object.keys(overrides).length === 0) storage.removeItem(key);
      else storage.setItem(key, JSON.stringify(overrides));
    },
  };
}
