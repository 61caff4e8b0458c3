import { classify } from '../core/classify';
import type { ResilienceError } from '../core/errors';
import type { Result } from '../core/result';
import type { KeyValueStore, KeyValueTransaction, ResilienceStorage } from '../core/storage';
import { createStoreMoves, notInIntervention } from './storeMoves';
import { compareEntries, restoresOf, validateEntry, validateIntervention, type AllowedPath, type OutboxEntry, type OutboxIntervention } from './outboxEntry';

/** Object stores of the outbox in the runtime's database. */
export const OUTBOX_STORES = { queue: 'outbox', interventions: 'outbox-intervention', quarantine: 'outbox-quarantine', meta: 'outbox-meta' } as const;

/** Key of the queue position counter, kept in the queue's own object store (so it shares its transactions). */
export const SEQUENCE_KEY = '~seq';

/** Keys of the queue's store that are not entries: the counter and the restore tickets (storeMoves.ts). */
const isReservedKey = (key: string) => key.startsWith('~');

export interface OutboxContents {
  /** In queue order (compareEntries). */
  readonly queue: OutboxEntry[];
  readonly interventions: OutboxIntervention[];
  readonly quarantined: number;
}

/**
 * Store layer: push / peek (load) / ack / update for the queue, plus the intervention list and the
 * quarantine. Knows records and their validation, not replay rules. Every method resolves a Result.
 */
export interface OutboxStore {
  /** Reads everything; records that fail validation are moved to the quarantine (reported, never used). */
  load(): Promise<Result<OutboxContents, ResilienceError>>;
  /**
   * Stores a new entry with the next queue position (`seq`), allocated in the same transaction as the write;
   * resolves the stored entry after the transaction completed.
   */
  insert(entry: Omit<OutboxEntry, 'seq'>): Promise<Result<OutboxEntry, ResilienceError>>;
  /** Replaces a queued entry (same id and seq); resolves after the transaction completed. */
  put(entry: OutboxEntry): Promise<Result<void, ResilienceError>>;
  /** The server acknowledged the entry: delete it. */
  ack(id: string): Promise<Result<void, ResilienceError>>;
  /** The server acknowledged all of these (a batch): delete them in one transaction. */
  ackMany(ids: readonly string[]): Promise<Result<void, ResilienceError>>;
  /** Writes the intervention record first, then deletes the queued copy (a crash between leaves both; load reconciles). */
  moveToIntervention(record: OutboxIntervention): Promise<Result<void, ResilienceError>>;
  /**
   * Puts the entry back in the queue (with `restores` one above its intervention record's), then deletes that
   * record. Fails with HTTP_4XX (detail `notInIntervention`) when the record is gone or was restored already
   * (another retry, in this tab or another, came first): the entry is then never queued a second time.
   */
  restore(entry: OutboxEntry): Promise<Result<void, ResilienceError>>;
  discard(id: string): Promise<Result<void, ResilienceError>>;
  readMeta(key: string): Promise<unknown>;
  writeMeta(key: string, value: unknown): Promise<Result<void, ResilienceError>>;
}

/**
 * `onWrite` runs after every write that completed (other tabs are told the queue changed); `onQuarantine`
 * for every stored record that failed validation.
 */
export function createOutboxStore(storage: ResilienceStorage, onQuarantine: (key: string, reason: string) => void, now: () => number, onWrite: () => void = () => {}, allowedPath?: AllowedPath): OutboxStore {
  const queue = storage.store(OUTBOX_STORES.queue);
  const interventions = storage.store(OUTBOX_STORES.interventions);
  const quarantine = storage.store(OUTBOX_STORES.quarantine);
  const meta = storage.store(OUTBOX_STORES.meta);

  /** Moves an invalid record out of `from`; it is deleted there only once the quarantine holds it. */
  const quarantineRecord = async (from: KeyValueStore, storeName: string, key: string, raw: unknown, reason: string) => {
    onQuarantine(key, reason);
    try {
      await quarantine.set(`${storeName}/${key}`, { key, store: storeName, reason, at: now(), record: raw });
      await from.del(key);
    } catch {
      // Left where it is: it is skipped (never executed) on every load until it can be moved.
    }
  };

  const written = async <T>(step: () => Promise<T>): Promise<Result<T, ResilienceError>> => {
    const result = await attempt(step);
    if (result.ok) onWrite();
    return result;
  };

  /** Validated records of `store`, and the queue's reserved records (the counter, the restore tickets) as read. */
  const readValid = async <T>(store: KeyValueStore, storeName: string, validate: (raw: unknown, key: string) => Result<T, string>) => {
    const valid: T[] = [];
    const reserved: [string, unknown][] = [];
    let invalid = 0;
    for (const [key, raw] of await store.entries()) {
      if (store === queue && isReservedKey(key)) {
        reserved.push([key, raw]);
        continue;
      }
      const checked = validate(raw, key);
      if (checked.ok) valid.push(checked.value);
      else {
        invalid++;
        await quarantineRecord(store, storeName, key, raw, checked.error);
      }
    }
    return { valid, reserved, invalid };
  };

  const moves = createStoreMoves(queue, interventions, now);

  return {
    load: () =>
      attempt(async () => {
        const held = await readValid(interventions, OUTBOX_STORES.interventions, (raw, key) => validateIntervention(raw, key, allowedPath));
        const queued = await readValid(queue, OUTBOX_STORES.queue, (raw, key) => validateEntry(raw, key, allowedPath));
        // Both copies of one entry: a move (to the list, or back by a retry) was under way or interrupted; finish it.
        const { keepQueued, keepHeld } = await moves.reconcile(queued.valid, held.valid);
        await moves.dropOldTickets(queued.reserved, new Set([...keepQueued.map((entry) => entry.id), ...keepHeld.map((record) => record.entry.id)]));
        const quarantined = (await quarantine.entries()).length;
        return { queue: keepQueued.sort(compareEntries), interventions: keepHeld.sort((a, b) => compareEntries(a.entry, b.entry)), quarantined };
      }),
    insert: (entry) =>
      written(() =>
        queue.transaction(async (tx) => {
          const seq = (await lastSequence(tx)) + 1;
          const stored: OutboxEntry = { ...entry, seq };
          tx.set(entry.id, stored);
          tx.set(SEQUENCE_KEY, seq);
          return stored;
        }),
      ),
    put: (entry) => written(() => queue.set(entry.id, entry)),
    ack: (id) => written(() => queue.del(id)),
    ackMany: (ids) => written(() => queue.delMany(ids)),
    moveToIntervention: (record) =>
      written(async () => {
        await interventions.set(record.entry.id, record);
        await queue.del(record.entry.id);
      }),
    restore: (entry) =>
      attempt(async () => {
        const held = validateIntervention(await interventions.get(entry.id), entry.id, allowedPath);
        if (!held.ok || restoresOf(held.value.entry) !== restoresOf(entry) - 1) throw notInIntervention(entry.id);
        await moves.queueRestored(entry);
        onWrite();
        await moves.deleteHeldBelow(entry.id, restoresOf(entry));
        onWrite();
      }),
    discard: (id) => written(() => interventions.del(id)),
    readMeta: async (key) => {
      try {
        return await meta.get(key);
      } catch {
        return undefined;
      }
    },
    writeMeta: (key, value) => attempt(() => meta.set(key, value)),
  };
}

/**
 * The last position handed out. The counter normally holds it; if it is missing (a store written before it
 * existed, or cleared by hand) the highest `seq` among the stored entries is used, so positions never go back.
 */
async function lastSequence(tx: KeyValueTransaction): Promise<number> {
  const counter = await tx.get(SEQUENCE_KEY);
  if (typeof counter === 'number' && Number.isSafeInteger(counter) && counter >= 0) return counter;
  let highest = 0;
  for (const value of await tx.values()) {
    const seq = (value as { seq?: unknown } | null)?.seq;
    if (typeof seq === 'number' && Number.isSafeInteger(seq) && seq > highest) highest = seq;
  }
  return highest;
}

async function attempt<T>(step: () => Promise<T>): Promise<Result<T, ResilienceError>> {
  try {
    return { ok: true, value: await step() };
  } catch (error) {
    return { ok: false, error: classify(error) };
  }
}
