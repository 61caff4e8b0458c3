import type { BroadcastChannelLike } from '../policies/browserBreakerStore';

/**
 * Change notices between the tabs of one student: after every completed write to the outbox (a submit, an
 * acknowledgement, a backoff, a move to or from "Needs your attention") the writing tab posts a notice; the
 * others reload the queue from IndexedDB, so their pending count and intervention list follow within
 * milliseconds. A notice carries no data: the database stays the only source of truth.
 */
export interface OutboxChangeFeed {
  /** True when notices reach other tabs (a BroadcastChannel is open). */
  readonly live: boolean;
  announce(): void;
  subscribe(listener: () => void): () => void;
  close(): void;
}

interface ChangeNotice {
  kind: 'outbox-changed';
}

/** The channel name for one database and student: tabs of another student (or database) hear nothing. */
export function outboxChannelName(databaseName: string, user: string): string {
  return `resilience.outbox:${databaseName.length}:${databaseName}:${user}`;
}

export function createOutboxChangeFeed(
  openChannel: ((name: string) => BroadcastChannelLike | undefined) | undefined,
  name: string,
  onError: (error: unknown) => void,
): OutboxChangeFeed {
  const listeners = new Set<() => void>();
  let channel: BroadcastChannelLike | undefined;
  try {
    channel = openChannel?.(name);
  } catch (error) {
    onError(error);
  }
  if (channel) {
    channel.onmessage = (event) => {
      if ((event.data as Partial<ChangeNotice> | null)?.kind !== 'outbox-changed') return;
      for (const listener of [...listeners]) {
        try {
          listener();
        } catch (error) {
          onError(error);
        }
      }
    };
  }
  return {
    live: channel !== undefined,
    announce() {
      try {
        channel?.postMessage({ kind: 'outbox-changed' } satisfies ChangeNotice);
      } catch (error) {
        onError(error); // a closed channel: the other tabs catch up at their next pass
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    close() {
      listeners.clear();
      if (!channel) return;
      channel.onmessage = null;
      channel.close();
      channel = undefined;
    },
  };
}

/** `new BroadcastChannel(name)` in a page; none outside a document (Node, tests inject their own). */
export function defaultOutboxChannel(name: string): BroadcastChannelLike | undefined {
  const scope = globalThis as { BroadcastChannel?: new (name: string) => BroadcastChannelLike; document?: unknown };
  if (scope.document === undefined || typeof scope.BroadcastChannel !== 'function') return undefined;
  return new scope.BroadcastChannel(name);
}
