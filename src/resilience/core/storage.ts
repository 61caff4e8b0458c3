import { clear, del, delMany, entries, get, promisifyRequest, set, type UseStore } from 'idb-keyval';
import { classify } from './classify';
import type { ResilienceError } from './errors';
import { createIdbDatabase, type IdbDatabase, type TransactionFaults } from './storageDatabase';

/**
 * An async key-value store: IndexedDB through idb-keyval, or memory. Writes resolve only once they are
 * durable (idb-keyval's `set` resolves on the transaction's `complete`). Every method rejects with a
 * classified ResilienceError (STORAGE_QUOTA, STORAGE_CLOSED, STORAGE_UNAVAILABLE…), never a raw DOMException.
 */
export interface KeyValueStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
  delMany(keys: readonly string[]): Promise<void>;
  /** Every record; keys that are not strings are reported as their String() form. */
  entries(): Promise<[string, unknown][]>;
  clear(): Promise<void>;
  /** Deletes every key k with lower <= k < upperExclusive, without reading a value. */
  delRange(lower: string, upperExclusive: string): Promise<void>;
  /**
   * Read-modify-write in one readwrite transaction: its writes commit together or not at all, and no other
   * transaction on this store (from this tab or another) interleaves with it. `step` may await only the
   * transaction's own reads (anything else would let the transaction commit early). Resolves `step`'s result
   * once the transaction completed; if `step` throws, nothing it wrote is kept.
   */
  transaction<T>(step: (tx: KeyValueTransaction) => Promise<T>): Promise<T>;
}

/** The operations available inside `KeyValueStore.transaction`. */
export interface KeyValueTransaction {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): void;
  del(key: string): void;
  /** Every value in the store (key order). */
  values(): Promise<unknown[]>;
}

export interface ResilienceStorage {
  /** False when IndexedDB is missing or cannot be opened and the stores live in memory only. */
  durable(): boolean;
  /** Resolves once the backend is chosen (IndexedDB opened, or memory after a failure). Never rejects. */
  ready(): Promise<boolean>;
  store(name: string): KeyValueStore;
  close(): void;
  /** Drops the IndexedDB connection and opens a fresh one (the self-healing storage strategy); false if it failed or memory is used. */
  reopen(): Promise<boolean>;
  /**
   * Memory pressure: empties the named store when it lives in memory (IndexedDB unavailable) and answers how
   * many records went; a durable store is on disk and is left alone (0). Only for caches: never the outbox.
   */
  evictMemory(name: string): number;
}

export interface StorageOptions {
  /** IndexedDB factory; null or undefined when the environment has none (the memory fallback is used). */
  factory: IDBFactory | null | undefined;
  databaseName: string;
  version: number;
  stores: readonly string[];
  /** Called once if the runtime falls back to memory. */
  onDegraded(reason: string): void;
  /** A transaction found the connection closed or lost (see IdbDatabaseOptions.onConnectionLost). */
  onConnectionLost?: (error: ResilienceError) => Promise<unknown>;
  /** Runtime chaos's storage faults (see IdbDatabaseOptions.beforeTransaction). */
  beforeTransaction?: TransactionFaults;
}

/**
 * Chooses IndexedDB or memory once, on first use: IndexedDB missing or failing to open (Firefox private
 * browsing, Safari with storage blocked) → memory stores and `onDegraded`. Later failures of a working
 * database are reported by each operation (the database layer already reopens once on a lost connection).
 */
export function createResilienceStorage(options: StorageOptions): ResilienceStorage {
  const memory = new Map<string, MemoryKeyValueStore>();
  let database: IdbDatabase | undefined;
  let durable = false;
  const chosen: Promise<boolean> = (async () => {
    await Promise.resolve(); // report after the caller has subscribed, never during construction
    if (!options.factory) {
      options.onDegraded('IndexedDB is not available in this browser mode');
      return false;
    }
    const candidate = createIdbDatabase({
      factory: options.factory,
      name: options.databaseName,
      version: options.version,
      stores: options.stores,
      ...(options.onConnectionLost ? { onConnectionLost: options.onConnectionLost } : {}),
      ...(options.beforeTransaction ? { beforeTransaction: options.beforeTransaction } : {}),
    });
    try {
      await candidate.open();
      database = candidate;
      durable = true;
      return true;
    } catch (error) {
      options.onDegraded(`IndexedDB could not be opened: ${classify(error).message}`);
      return false;
    }
  })();

  const memoryStore = (name: string): MemoryKeyValueStore => {
    let store = memory.get(name);
    if (!store) memory.set(name, (store = memoryKeyValueStore()));
    return store;
  };
  const backend = async (name: string): Promise<KeyValueStore> => {
    await chosen;
    return database ? idbKeyValueStore(database.store(name)) : memoryStore(name);
  };

  return {
    durable: () => durable,
    ready: () => chosen,
    close: () => database?.close(),
    reopen: async () => (await chosen) && database !== undefined && database.reopen(),
    evictMemory: (name) => memory.get(name)?.evictAll() ?? 0,
    store(name) {
      return {
        get: async (key) => (await backend(name)).get(key),
        set: async (key, value) => (await backend(name)).set(key, value),
        del: async (key) => (await backend(name)).del(key),
        delMany: async (keys) => (await backend(name)).delMany(keys),
        entries: async () => (await backend(name)).entries(),
        clear: async () => (await backend(name)).clear(),
        delRange: async (lower, upper) => (await backend(name)).delRange(lower, upper),
        transaction: async (step) => (await backend(name)).transaction(step),
      };
    },
  };
}

/** idb-keyval over one object store; rejections are classified. */
export function idbKeyValueStore(useStore: UseStore): KeyValueStore {
  const wrap = async <T>(step: () => Promise<T>): Promise<T> => {
    try {
      return await step();
    } catch (error) {
      throw classify(error) satisfies ResilienceError;
    }
  };
  return {
    get: (key) => wrap(() => get<unknown>(key, useStore)),
    set: (key, value) => wrap(() => set(key, value, useStore)),
    del: (key) => wrap(() => del(key, useStore)),
    delMany: (keys) => wrap(() => delMany([...keys], useStore)),
    entries: () => wrap(async () => (await entries<IDBValidKey, unknown>(useStore)).map(([key, value]): [string, unknown] => [String(key), value])),
    clear: () => wrap(() => clear(useStore)),
    delRange: (lower, upper) =>
      wrap(() =>
        useStore('readwrite', (store) => {
          store.delete(IDBKeyRange.bound(lower, upper, false, true));
          return promisifyRequest(store.transaction);
        }),
      ),
    transaction: (step) =>
      wrap(() =>
        useStore('readwrite', async (store) => {
          const done = promisifyRequest(store.transaction);
          done.catch(() => {}); // awaited below; an abort after a throwing step must not be unhandled
          const tx: KeyValueTransaction = {
            get: (key) => promisifyRequest(store.get(key)),
            set: (key, value) => void store.put(value, key),
            del: (key) => void store.delete(key),
            values: () => promisifyRequest(store.getAll()),
          };
          let result: Awaited<ReturnType<typeof step>>;
          try {
            result = await step(tx);
          } catch (error) {
            try {
              store.transaction.abort();
            } catch {
              // already finished: nothing more to undo
            }
            throw error;
          }
          await done;
          return result;
        }),
      ),
  };
}

/** The memory fallback, which can also be emptied at once under memory pressure. */
export interface MemoryKeyValueStore extends KeyValueStore {
  /** Removes every record now; answers how many there were. */
  evictAll(): number;
}

/**
 * The memory fallback. Values are structured-cloned in and out, like IndexedDB, so callers cannot mutate
 * stored records by accident and behave the same on both backends.
 */
export function memoryKeyValueStore(): MemoryKeyValueStore {
  const items = new Map<string, unknown>();
  // Transactions run one after another, as IndexedDB runs overlapping readwrite transactions.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    evictAll() {
      const count = items.size;
      items.clear();
      return count;
    },
    get: async (key) => (items.has(key) ? structuredClone(items.get(key)) : undefined),
    set: async (key, value) => void items.set(key, structuredClone(value)),
    del: async (key) => void items.delete(key),
    delMany: async (keys) => keys.forEach((key) => items.delete(key)),
    entries: async () => [...items].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, value]): [string, unknown] => [key, structuredClone(value)]),
    clear: async () => items.clear(),
    delRange: async (lower, upper) => {
      for (const key of [...items.keys()]) if (key >= lower && key < upper) items.delete(key);
    },
    transaction<T>(step: (tx: KeyValueTransaction) => Promise<T>): Promise<T> {
      const run = queue.then(async () => {
        const staged = new Map<string, { value: unknown } | undefined>();
        const read = (key: string) => (staged.has(key) ? staged.get(key)?.value : items.get(key));
        const result = await step({
          get: async (key) => structuredClone(read(key)),
          set: (key, value) => void staged.set(key, { value: structuredClone(value) }),
          del: (key) => void staged.set(key, undefined),
          values: async () => [...new Set([...items.keys(), ...staged.keys()])].sort().map(read).filter((value) => value !== undefined).map((value) => structuredClone(value)),
        });
        for (const [key, write] of staged) {
          if (write) items.set(key, write.value);
          else items.delete(key);
        }
        return result;
      });
      queue = run.catch(() => {});
      return run;
    },
  };
}
