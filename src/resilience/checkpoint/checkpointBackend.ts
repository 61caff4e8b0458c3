import { classify } from '../core/classify';
import { createIdbDatabase, reopenAndRetryOnce, type IdbDatabase } from '../core/storageDatabase';

export const CHECKPOINT_STORES = { records: 'checkpoints', commits: 'commits', quarantine: 'quarantine' } as const;

/** One stored checkpoint as read back: both values are untrusted until validated. */
export interface RawCheckpoint {
  key: string;
  record: unknown;
  commit: unknown;
}

/**
 * Storage layer of the checkpoints: keys are `user \0 workflow \0 seq` (seq zero-padded so keys sort by seq).
 */
export interface CheckpointBackend {
  readonly durable: boolean;
  /**
   * Writes the record, then its commit marker in a second, strict-durability transaction; resolves once the
   * marker's transaction completed. The marker's transaction also covers the record store, so IndexedDB
   * starts it only after the record's has finished (transactions with overlapping scopes run in creation
   * order): both are queued at once, with no round trip between them, and a marker is never on disk before
   * its record. If the record's transaction fails, a marker without a record is refused on reading.
   */
  write(key: string, record: unknown, marker: unknown): Promise<void>;
  /** Every record or marker whose key starts with `prefix`, in key order. */
  readPrefix(prefix: string): Promise<RawCheckpoint[]>;
  /** Deletes record and marker of each key. */
  remove(keys: readonly string[]): Promise<void>;
  /** Moves record and marker to the quarantine store under `quarantineKey` (kept for diagnosis, never read back). */
  quarantine(key: string, quarantineKey: string, entry: unknown): Promise<void>;
  /** Every key of the quarantine store with its entry. */
  readQuarantine(): Promise<Array<{ key: string; entry: unknown }>>;
  removeQuarantined(keys: readonly string[]): Promise<void>;
  /** Deletes everything under `prefix`, quarantined copies included. */
  purgePrefix(prefix: string): Promise<void>;
  close(): void;
}

export function checkpointKey(user: string, workflow: string, seq: number): string {
  return `${user}\u0000${workflow}\u0000${String(seq).padStart(12, '0')}`;
}

export function workflowPrefix(user: string, workflow: string): string {
  return `${user}\u0000${workflow}\u0000`;
}

export function userPrefix(user: string): string {
  return `${user}\u0000`;
}

/** Key range of every string key starting with `prefix`. */
function prefixRange(prefix: string): IDBKeyRange {
  return IDBKeyRange.bound(prefix, `${prefix}\uffff`);
}

/**
 * The IndexedDB backend, in its own database (`<name>-checkpoints`) so its schema versions apart from the
 * outbox's. Raw IndexedDB rather than idb-keyval: the commit needs `{ durability: 'strict' }`. The connection
 * heals itself as the shared one does (createIdbDatabase: reopen on close, retry once on STORAGE_CLOSED).
 */
export function createIdbCheckpointBackend(factory: IDBFactory, name: string): CheckpointBackend {
  const database: IdbDatabase = createIdbDatabase({ factory, name, version: 1, stores: Object.values(CHECKPOINT_STORES) });
  const { records, commits, quarantine } = CHECKPOINT_STORES;

  const completion = (tx: IDBTransaction) =>
    new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(classify(tx.error ?? new Error('checkpoint transaction failed')));
      tx.onabort = () => reject(classify(tx.error ?? new Error('checkpoint transaction aborted')));
    });
  const run = <T>(stores: string[], mode: IDBTransactionMode, options: IDBTransactionOptions, body: (tx: IDBTransaction) => () => T): Promise<T> =>
    reopenAndRetryOnce(
      async () => {
        const db = await database.open();
        return new Promise<T>((resolve, reject) => {
          const tx = db.transaction(stores, mode, options);
          const result = body(tx);
          tx.oncomplete = () => resolve(result());
          tx.onerror = () => reject(classify(tx.error ?? new Error('checkpoint transaction failed')));
          tx.onabort = () => reject(classify(tx.error ?? new Error('checkpoint transaction aborted')));
        });
      },
      () => database.close(),
    );
  const done = () => undefined;
  const relaxed: IDBTransactionOptions = { durability: 'relaxed' };
  const strict: IDBTransactionOptions = { durability: 'strict' };

  return {
    durable: true,
    write: (key, record, marker) =>
      reopenAndRetryOnce(
        async () => {
          const db = await database.open();
          const recordTx = db.transaction([records], 'readwrite', relaxed);
          recordTx.objectStore(records).put(record, key);
          const recordDone = completion(recordTx);
          const commitTx = db.transaction([records, commits], 'readwrite', strict);
          commitTx.objectStore(commits).put(marker, key);
          await Promise.all([recordDone, completion(commitTx)]);
        },
        () => database.close(),
      ),
    readPrefix: (prefix) =>
      run([records, commits], 'readonly', {}, (tx) => {
        const byKey = new Map<string, RawCheckpoint>();
        const entry = (key: string) => byKey.get(key) ?? byKey.set(key, { key, record: undefined, commit: undefined }).get(key)!;
        const collect = (store: string, field: 'record' | 'commit') => {
          const request = tx.objectStore(store).openCursor(prefixRange(prefix));
          request.onsuccess = () => {
            const cursor = request.result;
            if (!cursor) return;
            entry(String(cursor.key))[field] = cursor.value;
            cursor.continue();
          };
        };
        collect(records, 'record');
        collect(commits, 'commit');
        return () => [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      }),
    remove: (keys) =>
      run([records, commits], 'readwrite', strict, (tx) => {
        for (const key of keys) {
          tx.objectStore(records).delete(key);
          tx.objectStore(commits).delete(key);
        }
        return done;
      }),
    quarantine: (key, quarantineKey, entry) =>
      run([records, commits, quarantine], 'readwrite', strict, (tx) => {
        tx.objectStore(quarantine).put(entry, quarantineKey);
        tx.objectStore(records).delete(key);
        tx.objectStore(commits).delete(key);
        return done;
      }),
    readQuarantine: () =>
      run([quarantine], 'readonly', {}, (tx) => {
        const found: Array<{ key: string; entry: unknown }> = [];
        const request = tx.objectStore(quarantine).openCursor();
        request.onsuccess = () => {
          const cursor = request.result;
          if (!cursor) return;
          found.push({ key: String(cursor.key), entry: cursor.value });
          cursor.continue();
        };
        return () => found;
      }),
    removeQuarantined: (keys) =>
      run([quarantine], 'readwrite', relaxed, (tx) => {
        for (const key of keys) tx.objectStore(quarantine).delete(key);
        return done;
      }),
    purgePrefix: (prefix) =>
      run([records, commits, quarantine], 'readwrite', strict, (tx) => {
        for (const store of [records, commits, quarantine]) tx.objectStore(store).delete(prefixRange(prefix));
        return done;
      }),
    close: () => database.close(),
  };
}

/** Memory backend: where IndexedDB is missing (checkpoints then survive nothing but a re-render). */
export function createMemoryCheckpointBackend(): CheckpointBackend {
  const records = new Map<string, unknown>();
  const commits = new Map<string, unknown>();
  const quarantined = new Map<string, unknown>();
  const clone = <T>(value: T): T => structuredClone(value);
  const within = (prefix: string) => (key: string) => key.startsWith(prefix);
  return {
    durable: false,
    async write(key, record, marker) {
      records.set(key, clone(record));
      commits.set(key, clone(marker));
    },
    async readPrefix(prefix) {
      const keys = [...new Set([...records.keys(), ...commits.keys()])].filter(within(prefix)).sort();
      return keys.map((key) => ({ key, record: clone(records.get(key)), commit: clone(commits.get(key)) }));
    },
    async remove(keys) {
      for (const key of keys) {
        records.delete(key);
        commits.delete(key);
      }
    },
    async quarantine(key, quarantineKey, entry) {
      quarantined.set(quarantineKey, clone(entry));
      records.delete(key);
      commits.delete(key);
    },
    readQuarantine: async () => [...quarantined].map(([key, entry]) => ({ key, entry })),
    async removeQuarantined(keys) {
      for (const key of keys) quarantined.delete(key);
    },
    async purgePrefix(prefix) {
      for (const map of [records, commits, quarantined]) for (const key of [...map.keys()]) if (key.startsWith(prefix)) map.delete(key);
    },
    close: () => undefined,
  };
}
