import { ResilienceError } from '../core/errors';
import type { KeyValueStore } from '../core/storage';
import { restoresOf, type OutboxEntry, type OutboxIntervention } from './outboxEntry';

/**
 * Prefix of the restore tickets, kept in the queue's store: `~restored/<entry id>` holds the highest restore
 * generation ever queued for the entry, written in the same transaction as the queued copy. A retry of a
 * generation already queued (even one sent and deleted since) is refused there, atomically.
 */
export const RESTORE_TICKET_PREFIX = '~restored/';
/** How long a ticket outlives both copies of its entry: longer than any tab keeps a stale intervention list. */
export const RESTORE_TICKET_TTL_MS = 24 * 60 * 60 * 1000;

/** The entry no longer waits for a retry: another retry took it first, or it was discarded. */
export function notInIntervention(id: string): ResilienceError {
  return new ResilienceError('HTTP_4XX', `Outbox entry "${id}" is no longer waiting for a retry (retried or discarded already)`, { retryable: false, detail: { reason: 'notInIntervention' } });
}

/**
 * Moving an entry between the queue and the intervention list, which are two object stores (two transactions):
 * a move to the list writes the record, then deletes the queued copy; a retry queues the copy (one restore more
 * than the record counts), then deletes the record. A reader (any tab's load) that finds both copies can tell
 * from `restores` which move was under way, and finishes it without ever deleting the live copy. Before this,
 * a load that overlapped a retry took the pair for an interrupted move to the list and deleted the queued copy,
 * after which the retry deleted the record: the answer was in neither store.
 */
export function createStoreMoves(queue: KeyValueStore, interventions: KeyValueStore, now: () => number) {
  const ticketKey = (id: string) => `${RESTORE_TICKET_PREFIX}${id}`;

  /** Deletes the intervention record only while it is older than a queued copy with `restores` (never a newer one). */
  const deleteHeldBelow = (id: string, restores: number) =>
    interventions.transaction(async (tx) => {
      const record = (await tx.get(id)) as { entry?: OutboxEntry } | undefined;
      if (record?.entry && restoresOf(record.entry) < restores) tx.del(id);
    });

  /** Deletes the queued copy only while it is not newer than the intervention record with `restores`. */
  const deleteQueuedUpTo = (id: string, restores: number) =>
    queue.transaction(async (tx) => {
      const entry = (await tx.get(id)) as OutboxEntry | undefined;
      if (entry && restoresOf(entry) <= restores) tx.del(id);
    });

  return {
    deleteHeldBelow,
    /**
     * Queues a restored copy and its ticket in one transaction of the queue's store; rejects (notInIntervention)
     * when this generation was queued before: of two retries (two tabs, an admin's and the student's) only the
     * first queues the entry, even if it was sent and deleted since.
     */
    queueRestored: (entry: OutboxEntry) =>
      queue.transaction(async (tx) => {
        const ticket = (await tx.get(ticketKey(entry.id))) as { restores?: unknown } | undefined;
        if (typeof ticket?.restores === 'number' && ticket.restores >= restoresOf(entry)) throw notInIntervention(entry.id);
        tx.set(entry.id, entry);
        tx.set(ticketKey(entry.id), { restores: restoresOf(entry), at: now() });
      }),
    /**
     * Entries found in both stores. A queued copy with more restores than the record: a retry put it back and had
     * not yet deleted the record, so the queued copy is live. Otherwise a move to the list had not yet deleted
     * the queued copy, so the record is. Each delete re-checks in its own transaction: a copy written since the
     * read is never the one deleted.
     */
    async reconcile(queued: OutboxEntry[], held: OutboxIntervention[]) {
      const heldById = new Map(held.map((record) => [record.entry.id, record]));
      const restored = new Set<string>();
      const interrupted = new Set<string>();
      for (const entry of queued) {
        const record = heldById.get(entry.id);
        if (!record) continue;
        if (restoresOf(entry) > restoresOf(record.entry)) {
          restored.add(entry.id);
          await deleteHeldBelow(entry.id, restoresOf(entry));
        } else {
          interrupted.add(entry.id);
          await deleteQueuedUpTo(entry.id, restoresOf(record.entry));
        }
      }
      return { keepQueued: queued.filter((entry) => !interrupted.has(entry.id)), keepHeld: held.filter((record) => !restored.has(record.entry.id)) };
    },
    /**
     * Tickets of entries gone from both stores for a day are deleted (no tab still shows them as retryable).
     * `records`: the queue store's records as the load read them (in the same transaction as its entries).
     */
    async dropOldTickets(records: readonly (readonly [string, unknown])[], live: ReadonlySet<string>) {
      const expired = records
        .filter(([key]) => key.startsWith(RESTORE_TICKET_PREFIX) && !live.has(key.slice(RESTORE_TICKET_PREFIX.length)))
        .filter(([, value]) => !(typeof (value as { at?: unknown } | null)?.at === 'number' && now() - (value as { at: number }).at < RESTORE_TICKET_TTL_MS))
        .map(([key]) => key);
      if (expired.length > 0) await queue.delMany(expired);
    },
  };
}
