import type { UseStore } from 'idb-keyval';
import { classify } from './classify';
import { ResilienceError } from './errors';

/** Database layer: schema, open, and reopen when the browser drops the connection. */
export interface IdbDatabase {
  readonly name: string;
  /** An idb-keyval `UseStore` for one object store; every transaction reopens-and-retries once on STORAGE_CLOSED. */
  store(storeName: string): UseStore;
  /** Opens the database now (first use otherwise opens lazily). Rejects with a classified ResilienceError. */
  open(): Promise<IDBDatabase>;
  /** Closes the connection; a later transaction opens a new one. */
  close(): void;
  /** Drops the connection and opens a fresh one now; resolves false (never rejects) when that failed. */
  reopen(): Promise<boolean>;
}

export interface IdbDatabaseOptions {
  factory: IDBFactory;
  name: string;
  /** Bump when `stores` changes: the upgrade creates every missing object store. */
  version: number;
  stores: readonly string[];
  /**
   * Told when a transaction found the connection closed or lost, after the connection was dropped and before
   * the one retry (the runtime routes it to self-healing, whose storage strategy reopens). Its failure is ignored.
   */
  onConnectionLost?: (error: ResilienceError) => Promise<unknown>;
  /** Runtime chaos's seam (chaos/chaosStorage.ts): runs before a transaction's first attempt; may close `db` or throw. */
  beforeTransaction?: TransactionFaults;
}

/** Called before a transaction's first attempt (not its retry after a reopen) with the connection it will use. */
export type TransactionFaults = (db: IDBDatabase, storeName: string, mode: IDBTransactionMode) => void;

/**
 * Runs `operation`; if it fails because the connection was closed or lost (`InvalidStateError`, "database
 * connection is closing", Safari's "Connection to Indexed Database server lost"), calls `reopen()` and runs it
 * once more. Any other failure, or a second failure, rejects with the classified ResilienceError. Exported
 * for the self-healing storage strategy ("Storage reconnection").
 */
export async function reopenAndRetryOnce<T>(operation: () => Promise<T>, reopen: (error: ResilienceError) => void | Promise<void>): Promise<T> {
  try {
    return await operation();
  } catch (first) {
    const error = classify(first);
    if (error.code !== 'STORAGE_CLOSED') throw error;
    await reopen(error);
    try {
      return await operation();
    } catch (second) {
      throw classify(second);
    }
  }
}

/**
 * One IndexedDB database shared by the outbox and the response cache. The connection is opened lazily and
 * dropped when the browser closes it (`onclose`, e.g. storage cleared, Safari's lost connection), when another
 * connection upgrades the database (`versionchange`: we close and reopen at the new version, not our old one,
 * which the browser would refuse with a VersionError) or when a transaction finds it closed, so the next
 * transaction opens a fresh one instead of failing until reload.
 */
export function createIdbDatabase(options: IdbDatabaseOptions): IdbDatabase {
  const { factory, name, stores } = options;
  let connection: Promise<IDBDatabase> | undefined;
  // The version to open at: ours, or a newer one another connection upgraded the database to.
  let version = options.version;

  const openConnection = (): Promise<IDBDatabase> => openAt(version).then(ensureStores, async (error: unknown) => {
    // The database is newer than we knew (upgraded by another tab or script): open it at its own version.
    if (nameOf(error) !== 'VersionError') throw error;
    return ensureStores(await openAt(undefined));
  });

  /** A database without one of our stores (someone else's upgrade dropped it) is upgraded once more to add it. */
  const ensureStores = async (db: IDBDatabase): Promise<IDBDatabase> => {
    version = Math.max(version, db.version);
    if (stores.every((store) => db.objectStoreNames.contains(store))) return db;
    db.onclose = db.onversionchange = null;
    db.close();
    version = db.version + 1;
    return openAt(version);
  };

  const openAt = (atVersion: number | undefined): Promise<IDBDatabase> =>
    new Promise<IDBDatabase>((resolve, reject) => {
      let request: IDBOpenDBRequest;
      try {
        request = atVersion === undefined ? factory.open(name) : factory.open(name, atVersion);
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
        db.onversionchange = (event) => {
          if (event.newVersion !== null) version = Math.max(version, event.newVersion);
          db.close();
          drop(db);
        };
        resolve(db);
      };
      request.onerror = () => reject(request.error ?? new Error(`indexedDB.open("${name}") failed`));
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
        (db) => {
          current = db;
        },
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
    open: () => open().catch((error: unknown) => Promise.reject(classify(error))),
    close: reopen,
    async reopen() {
      reopen();
      try {
        await open();
        return true;
      } catch {
        return false;
      }
    },
    store(storeName) {
      return <T>(mode: IDBTransactionMode, callback: (store: IDBObjectStore) => T | PromiseLike<T>) => {
        let used: IDBDatabase | undefined;
        return reopenAndRetryOnce(
          async () => {
            const retry = used !== undefined;
            used = await open();
            if (!retry) options.beforeTransaction?.(used, storeName, mode);
            return callback(used.transaction(storeName, mode).objectStore(storeName));
          },
          // Concurrent transactions that hit the same closed connection share one reopen.
          async (error) => {
            if (used === undefined || used === current) reopen();
            await options.onConnectionLost?.(error).catch(() => undefined);
          },
        );
      };
    },
  };
}

function nameOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && typeof (error as { name?: unknown }).name === 'string' ? (error as { name: string }).name : undefined;
}
