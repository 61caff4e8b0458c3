import { OUTBOX_SYNC_TAG, type OutboxDrainMessage } from '../protocol/serviceWorker';

/** The part of `self.clients` this needs. */
export interface WindowClients {
  matchAll(options: { type: 'window'; includeUncontrolled: boolean }): Promise<ReadonlyArray<{ postMessage(message: unknown): void }>>;
}

/**
 * Background Sync fired for the outbox's tag: ask every open tab to drain (the tabs' drain lock lets one of
 * them replay). The worker never sends the queue itself: the outbox, its idempotency keys and the student's
 * session live in the page. Resolves to the number of tabs asked; other tags are ignored (null).
 */
export async function wakeTabsForSync(tag: string, clients: WindowClients): Promise<number | null> {
  if (tag !== OUTBOX_SYNC_TAG) return null;
  const tabs = await clients.matchAll({ type: 'window', includeUncontrolled: true });
  const message: OutboxDrainMessage = { type: 'outbox.drain' };
  for (const tab of tabs) tab.postMessage(message);
  return tabs.length;
}
