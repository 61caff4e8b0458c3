import { useOutbox } from './hooks';

export const STORAGE_DEGRADED_TEXT = 'Saving offline is off in this browser — answers need a connection.';

/**
 * Says honestly when the outbox lives in memory only (IndexedDB missing or blocked, docs/architecture.md): nothing typed
 * here survives a reload, so the app sends answers directly and never claims "saved offline".
 */
export function StorageNotice() {
  const { ready, durable } = useOutbox();
  if (!ready || durable) return null;
  return <p className="storage-notice">{STORAGE_DEGRADED_TEXT}</p>;
}
