import type { UseStore } from 'idb-keyval';
import { classify } from './classify';
import { ResilienceError } from './errors';

/** Database layer (STYLE "Layers for storage"): schema, open, and reopen when the browser drops the connection. */
export interface IdbDatabase {
  readonly name: string;
  /** An idb-keyval `UseStore` for one object store; every transaction reopens-and-retries once on STORAGE_CLOSED. */
  store(storeName: string): UseStore;
  /** Opens the database now (first use otherwise opens lazily). Rejects with a classified ResilienceError. */
  open(): Promise<IDBDatabase>;
  /** Closes the connection; a later transaction opens a new one. */
  close(): void;
}

export interface IdbDatabaseOptions {
  factory: IDBFactory;
  name: string;
  /** Bump when `stores` changes: the upgrade creates every missing object store. */
  version: number;
  stores: readonly string[];
}

/**
 * Runs `operation`; if it fails because the connection was closed or lost (`InvalidStateError`, "database
 * connection is closing", Safari's "Connection to Indexed Database server lost"), calls `reopen()` and runs it
 * once more. Any other failure, or a second failure, rejects with the classified ResilienceError. Exported
 * for the self-healing storage strategy (DESIGN §7 "Storage reconnection").
 */
export async function reopenAndRetryOnce<T>(operation: () => Promise<T>, reopen: () => void | Promise<void>): Promise<T> {
  try {
    return await operation();
  } catch (first) {
    const error = classify(first);
    if (error.code !== 'STORAGE_CLOSED') throw error;
    await reopen();
    try {
      return await operation();
    } catch (second) {
      throw classify(second);
    }
  }
}

/**
 * One IndexedDB database shared by the outbox and the response cache. The connection is opened lazily and
 * dropped when the browser closes it (`onclose`, e.g. storage cleared, Safari's lost connection) or when a
 * transaction finds it closed, so the next transaction opens a fresh one instead of failing until reload.
 */
export function createIdbDatabase(options: IdbDatabaseOptions): IdbDatabase {
  const { factory, name, version, stores } = options;
  let connection: Promise<IDBDatabase> | undefined;

  const openConnection = (): Promise<IDBDatabase> =>
    new Promise<IDBDatabase>((resolve, reject) => {
      let request: IDBOpenDBRequest;
      try {
        request = factory.open(name, version);
      } catch (thrown) {
        reject(classify(thrown)); // Safari private mode (old), disabled storage: open itself throws
        return;
      }
      request.onupgradeneeded = () => {
        const db = request.result;
        for (const store of stores) if (!db.objectStoreNames.contains(store)) db.createObjectStore(store);
      };
      request.onsuccess = () => {
        const db = request.result;
        db.onclose = () => drop(db);
        // Another tab upgrades the schema: let it, and reopen at the new version on next use.
        db.onversionchange = () => {
          db.close();
          drop(db);
        };
        resolve(db);
      };
      request.onerror = () => reject(classify(request.error ?? new Error(`indexedDB.open("${name}") failed`)));
      request.onblocked = () => reject(new ResilienceError('STORAGE_UNAVAILABLE', `indexedDB.open("${name}") is blocked by another tab`));
    });

  let current: IDBDatabase | undefined;
  const drop = (db?: IDBDatabase) => {
    if (db !== undefined && current !== db) return;
    connection = undefined;
    current = undefined;
  };
  const open = (): Promise<IDBDatabase> => {
    if (!connection) {
      const opening = openConnection();
      connection = opening;
      opening.then(
        (db) => void (current = db),
        () => {
          if (connection === opening) connection = undefined;
        },
      );
    }
    return connection;
  };
  const reopen = () => {
    try {
      current?.close();
    } catch {
      // already closed
    }
    drop();
  };

  return {
    name,
    open,
    close: reopen,
    store(storeName) {
      return <T>(mode: IDBTransactionMode, callback: (store: IDBObjectStore) => T | PromiseLike<T>) => {
        let used: IDBDatabase | undefined;
        return reopenAndRetryOnce(
          async () => {
            used = await open();
            return callback(used.transaction(storeName, mode).objectStore(storeName));
          },
          // Concurrent transactions that hit the same closed connection share one reopen.
          () => (used === undefined || used === current ? reopen() : undefined),
        );
      };
    },
  };
}
