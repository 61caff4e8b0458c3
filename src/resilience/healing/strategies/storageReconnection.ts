import type { HealingStrategy } from '../healingTypes';

/**
 * STORAGE_CLOSED (IndexedDB connection closed or lost: Safari's "connection lost", InvalidStateError after the
 * browser closed the database): reopen the store so the caller's single retry can succeed. `reopenStorage` is
 * injected (the storage layer owns the database); it resolves false or rejects when reopening failed.
 */
export function storageReconnection(reopenStorage: () => Promise<unknown>): HealingStrategy {
  return {
    name: 'storageReconnection',
    canHeal: (error) => error.code === 'STORAGE_CLOSED',
    heal: async () => (await reopenStorage()) !== false,
  };
}
